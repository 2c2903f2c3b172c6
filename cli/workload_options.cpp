#include "workload_options.hpp"

#include "common.hpp"

#include <gpucost/data/workload_file.hpp>
#include <gpucost/util/error.hpp>

#include <fmt/format.h>

#include <map>

namespace gpucost::cli {

void add_workload_options(CLI::App& command, WorkloadOptions& options) {
  command.add_option("--workload", options.workload_file, "Workload file (JSON)");
  command.add_option("--ref-gpu", options.ref_gpu, "GPU the job time was measured on");
  command.add_option("--job-seconds", options.job_seconds, "Seconds one job takes on --ref-gpu");
  command.add_option(
      "--workload-class", options.workload_class, "How time scales: compute, memory or encode");
  command.add_option("--gpus-per-job", options.gpus_per_job, "GPUs one job needs (default 1)")
      ->transform(decimal_whole_number());
  command.add_option("--jobs-per-month", options.jobs_per_month, "Jobs a month (volume)");
  command.add_option("--traffic", options.traffic, "Arrivals: poisson or sparse");
  command.add_option("--idle-timeout", options.idle_timeout_s, "Keep-alive seconds after a job");
  command.add_option("--cold-start", options.cold_start_s, "Start-up seconds (0 allowed)");
  command.add_option(
      "--max-utilization", options.max_utilization, "Usable share of always-on capacity (0.8)");
  command.add_option("--revenue-per-job", options.revenue_per_job, "USD earned per job");
  command.add_option("--output-gb", options.output_gb, "GB of output leaving the provider per job");
  command.add_option("--interruptions-per-hour",
                     options.interruptions_per_hour,
                     "Spot interruptions per hour where an offer has none");
  command.add_flag("--cross-vendor",
                   options.cross_vendor,
                   "Scale the job time to GPUs of other vendors too (e.g. NVIDIA to AMD)");
}

// The workload from the file (if any) with every flag applied over it.
Workload build_workload(const WorkloadOptions& options, const DataSet& data) {
  Workload workload;
  if (!options.workload_file.empty()) {
    const std::string text = value_or_throw(read_text_file(options.workload_file));
    workload = value_or_throw(parse_workload(text, options.workload_file));
  }
  if (!options.ref_gpu.empty()) {
    workload.ref_gpu = options.ref_gpu;
  }
  if (options.job_seconds) {
    workload.job_seconds = options.job_seconds;
  }
  if (!options.workload_class.empty()) {
    const auto parsed = parse_workload_class(options.workload_class);
    if (!parsed) {
      throw Error(fmt::format("--workload-class: unknown class \"{}\" (expected compute, memory or "
                              "encode)",
                              options.workload_class));
    }
    workload.workload_class = *parsed;
  }
  if (options.gpus_per_job) {
    workload.gpus_per_job = *options.gpus_per_job;
  }
  if (options.jobs_per_month) {
    workload.jobs_per_month = options.jobs_per_month;
  }
  if (!options.traffic.empty()) {
    const auto parsed = parse_traffic(options.traffic);
    if (!parsed) {
      throw Error(fmt::format("--traffic: unknown traffic \"{}\" (expected poisson or sparse)",
                              options.traffic));
    }
    workload.traffic = *parsed;
  }
  if (options.idle_timeout_s) {
    workload.idle_timeout_s = options.idle_timeout_s;
  }
  if (options.cold_start_s) {
    workload.cold_start_s = options.cold_start_s;
  }
  if (options.max_utilization) {
    workload.max_utilization = *options.max_utilization;
  }
  if (options.revenue_per_job) {
    workload.revenue_per_job = options.revenue_per_job;
  }
  if (options.output_gb) {
    workload.output_gb = options.output_gb;
  }
  if (options.interruptions_per_hour) {
    workload.interruptions_per_hour = options.interruptions_per_hour;
  }
  if (options.cross_vendor) {
    workload.cross_vendor = true;
  }
  value_or_throw(validate_workload(workload));

  // Resolve GPU names to canonical ones now, so a typo is an error, not an empty ranking.
  if (!workload.ref_gpu.empty()) {
    const GpuSpec* gpu = data.gpus.find(workload.ref_gpu);
    if (gpu == nullptr) {
      const auto suggestions = data.gpus.suggest(workload.ref_gpu);
      const auto origin = workload.origins.find("ref_gpu");
      const bool from_flag = !options.ref_gpu.empty() || origin == workload.origins.end();
      throw Error(fmt::format("{}unknown GPU model \"{}\"{}",
                              from_flag ? std::string("--ref-gpu: ") : origin->second,
                              workload.ref_gpu,
                              suggestions.empty()
                                  ? std::string(" (see data/gpus.json)")
                                  : fmt::format(" (did you mean \"{}\"?)", suggestions.front())));
    }
    workload.ref_gpu = gpu->name;
  }
  std::map<std::string, double> measured;
  for (const auto& [name, seconds] : workload.measured_seconds) {
    const GpuSpec* gpu = data.gpus.find(name);
    if (gpu == nullptr) {
      const auto suggestions = data.gpus.suggest(name);
      const auto origin = workload.origins.find("measured_seconds." + name);
      throw Error(fmt::format(
          "{}unknown GPU model \"{}\"{}",
          origin != workload.origins.end() ? origin->second
                                           : options.workload_file + ": measured_seconds: ",
          name,
          suggestions.empty() ? std::string()
                              : fmt::format(" (did you mean \"{}\"?)", suggestions.front())));
    }
    measured[gpu->name] = seconds;
  }
  workload.measured_seconds = std::move(measured);
  return workload;
}

} // namespace gpucost::cli
