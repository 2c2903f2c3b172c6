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

constexpr std::size_t k_rows_for_people = 20; // table and markdown rows without --top

struct CompareOptions {
  WorkloadOptions workload;
  std::optional<int> top;
  FilterOptions filters;
  CatalogOptions catalog;
  FormatOptions output;
  std::string chart;
};

void run_compare(const CompareOptions& options, Context& context) {
  if (options.top && *options.top < 0) {
    throw Error(fmt::format("--top: must be 0 (every row) or more (got {})", *options.top));
  }
  Inputs inputs =
      load_inputs(options.catalog, context, options.filters.providers, &options.filters);
  const Workload workload = build_workload(options.workload, inputs.data);
  const OfferFilters filters =
      resolve_filters(options.filters, inputs.data, inputs.catalog.offers, &context.err);

  // People read tables and markdown: 20 rows unless --top says otherwise (0: every row). Machines
  // read JSON and CSV: every row unless --top is given.
  const bool for_people = options.output.format == OutputFormat::table
                          || options.output.format == OutputFormat::markdown;
  std::size_t limit = std::numeric_limits<std::size_t>::max();
  if (options.top) {
    if (*options.top > 0) {
      limit = static_cast<std::size_t>(*options.top);
    }
  } else if (for_people) {
    limit = k_rows_for_people;
  }
  CompareResult result = rank_options(inputs.catalog.offers,
                                      inputs.data.gpus,
                                      inputs.data.providers,
                                      inputs.data.benchmarks,
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
  if (for_people && result.total_options > result.options.size()) {
    const std::size_t more = result.total_options - result.options.size();
    result.warnings.push_back(fmt::format("{} more row{} not shown (of {}): give --top N, or "
                                          "--top 0 for every row",
                                          more,
                                          more == 1 ? " is" : "s are",
                                          result.total_options));
  }

  switch (options.output.format) {
  case OutputFormat::table:
    context.out << render_compare_table(result, table_style(context, options.output));
    break;
  case OutputFormat::csv:
    context.out << render_compare_csv(result, options.output.csv_dialect);
    break;
  case OutputFormat::json:
    context.out << render_compare_json(result);
    break;
  case OutputFormat::markdown:
    context.out << render_compare_markdown(result);
    break;
  case OutputFormat::github:
    break; // not offered (add_format_options)
  }
  if (!options.chart.empty()) {
    write_text_file(options.chart, compare_chart(result, 10));
  }
  if (options.output.format != OutputFormat::table) {
    print_warnings(context, result.warnings); // the table prints them in its footer
  }
}

} // namespace

void register_compare(CLI::App& app, Context& context) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* command = app.add_subcommand(
      "compare", "Rank GPU options by cost per job for a workload (cheapest first)");
  add_workload_options(*command, options->workload);
  command
      ->add_option(
          "--top",
          options->top,
          "Show only the N cheapest rows (0: every row; tables and markdown show 20 by default)")
      ->transform(decimal_whole_number());
  add_filter_options(*command, options->filters, RowFilters::included);
  add_catalog_options(*command, options->catalog);
  add_format_options(*command, options->output);
  add_wide_option(*command, options->output);
  command->add_option("--chart",
                      options->chart,
                      "Write an SVG chart of the cost split of the top rows (at most 10)");
  command->callback([options, &context] { run_compare(*options, context); });
}

} // namespace gpucost::cli
