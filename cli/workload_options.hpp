#pragma once

// The workload flags every command that prices a job takes, and the workload they build.

#include <gpucost/data/data_set.hpp>
#include <gpucost/model/workload.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gpucost::cli {

// The workload as typed: a file and flags over it.
struct WorkloadOptions {
  std::string workload_file;
  std::string ref_gpu;
  std::optional<double> job_seconds;
  std::string workload_class;
  std::optional<int> gpus_per_job;
  std::optional<double> jobs_per_month;
  std::string traffic;
  std::vector<std::string> idle_timeout; // "S" or "provider[/product]=S", repeatable
  std::vector<std::string> cold_start;   // the same
  std::optional<double> max_utilization;
  std::optional<int> max_workers;
  std::optional<double> revenue_per_job;
  std::optional<double> output_gb;
  std::optional<double> interruptions_per_hour;
  bool cross_vendor = false;
  std::optional<double> gpu_bound_fraction;
  bool split_frame = false;
  std::vector<std::string> units; // "UNIT=N" units of work per job, repeatable
};

// Adds --workload, --ref-gpu, --job-seconds, --workload-class, --gpus-per-job, --jobs-per-month,
// --traffic, --idle-timeout, --cold-start, --max-utilization, --max-workers, --revenue-per-job,
// --output-gb, --interruptions-per-hour, --cross-vendor, --gpu-bound-fraction, --split-frame and
// --units to `command`.
void add_workload_options(CLI::App& command, WorkloadOptions& options);

// The workload from the file (if any) with every flag applied over it, its GPU names resolved to
// canonical ones; throws Error naming the file or flag on bad input.
Workload build_workload(const WorkloadOptions& options, const DataSet& data);

// The value of a repeatable "S or provider[/product]=S" flag that applies to every option (the
// last bare "S"), for commands that run without a catalog; empty when none; throws Error on a
// value that is not a number of seconds.
std::optional<double> seconds_for_all(std::string_view flag,
                                      const std::vector<std::string>& values);

} // namespace gpucost::cli
