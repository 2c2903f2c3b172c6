// `gpucost compare`: rank provider × GPU × product × mode options by cost per job.

#include "commands.hpp"
#include "common.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/data/workload_file.hpp>
#include <gpucost/model/compare.hpp>
#include <gpucost/render/render.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <limits>
#include <memory>

namespace gpucost::cli {

namespace {

struct CompareOptions {
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
  std::optional<int> top;
  FilterOptions filters;
  CatalogOptions catalog;
  OutputFormat format = OutputFormat::table;
};

// The workload from the file (if any) with every flag applied over it.
Workload build_workload(const CompareOptions& options, const DataSet& data) {
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
      throw Error(fmt::format("--ref-gpu: unknown GPU model \"{}\"{}",
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
      throw Error(fmt::format("{}: measured_seconds: unknown GPU model \"{}\"{}",
                              options.workload_file,
                              name,
                              suggestions.empty()
                                  ? std::string()
                                  : fmt::format(" (did you mean \"{}\"?)", suggestions.front())));
    }
    measured[gpu->name] = seconds;
  }
  workload.measured_seconds = std::move(measured);
  return workload;
}

void run_compare(const CompareOptions& options, Context& context) {
  if (options.top && *options.top < 1) {
    throw Error(fmt::format("--top: must be at least 1 (got {})", *options.top));
  }
  Inputs inputs = load_inputs(options.catalog, context);
  const Workload workload = build_workload(options, inputs.data);
  const OfferFilters filters = resolve_filters(options.filters, inputs.data, inputs.catalog.offers);

  const std::size_t limit = options.top ? static_cast<std::size_t>(*options.top)
                                        : std::numeric_limits<std::size_t>::max();
  CompareResult result = rank_options(inputs.catalog.offers,
                                      inputs.data.gpus,
                                      inputs.data.providers,
                                      workload,
                                      filters,
                                      inputs.now_s,
                                      limit);
  result.tool_version = GPUCOST_VERSION;
  result.generated_at = format_iso8601(inputs.now_s);
  result.catalog.sources = inputs.catalog.sources;
  result.catalog.sha256 = catalog_sha256(inputs.catalog);
  auto stale = staleness_warnings(inputs.catalog.sources, inputs.now_s);
  result.warnings.insert(result.warnings.end(), stale.begin(), stale.end());
  if (result.options.empty()) {
    result.warnings.emplace_back("no option matches: loosen the filters or check the catalog");
  }

  switch (options.format) {
  case OutputFormat::table:
    context.out << render_compare_table(result, table_style(context));
    break;
  case OutputFormat::csv:
    context.out << render_compare_csv(result);
    break;
  case OutputFormat::json:
    context.out << render_compare_json(result);
    break;
  case OutputFormat::markdown:
    context.out << render_compare_markdown(result);
    break;
  }
  if (options.format != OutputFormat::table) {
    print_warnings(context, result.warnings); // the table prints them in its footer
  }
}

} // namespace

void register_compare(CLI::App& app, Context& context) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* command = app.add_subcommand(
      "compare", "Rank GPU options by cost per job for a workload (cheapest first)");
  command->add_option("--workload", options->workload_file, "Workload file (JSON)");
  command->add_option("--ref-gpu", options->ref_gpu, "GPU the job time was measured on");
  command->add_option("--job-seconds", options->job_seconds, "Seconds one job takes on --ref-gpu");
  command->add_option(
      "--workload-class", options->workload_class, "How time scales: compute, memory or encode");
  command->add_option("--gpus-per-job", options->gpus_per_job, "GPUs one job needs (default 1)")
      ->transform(decimal_whole_number());
  command->add_option("--jobs-per-month", options->jobs_per_month, "Jobs a month (volume)");
  command->add_option("--traffic", options->traffic, "Arrivals: poisson or sparse");
  command->add_option("--idle-timeout", options->idle_timeout_s, "Keep-alive seconds after a job");
  command->add_option("--cold-start", options->cold_start_s, "Start-up seconds (0 allowed)");
  command->add_option(
      "--max-utilization", options->max_utilization, "Usable share of always-on capacity (0.8)");
  command->add_option("--revenue-per-job", options->revenue_per_job, "USD earned per job");
  command->add_option(
      "--output-gb", options->output_gb, "GB of output leaving the provider per job");
  command->add_option("--interruptions-per-hour",
                      options->interruptions_per_hour,
                      "Spot interruptions per hour where an offer has none");
  command->add_flag("--cross-vendor",
                    options->cross_vendor,
                    "Scale the job time to GPUs of other vendors too (e.g. NVIDIA to AMD)");
  command->add_option("--top", options->top, "Show only the N cheapest rows")
      ->transform(decimal_whole_number());
  add_filter_options(*command, options->filters, true);
  add_catalog_options(*command, options->catalog);
  add_format_option(*command, options->format);
  command->callback([options, &context] { run_compare(*options, context); });
}

} // namespace gpucost::cli
