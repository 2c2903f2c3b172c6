#pragma once

// The workload flags every command that prices a job takes, and the workload they build.

#include <gpucost/data/data_set.hpp>
#include <gpucost/model/workload.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

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
  std::optional<double> idle_timeout_s;
  std::optional<double> cold_start_s;
  std::optional<double> max_utilization;
  std::optional<double> revenue_per_job;
  std::optional<double> output_gb;
  std::optional<double> interruptions_per_hour;
  bool cross_vendor = false;
};

// Adds --workload, --ref-gpu, --job-seconds, --workload-class, --gpus-per-job, --jobs-per-month,
// --traffic, --idle-timeout, --cold-start, --max-utilization, --revenue-per-job, --output-gb,
// --interruptions-per-hour and --cross-vendor to `command`.
void add_workload_options(CLI::App& command, WorkloadOptions& options);

// The workload from the file (if any) with every flag applied over it, its GPU names resolved to
// canonical ones; throws Error naming the file or flag on bad input.
Workload build_workload(const WorkloadOptions& options, const DataSet& data);

} // namespace gpucost::cli
