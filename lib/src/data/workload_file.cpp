#include <gpucost/data/json_util.hpp>
#include <gpucost/data/workload_file.hpp>
#include <gpucost/model/units.hpp>

#include <fmt/format.h>

namespace gpucost {

Expected<Workload> parse_workload(std::string_view json_text, const std::string& origin) {
  auto document = parse_json_document(json_text, origin);
  if (!document) {
    return Unexpected{document.error()};
  }
  const JsonReader root(*document, json_text, origin);
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
                               "assumptions",
                               "source"}));
  Workload w;
  GPUCOST_TRY(root.string_field("name", w.name, false));
  GPUCOST_TRY(root.string_field("description", w.description, false));
  GPUCOST_TRY(root.string_field("ref_gpu", w.ref_gpu, false));
  GPUCOST_TRY(root.number_field("job_seconds", w.job_seconds, 0, true, k_seconds_per_year));
  std::string text;
  GPUCOST_TRY(root.string_field("workload_class", text, false));
  if (!text.empty()) {
    const auto parsed = parse_workload_class(text);
    if (!parsed) {
      return Unexpected{root.error(
          "workload_class",
          fmt::format("unknown class \"{}\" (expected compute, memory or encode)", text))};
    }
    w.workload_class = *parsed;
  }
  std::optional<int> gpus_per_job;
  GPUCOST_TRY(root.int_field("gpus_per_job", gpus_per_job, 1));
  w.gpus_per_job = gpus_per_job.value_or(1);
  GPUCOST_TRY(root.number_field("jobs_per_month", w.jobs_per_month, 0, true, k_max_jobs_per_month));
  text.clear();
  GPUCOST_TRY(root.string_field("traffic", text, false));
  if (!text.empty()) {
    const auto parsed = parse_traffic(text);
    if (!parsed) {
      return Unexpected{root.error(
          "traffic", fmt::format("unknown traffic \"{}\" (expected poisson or sparse)", text))};
    }
    w.traffic = *parsed;
  }
  GPUCOST_TRY(root.number_field("idle_timeout_s", w.idle_timeout_s, 0, false, k_seconds_per_year));
  GPUCOST_TRY(root.number_field("cold_start_s", w.cold_start_s, 0, false, k_seconds_per_year));
  std::optional<double> utilization;
  GPUCOST_TRY(root.number_field("max_utilization", utilization, 0, true, 1));
  w.max_utilization = utilization.value_or(0.8);
  GPUCOST_TRY(root.number_field("revenue_per_job", w.revenue_per_job, 0, true));
  GPUCOST_TRY(root.number_field("output_gb", w.output_gb, 0));
  GPUCOST_TRY(root.number_field("interruptions_per_hour", w.interruptions_per_hour, 0));
  std::optional<bool> cross_vendor;
  GPUCOST_TRY(root.bool_field("cross_vendor", cross_vendor));
  w.cross_vendor = cross_vendor.value_or(false);
  GPUCOST_TRY(root.string_list_field("assumptions", w.assumptions));
  GPUCOST_TRY(root.string_field("source", w.source, false));

  const auto measured = root.object("measured_seconds");
  if (!measured) {
    return Unexpected{root.error("measured_seconds", "must be an object of GPU name to seconds")};
  }
  if (*measured) {
    const JsonReader& table = **measured;
    for (const auto& [gpu, value] : table.node().items()) {
      std::optional<double> seconds;
      GPUCOST_TRY(table.number_field(gpu, seconds, 0, true, k_seconds_per_year));
      if (seconds) {
        w.measured_seconds[gpu] = *seconds;
      }
    }
  }
  if (!w.job_seconds && w.measured_seconds.empty()) {
    return Unexpected{
        root.error("job_seconds", "is required (or give measured_seconds for at least one GPU)")};
  }
  if (w.job_seconds && w.ref_gpu.empty()) {
    return Unexpected{
        root.error("ref_gpu", "is required with job_seconds (the GPU it was measured on)")};
  }
  return w;
}

} // namespace gpucost
