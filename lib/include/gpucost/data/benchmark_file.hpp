#pragma once

#include <gpucost/model/benchmark.hpp>
#include <gpucost/util/error.hpp>

#include <string>
#include <string_view>

namespace gpucost {

// Parses data/benchmarks.json into the benchmark table; errors name `origin`, the line and the
// field. A class gpucost has no WorkloadClass for is an error.
Expected<BenchmarkTable> parse_benchmark_table(std::string_view json_text,
                                               const std::string& origin);

} // namespace gpucost
