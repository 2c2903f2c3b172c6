#include <gpucost/data/json_util.hpp>
#include <gpucost/data/workload_file.hpp>
#include <gpucost/model/units.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

namespace gpucost {

namespace {

// Reads a trait override: a number for every option, or an object of "provider" or
// "provider/product" to seconds.
Status read_override(const JsonReader& root,
                     std::string_view key,
                     std::optional<double>& all,
                     std::map<std::string, double>& by_provider) {
  const auto& node = root.node();
  const auto found = node.is_object() ? node.find(std::string(key)) : node.end();
  if (found == node.end() || !found->is_object()) {
    return root.number_field(key, all, {.minimum = 0, .maximum = k_seconds_per_year});
  }
  GPUCOST_TRY_ASSIGN(const auto table, root.object(key));
  for (const auto& [name, value] : found->items()) {
    std::optional<double> seconds;
    GPUCOST_TRY(table->number_field(name, seconds, {.minimum = 0, .maximum = k_seconds_per_year}));
    if (seconds) {
      by_provider[name] = *seconds;
    }
  }
  return Ok{};
}

// "units_per_job": {"audio_minute": 71}: units of the closed list to a number > 0.
Status read_units_per_job(const JsonReader& root, std::map<WorkUnit, double>& out) {
  GPUCOST_TRY_ASSIGN(const auto table, root.object("units_per_job"));
  if (!table) {
    return Ok{};
  }
  for (const auto& [name, value] : table->node().items()) {
    const auto unit = parse_work_unit(name);
    if (!unit) {
      return Unexpected{table->error(
          name, fmt::format("unknown unit \"{}\" (expected {})", name, work_unit_names()))};
    }
    std::optional<double> units;
    GPUCOST_TRY(table->number_field(
        name, units, {.minimum = 0, .exclusive = true, .maximum = k_max_units_per_job}));
    if (units) {
      out[*unit] = *units;
    }
  }
  return Ok{};
}

} // namespace

Expected<Workload> parse_workload(std::string_view json_text, const std::string& origin) {
  GPUCOST_TRY_ASSIGN(const auto document, parse_json_document(json_text, origin));
  if (const auto duplicate = find_duplicate_json_key(json_text)) {
    return make_error(duplicate_key_message(*duplicate, origin));
  }
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/workload", 1));
  return read_workload_object(root);
}

Expected<Workload> read_workload_object(const JsonReader& root) {
  GPUCOST_TRY(root.check_keys({"schema",
                               "schemaVersion",
                               "name",
                               "description",
                               "ref_gpu",
                               "job_seconds",
                               "measured_seconds",
                               "workload_class",
                               "gpus_per_job",
                               "jobs_per_month",
                               "traffic",
                               "idle_timeout_s",
                               "cold_start_s",
                               "max_utilization",
                               "revenue_per_job",
                               "output_gb",
                               "interruptions_per_hour",
                               "cross_vendor",
                               "gpu_bound_fraction",
                               "split_frame",
                               "units_per_job",
                               "assumptions",
                               "source"}));
  Workload w;
  GPUCOST_TRY(root.string_field("name", w.name, Presence::optional));
  GPUCOST_TRY(root.string_field("description", w.description, Presence::optional));
  GPUCOST_TRY(root.string_field("ref_gpu", w.ref_gpu, Presence::optional));
  if (!w.ref_gpu.empty()) {
    w.origins["ref_gpu"] = root.error("ref_gpu", "").message;
  }
  GPUCOST_TRY(root.number_field("job_seconds",
                                w.job_seconds,
                                {.minimum = 0, .exclusive = true, .maximum = k_seconds_per_year}));
  std::string text;
  GPUCOST_TRY(root.string_field("workload_class", text, Presence::optional));
  if (!text.empty()) {
    const auto parsed = parse_workload_class(text);
    if (!parsed) {
      return Unexpected{root.error("workload_class",
                                   fmt::format("unknown class \"{}\" (expected asr, diffusion, "
                                               "llm, training, render, encode, compute or memory)",
                                               text))};
    }
    w.workload_class = *parsed;
  }
  std::optional<int> gpus_per_job;
  GPUCOST_TRY(root.int_field("gpus_per_job", gpus_per_job, 1));
  w.gpus_per_job = gpus_per_job.value_or(1);
  GPUCOST_TRY(
      root.number_field("jobs_per_month",
                        w.jobs_per_month,
                        {.minimum = 0, .exclusive = true, .maximum = k_max_jobs_per_month}));
  text.clear();
  GPUCOST_TRY(root.string_field("traffic", text, Presence::optional));
  if (!text.empty()) {
    const auto parsed = parse_traffic(text);
    if (!parsed) {
      return Unexpected{root.error(
          "traffic", fmt::format("unknown traffic \"{}\" (expected poisson or sparse)", text))};
    }
    w.traffic = *parsed;
  }
  GPUCOST_TRY(read_override(root, "idle_timeout_s", w.idle_timeout_s, w.idle_timeout_by_provider));
  GPUCOST_TRY(read_override(root, "cold_start_s", w.cold_start_s, w.cold_start_by_provider));
  std::optional<double> utilization;
  GPUCOST_TRY(root.number_field(
      "max_utilization", utilization, {.minimum = 0, .exclusive = true, .maximum = 1}));
  w.max_utilization = utilization.value_or(0.8);
  GPUCOST_TRY(
      root.number_field("revenue_per_job", w.revenue_per_job, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(root.number_field("output_gb", w.output_gb, 0));
  GPUCOST_TRY(root.number_field("interruptions_per_hour", w.interruptions_per_hour, 0));
  std::optional<bool> cross_vendor;
  GPUCOST_TRY(root.bool_field("cross_vendor", cross_vendor));
  w.cross_vendor = cross_vendor.value_or(false);
  std::optional<double> fraction;
  GPUCOST_TRY(root.number_field("gpu_bound_fraction", fraction, {.minimum = 0, .maximum = 1}));
  w.gpu_bound_fraction = fraction.value_or(1.0);
  std::optional<bool> split_frame;
  GPUCOST_TRY(root.bool_field("split_frame", split_frame));
  w.split_frame = split_frame.value_or(false);
  GPUCOST_TRY(root.string_list_field("assumptions", w.assumptions));
  GPUCOST_TRY(root.string_field("source", w.source, Presence::optional));

  const auto measured = root.object("measured_seconds");
  if (!measured) {
    return Unexpected{root.error("measured_seconds", "must be an object of GPU name to seconds")};
  }
  if (*measured) {
    const JsonReader& table = **measured;
    for (const auto& [gpu, value] : table.node().items()) {
      std::optional<double> seconds;
      GPUCOST_TRY(table.number_field(
          gpu, seconds, {.minimum = 0, .exclusive = true, .maximum = k_seconds_per_year}));
      if (seconds) {
        w.measured_seconds[gpu] = *seconds;
        w.origins["measured_seconds." + gpu] = table.error(gpu, "").message;
      }
    }
  }
  GPUCOST_TRY(read_units_per_job(root, w.units_per_job));
  if (!has_job_time(w) && w.units_per_job.empty()) {
    return Unexpected{root.error("job_seconds",
                                 "is required (or give measured_seconds for at least one GPU, or "
                                 "units_per_job to price api offers only)")};
  }
  if (w.job_seconds && w.ref_gpu.empty()) {
    return Unexpected{
        root.error("ref_gpu", "is required with job_seconds (the GPU it was measured on)")};
  }
  return w;
}

} // namespace gpucost
