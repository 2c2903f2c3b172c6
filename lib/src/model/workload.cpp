#include <gpucost/model/units.hpp>
#include <gpucost/model/workload.hpp>

#include <fmt/format.h>

#include <cmath>

namespace gpucost {

namespace {

// The values a workload figure accepts: at least `minimum` (more than it when `exclusive`), at
// most `maximum` (1e300 and above: no maximum worth naming).
struct WorkloadRange {
  double minimum = 0;
  bool exclusive = false;
  double maximum = 1e300;
};

Status check_range(std::string_view field,
                   const std::optional<double>& value,
                   const WorkloadRange& range) {
  const auto [minimum, exclusive, maximum] = range;
  if (!value) {
    return Ok{};
  }
  const double v = *value;
  const bool low = exclusive ? !(v > minimum) : !(v >= minimum);
  if (!std::isfinite(v) || low || v > maximum) {
    return make_error(fmt::format("invalid workload: {} must be {} {}{} (got {})",
                                  field,
                                  exclusive ? "greater than" : "at least",
                                  minimum,
                                  maximum < 1e300 ? fmt::format(" and at most {}", maximum) : "",
                                  v));
  }
  return Ok{};
}

} // namespace

std::string_view to_string(WorkloadClass workload_class) {
  switch (workload_class) {
  case WorkloadClass::compute:
    return "compute";
  case WorkloadClass::memory:
    return "memory";
  case WorkloadClass::encode:
    return "encode";
  case WorkloadClass::asr:
    return "asr";
  case WorkloadClass::diffusion:
    return "diffusion";
  case WorkloadClass::llm:
    return "llm";
  case WorkloadClass::training:
    return "training";
  case WorkloadClass::render:
    return "render";
  }
  return "compute";
}

std::optional<WorkloadClass> parse_workload_class(std::string_view text) {
  if (text == "compute") {
    return WorkloadClass::compute;
  }
  if (text == "memory") {
    return WorkloadClass::memory;
  }
  for (const WorkloadClass known : {WorkloadClass::encode,
                                    WorkloadClass::asr,
                                    WorkloadClass::diffusion,
                                    WorkloadClass::llm,
                                    WorkloadClass::training,
                                    WorkloadClass::render}) {
    if (text == to_string(known)) {
      return known;
    }
  }
  return std::nullopt;
}

std::optional<double> override_for(const std::optional<double>& all,
                                   const std::map<std::string, double>& by_provider,
                                   std::string_view provider,
                                   Product product) {
  if (!by_provider.empty()) {
    const std::string id(provider);
    if (const auto it = by_provider.find(fmt::format("{}/{}", id, to_string(product)));
        it != by_provider.end()) {
      return it->second;
    }
    if (const auto it = by_provider.find(id); it != by_provider.end()) {
      return it->second;
    }
  }
  return all;
}

bool has_job_time(const Workload& workload) {
  return workload.job_seconds || !workload.measured_seconds.empty();
}

Status validate_workload(const Workload& w) {
  GPUCOST_TRY(check_range("job_seconds",
                          w.job_seconds,
                          {.minimum = 0, .exclusive = true, .maximum = k_seconds_per_year}));
  for (const auto& [gpu, seconds] : w.measured_seconds) {
    GPUCOST_TRY(check_range(fmt::format("measured_seconds[\"{}\"]", gpu),
                            seconds,
                            {.minimum = 0, .exclusive = true, .maximum = k_seconds_per_year}));
  }
  GPUCOST_TRY(check_range("jobs_per_month",
                          w.jobs_per_month,
                          {.minimum = 0, .exclusive = true, .maximum = k_max_jobs_per_month}));
  GPUCOST_TRY(check_range(
      "idle_timeout_s", w.idle_timeout_s, {.minimum = 0, .maximum = k_seconds_per_year}));
  GPUCOST_TRY(
      check_range("cold_start_s", w.cold_start_s, {.minimum = 0, .maximum = k_seconds_per_year}));
  for (const auto& [key, seconds] : w.idle_timeout_by_provider) {
    GPUCOST_TRY(check_range(fmt::format("idle_timeout_s[\"{}\"]", key),
                            seconds,
                            {.minimum = 0, .maximum = k_seconds_per_year}));
  }
  for (const auto& [key, seconds] : w.cold_start_by_provider) {
    GPUCOST_TRY(check_range(fmt::format("cold_start_s[\"{}\"]", key),
                            seconds,
                            {.minimum = 0, .maximum = k_seconds_per_year}));
  }
  GPUCOST_TRY(check_range(
      "max_utilization", w.max_utilization, {.minimum = 0, .exclusive = true, .maximum = 1}));
  GPUCOST_TRY(check_range(
      "revenue_per_job", w.revenue_per_job, {.minimum = 0, .exclusive = true, .maximum = 1e300}));
  GPUCOST_TRY(check_range("output_gb", w.output_gb, {.minimum = 0, .maximum = 1e300}));
  GPUCOST_TRY(check_range(
      "interruptions_per_hour", w.interruptions_per_hour, {.minimum = 0, .maximum = 3600}));
  if (!(w.gpu_bound_fraction >= 0 && w.gpu_bound_fraction <= 1)) {
    return make_error(
        fmt::format("invalid workload: gpu_bound_fraction must be between 0 and 1 (got {})",
                    w.gpu_bound_fraction));
  }
  if (w.max_workers && *w.max_workers < 1) {
    return make_error(
        fmt::format("invalid workload: max_workers must be at least 1 (got {})", *w.max_workers));
  }
  if (w.gpus_per_job < 1) {
    return make_error(
        fmt::format("invalid workload: gpus_per_job must be at least 1 (got {})", w.gpus_per_job));
  }
  for (const auto& [unit, units] : w.units_per_job) {
    GPUCOST_TRY(check_range(fmt::format("units_per_job[\"{}\"]", to_string(unit)),
                            units,
                            {.minimum = 0, .exclusive = true, .maximum = k_max_units_per_job}));
  }
  if (!has_job_time(w) && w.units_per_job.empty()) {
    return make_error("no job time: give --job-seconds with --ref-gpu, or a workload file (or "
                      "--units UNIT=N to price api offers only)");
  }
  if (w.job_seconds && w.ref_gpu.empty()) {
    return make_error("--job-seconds needs --ref-gpu (the GPU the job time was measured on)");
  }
  return Ok{};
}

} // namespace gpucost
