// `gpucost compare`: rank provider × GPU × product × mode options by cost per job.

#include "commands.hpp"
#include "common.hpp"
#include "decision_outputs.hpp"
#include "workload_options.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/render/render.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <limits>
#include <memory>

namespace gpucost::cli {

namespace {

struct CompareOptions {
  WorkloadOptions workload;
  std::optional<int> top;
  FilterOptions filters;
  CatalogOptions catalog;
  OutputFormat format = OutputFormat::table;
  std::string chart;
};

void run_compare(const CompareOptions& options, Context& context) {
  if (options.top && *options.top < 1) {
    throw Error(fmt::format("--top: must be at least 1 (got {})", *options.top));
  }
  Inputs inputs = load_inputs(options.catalog, context);
  const Workload workload = build_workload(options.workload, inputs.data);
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
  if (!options.chart.empty()) {
    write_text_file(options.chart, compare_chart(result, 10));
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
  add_workload_options(*command, options->workload);
  command->add_option("--top", options->top, "Show only the N cheapest rows");
  add_filter_options(*command, options->filters, true);
  add_catalog_options(*command, options->catalog);
  add_format_option(*command, options->format);
  command->add_option("--chart",
                      options->chart,
                      "Write an SVG chart of the cost split of the top rows (at most 10)");
  command->callback([options, &context] { run_compare(*options, context); });
}

} // namespace gpucost::cli
