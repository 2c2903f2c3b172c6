#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/util/error.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// What decides how a job's time scales between GPUs: a benchmark class of data/benchmarks.json
// (asr, diffusion, llm, training, render, encode) or a spec-sheet figure (compute, memory).
enum class WorkloadClass { compute, memory, encode, asr, diffusion, llm, training, render };

// The class's spelling: "compute", "memory", "encode", "asr", "diffusion", "llm", "training",
// "render".
std::string_view to_string(WorkloadClass workload_class);
// Parses a workload class; nullopt when unknown.
std::optional<WorkloadClass> parse_workload_class(std::string_view text);

// A user's job and volume (docs/workload-format.md); durations in seconds, money in USD.
struct Workload {
  std::string name;                  // label for output, may be empty
  std::string description;           // assumptions, free text
  std::string ref_gpu;               // canonical GPU the job_seconds were measured on
  std::optional<double> job_seconds; // one job on ref_gpu
  std::map<std::string, double>
      measured_seconds; // canonical GPU -> measured seconds; beats scaling
  WorkloadClass workload_class = WorkloadClass::compute;
  int gpus_per_job = 1;
  std::optional<double> jobs_per_month;
  Traffic traffic = Traffic::poisson;
  std::optional<double> idle_timeout_s; // overrides every option's T
  std::optional<double> cold_start_s;   // overrides every option's C
  // Per-provider overrides, keyed "provider" or "provider/product"; they beat the bare values.
  std::map<std::string, double> idle_timeout_by_provider;
  std::map<std::string, double> cold_start_by_provider;
  double max_utilization = 0.8;
  // The most workers a serverless fleet (or a simulation) runs at once, as the user's endpoint or
  // plan allows; beats the provider's documented default (providers.json max_workers).
  std::optional<int> max_workers;
  std::optional<double> revenue_per_job;
  std::optional<double> output_gb;              // GB leaving the provider per job
  std::optional<double> interruptions_per_hour; // spot default where an offer has none
  bool cross_vendor = false;     // scale job_seconds to GPUs of another vendor than ref_gpu's
  double gpu_bound_fraction = 1; // f in [0, 1]: share of job_seconds that speeds up on a faster GPU
  bool split_frame = false;      // encode: one stream spread over every NVENC engine (4K+, Ada+)
  // Units of work one job is, for api offers priced per unit ({audio_minute: 71} for a 71-minute
  // recording); an api offer whose unit is not here is left out.
  std::map<WorkUnit, double> units_per_job;
  std::vector<std::string> assumptions; // stated assumptions, shown in output
  std::string source;                   // where the figures come from
  // "FILE:LINE: FIELD: " of a value read from a workload file whose check comes later (the GPU
  // names in ref_gpu and measured_seconds), keyed by field ("ref_gpu", "measured_seconds.L4");
  // empty for values from flags.
  std::map<std::string, std::string> origins;
};

// The most units of one kind a job may be (a trillion: 1e12 characters is a million books).
inline constexpr double k_max_units_per_job = 1e12;

// Whether the workload gives a job time (job_seconds or measured_seconds), without which no GPU
// offer can be priced.
bool has_job_time(const Workload& workload);

// The override for one provider's product: "provider/product" beats "provider" beats `all`.
std::optional<double> override_for(const std::optional<double>& all,
                                   const std::map<std::string, double>& by_provider,
                                   std::string_view provider,
                                   Product product);

// Checks ranges: job seconds in (0, one year], jobs a month in (0, 1e9], utilization in (0, 1],
// units per job in (0, 1e12], no NaN or infinity; a job time is required unless units_per_job
// is given (then only api offers can be priced); the message names the field.
Status validate_workload(const Workload& workload);

} // namespace gpucost
