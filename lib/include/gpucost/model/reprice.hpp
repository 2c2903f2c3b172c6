#pragma once

#include <gpucost/model/benchmark.hpp>
#include <gpucost/model/compare_result.hpp>
#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/gpu.hpp>
#include <gpucost/model/workload.hpp>
#include <gpucost/util/error.hpp>

namespace gpucost {

// Prices `workload` on a recorded row at the row's own rate and traits (what a baseline document
// carries): the job time comes from `gpus`, the volume, traffic, utilization, egress volume and
// the idle-timeout and cold-start overrides from `workload`; the rate, billing, start-up,
// interruption and egress prices from the row. Priced on the same workload the row was made with,
// it gives the row's own figures. Fails when the row carries no traits, its GPU is not in `gpus`,
// the job has no time on it, or the model cannot carry the workload. Pure.
Expected<Estimate> reprice_row(const RankedOption& row,
                               const Workload& workload,
                               const GpuDatabase& gpus,
                               const BenchmarkTable& benchmarks = BenchmarkTable{});

} // namespace gpucost
