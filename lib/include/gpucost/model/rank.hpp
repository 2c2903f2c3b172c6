#pragma once

#include <gpucost/model/benchmark.hpp>
#include <gpucost/model/compare_result.hpp>
#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/filters.hpp>
#include <gpucost/model/gpu.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/provider_info.hpp>
#include <gpucost/model/workload.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace gpucost {

// The pricing pipeline every command shares: for each offer that passes `filters`, the job time
// on its GPU (job_time.hpp), its traits (traits.hpp), its rows (row_plan.hpp), each row priced
// (price_row.hpp); then ranks the rows by cost per job (ties broken by provider, product, GPU,
// count, region, name, mode, pricing) and keeps the `limit` cheapest (every row by default). Offers
// that cannot run the workload are left out with a warning. `benchmarks` holds the benchmark
// classes (an empty table: spec ratios only); `now_s` gives price ages. Pure: no files, network or
// clock.
CompareResult rank_options(const std::vector<Offer>& offers,
                           const GpuDatabase& gpus,
                           const ProviderTable& providers,
                           const BenchmarkTable& benchmarks,
                           const Workload& workload,
                           const OfferFilters& filters,
                           std::int64_t now_s,
                           std::size_t limit = std::numeric_limits<std::size_t>::max());

} // namespace gpucost
