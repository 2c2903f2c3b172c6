#include "workload_options.hpp"

#include "common.hpp"

#include <gpucost/data/workload_file.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/util/error.hpp>
#include <gpucost/util/strings.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <string_view>

namespace gpucost::cli {

void add_workload_options(CLI::App& command, WorkloadOptions& options) {
  command.add_option("--workload", options.workload_file, "Workload file (JSON)");
  command.add_option("--ref-gpu", options.ref_gpu, "GPU the job time was measured on");
  command.add_option("--job-seconds", options.job_seconds, "Seconds one job takes on --ref-gpu");
  command.add_option(
      "--workload-class",
      options.workload_class,
      "How time scales: asr, diffusion, llm, training, render, encode, compute or memory");
  command.add_option("--gpu-bound-fraction",
                     options.gpu_bound_fraction,
                     "Share of the job that speeds up on a faster GPU, 0..1 (default 1)");
  command.add_flag(
      "--split-frame",
      options.split_frame,
      "Encode: one stream uses every NVENC engine (split-frame, 4K+ on Ada and later)");
  command.add_option("--gpus-per-job", options.gpus_per_job, "GPUs one job needs (default 1)")
      ->transform(decimal_whole_number());
  command.add_option("--jobs-per-month", options.jobs_per_month, "Jobs a month (volume)");
  command.add_option("--traffic", options.traffic, "Arrivals: poisson or sparse");
  command.add_option("--idle-timeout",
                     options.idle_timeout,
                     "Keep-alive seconds after a job: S for every option, or provider=S or "
                     "provider/product=S (repeatable)");
  command.add_option("--cold-start",
                     options.cold_start,
                     "Start-up seconds (0 allowed): S for every option, or provider=S or "
                     "provider/product=S (repeatable)");
  command.add_option(
      "--max-utilization", options.max_utilization, "Usable share of always-on capacity (0.8)");
  command
      .add_option("--max-workers",
                  options.max_workers,
                  "Workers at once, at most: a serverless fleet's or a simulation's (default: "
                  "the provider's documented default, see 'gpucost providers --format json')")
      ->transform(decimal_whole_number());
  command.add_option("--revenue-per-job", options.revenue_per_job, "USD earned per job");
  command.add_option("--output-gb", options.output_gb, "GB of output leaving the provider per job");
  command.add_option("--interruptions-per-hour",
                     options.interruptions_per_hour,
                     "Spot interruptions per hour where an offer has none");
  command.add_flag("--cross-vendor",
                   options.cross_vendor,
                   "Scale the job time to GPUs of other vendors too (e.g. NVIDIA to AMD)");
  command.add_option("--units",
                     options.units,
                     fmt::format("Units of work one job is, for api offers priced per unit: "
                                 "UNIT=N (repeatable); UNIT is {}",
                                 work_unit_names()));
}

namespace {

// Checks a "provider" or "provider/product" key against providers.json; throws Error.
void check_override_key(std::string_view flag, const std::string& key, const DataSet& data) {
  const auto slash = key.find('/');
  const std::string provider = key.substr(0, slash);
  if (data.providers.find(provider) == nullptr) {
    throw Error(fmt::format(
        "{}: unknown provider \"{}\" in \"{}\" (see 'gpucost providers')", flag, provider, key));
  }
  if (slash != std::string::npos && !parse_product(key.substr(slash + 1))) {
    throw Error(fmt::format("{}: unknown product \"{}\" in \"{}\" (expected pod, vm, serverless or "
                            "dedicated)",
                            flag,
                            key.substr(slash + 1),
                            key));
  }
}

double parse_seconds(std::string_view flag, const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !(value >= 0 && value <= k_seconds_per_year)) {
    throw Error(fmt::format(
        "{}: \"{}\" is not a number of seconds between 0 and one year (give S, provider=S or "
        "provider/product=S)",
        flag,
        text));
  }
  return value;
}

// Applies "S" (every option) and "provider[/product]=S" values of a repeatable flag.
void apply_overrides(std::string_view flag,
                     const std::vector<std::string>& values,
                     const DataSet& data,
                     std::optional<double>& all,
                     std::map<std::string, double>& by_provider) {
  for (const auto& value : values) {
    const auto eq = value.find('=');
    if (eq == std::string::npos) {
      all = parse_seconds(flag, value);
      continue;
    }
    const std::string key = value.substr(0, eq);
    check_override_key(flag, key, data);
    by_provider[key] = parse_seconds(flag, value.substr(eq + 1));
  }
}

// Applies "UNIT=N" values of --units over the workload file's units_per_job.
void apply_units(const std::vector<std::string>& values, std::map<WorkUnit, double>& units) {
  for (const auto& value : values) {
    const auto eq = value.find('=');
    const auto unit = parse_work_unit(value.substr(0, eq));
    if (eq == std::string::npos || !unit) {
      throw Error(fmt::format("--units: unknown unit \"{}\" in \"{}\" (give UNIT=N; UNIT is {})",
                              value.substr(0, eq),
                              value,
                              work_unit_names()));
    }
    const auto number = parse_finite_number(std::string_view(value).substr(eq + 1));
    if (!number || !(*number > 0 && *number <= k_max_units_per_job)) {
      throw Error(fmt::format(
          "--units: \"{}\" is not a number of units greater than 0 and at most {} in \"{}\"",
          value.substr(eq + 1),
          k_max_units_per_job,
          value));
    }
    units[*unit] = *number;
  }
}

} // namespace

std::optional<double> seconds_for_all(std::string_view flag,
                                      const std::vector<std::string>& values) {
  std::optional<double> all;
  for (const auto& value : values) {
    if (value.find('=') == std::string::npos) {
      all = parse_seconds(flag, value);
    }
  }
  return all;
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
      throw Error(fmt::format("--workload-class: unknown class \"{}\" (expected asr, diffusion, "
                              "llm, training, render, encode, compute or memory)",
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
  for (const auto* table : {&workload.idle_timeout_by_provider, &workload.cold_start_by_provider}) {
    for (const auto& [key, seconds] : *table) {
      check_override_key(options.workload_file, key, data);
    }
  }
  apply_overrides("--idle-timeout",
                  options.idle_timeout,
                  data,
                  workload.idle_timeout_s,
                  workload.idle_timeout_by_provider);
  apply_overrides("--cold-start",
                  options.cold_start,
                  data,
                  workload.cold_start_s,
                  workload.cold_start_by_provider);
  if (options.max_utilization) {
    workload.max_utilization = *options.max_utilization;
  }
  if (options.max_workers) {
    workload.max_workers = options.max_workers;
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
  if (options.gpu_bound_fraction) {
    workload.gpu_bound_fraction = *options.gpu_bound_fraction;
  }
  if (options.split_frame) {
    workload.split_frame = true;
  }
  apply_units(options.units, workload.units_per_job);
  value_or_throw(validate_workload(workload));

  // Resolve GPU names to canonical ones now, so a typo is an error, not an empty ranking.
  if (!workload.ref_gpu.empty()) {
    const GpuSpec* gpu = data.gpus.find(workload.ref_gpu);
    if (gpu == nullptr) {
      const auto family = data.gpus.match_family(workload.ref_gpu);
      if (family.size() == 1) {
        gpu = family.front();
      } else if (family.size() > 1) {
        std::vector<std::string> names;
        for (const GpuSpec* variant : family) {
          names.push_back(fmt::format("\"{}\"", variant->name));
        }
        throw Error(fmt::format("--ref-gpu: \"{}\" is ambiguous: it matches {} (name the model the "
                                "job time was measured on)",
                                workload.ref_gpu,
                                fmt::join(names, ", ")));
      }
    }
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
