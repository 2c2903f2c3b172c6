#pragma once

#include <gpucost/model/benchmark.hpp>
#include <gpucost/model/gpu.hpp>
#include <gpucost/model/workload.hpp>
#include <gpucost/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// Where a row's job time came from: measured on that GPU, scaled by a published benchmark of the
// same kind of work, or scaled by a spec-sheet figure.
enum class JobSecondsBasis { measured, benchmark, spec };

// "measured", "benchmark" or "spec".
std::string_view to_string(JobSecondsBasis basis);

// One job's time on one GPU and what it rests on.
struct JobTime {
  double seconds = 0; // S on this GPU
  JobSecondsBasis basis = JobSecondsBasis::measured;
  std::string source;   // the measurement, benchmark group or spec figure it rests on
  std::string fallback; // why a class fell back (spec ratio; encode: no clock), shared by GPUs
};

// The spec-sheet class a benchmark class falls back to: memory for llm, compute for the others
// (encode and the spec classes themselves map to themselves).
WorkloadClass spec_fallback(WorkloadClass workload_class);

// The seconds one job takes on `gpu` (docs/cost-model.md "Job time"): measured when the workload
// has a figure for it (or `gpu` is the reference), else the reference time scaled by the speed-up
// S_ref / S = speedup, tempered by gpu_bound_fraction f: S = S_ref (1 - f) + S_ref f / speedup.
// The speed-up is the ratio of two data/benchmarks.json figures of one source_group (encode: the
// per-engine speed of each GPU's NVENC generation, one engine per stream unless split_frame spreads
// it over an Ada-or-later GPU's engines), else the spec ratio (compute, memory; encode: engines
// taken equally fast). Fails with the reason when
// the time cannot be known (no NVENC for encode, another vendor, a missing spec figure).
Expected<JobTime> job_time_on(const Workload& workload,
                              const GpuSpec& gpu,
                              const GpuDatabase& gpus,
                              const BenchmarkTable& benchmarks);

// Why many GPUs may lack a job time at once (no NVENC, another vendor, a figure gpus.json lacks),
// so that one warning names the reason and the GPUs; empty when the reason is this GPU's own.
std::string shared_left_out_reason(const Workload& workload,
                                   const GpuSpec& gpu,
                                   const GpuDatabase& gpus,
                                   const BenchmarkTable& benchmarks);

} // namespace gpucost
