// `gpucost breakeven`: the monthly volume at which each pair of options costs the same, with the
// capacity of always-on servers and the servers needed past it.

#include "breakeven_build.hpp"
#include "commands.hpp"
#include "decision_outputs.hpp"

#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/table_layout.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>

namespace gpucost::cli {

namespace {

using Json = nlohmann::ordered_json;

struct BreakevenOptions {
  PricingOptions pricing;
  int top = 6;
  double max_jobs = 1e7;
  std::string chart;
  FormatOptions output;
};

Json optional_json(std::optional<double> value) {
  return value ? Json(*value) : Json(nullptr);
}

std::string render_json(const BreakevenResult& result, const PricedSet& set) {
  Json options = Json::array();
  for (const auto& option : result.options) {
    const auto& row = option.row;
    options.push_back(
        {{"option", option.label},
         {"provider", row.offer.provider},
         {"product", to_string(row.offer.product)},
         {"gpu", row.offer.gpu},
         {"mode", to_string(row.estimate.mode)},
         {"pricing", to_string(row.estimate.pricing)},
         {"price_per_hour", row.usd_per_hour},
         {"cost_per_job", row.estimate.cost_per_job},
         {"monthly_cost", optional_json(row.estimate.monthly_cost)},
         {"margin", optional_json(row.estimate.margin)},
         {"capacity_jobs_per_month", optional_json(option.capacity_jobs_per_month)},
         {"capacity_jobs_per_month_full", optional_json(option.capacity_jobs_per_month_full)},
         {"pays_for_itself_jobs_per_month", optional_json(option.pays_for_itself_jobs_per_month)}});
  }
  Json pairs = Json::array();
  for (const auto& pair : result.pairs) {
    Json crossings = Json::array();
    for (const auto& crossing : pair.crossings) {
      crossings.push_back({{"jobs_per_month", crossing.jobs_per_month},
                           {"a_monthly_usd", crossing.first_monthly_usd},
                           {"b_monthly_usd", crossing.second_monthly_usd},
                           {"a_cheaper_above", crossing.first_cheaper_above}});
    }
    pairs.push_back(
        {{"a", result.options[pair.a].label},
         {"b", result.options[pair.b].label},
         {"jobs_per_month", optional_json(pair.jobs_per_month)},
         {"cheaper_below", pair.cheaper_below.empty() ? Json(nullptr) : Json(pair.cheaper_below)},
         {"cheaper_above", pair.cheaper_above.empty() ? Json(nullptr) : Json(pair.cheaper_above)},
         {"capacity_jobs_per_month", optional_json(pair.capacity_jobs_per_month)},
         {"capacity_jobs_per_month_full", optional_json(pair.capacity_jobs_per_month_full)},
         {"servers_needed", pair.servers_needed ? Json(*pair.servers_needed) : Json(nullptr)},
         {"second_server_jobs_per_month", optional_json(pair.second_server_jobs_per_month)},
         {"crossings", crossings}});
  }
  const Json document = {{"schema", "gpucost/breakeven"},
                         {"schemaVersion", 1},
                         {"tool_version", set.result.tool_version},
                         {"generatedAt", set.result.generated_at},
                         {"currency", "USD"},
                         {"title", render::describe_workload(set.workload)},
                         {"search",
                          {{"min_jobs_per_month", result.search.min_jobs_per_month},
                           {"max_jobs_per_month", result.search.max_jobs_per_month}}},
                         {"options", options},
                         {"pairs", pairs},
                         {"warnings", result.warnings}};
  return document.dump(2) + "\n";
}

std::vector<render::Column> pair_columns(const BreakevenResult& result) {
  using render::Align;
  std::vector<render::Column> columns = {{"a", Align::left, 0, false, {}},
                                         {"b", Align::left, 0, false, {}},
                                         {"break-even jobs/month", Align::right, 0, false, {}},
                                         {"cheaper below", Align::left, 0, false, {}},
                                         {"cheaper above", Align::left, 0, false, {}},
                                         {"capacity jobs/month", Align::right, 0, false, {}},
                                         {"servers", Align::right, 0, false, {}}};
  for (const auto& pair : result.pairs) {
    columns[0].cells.push_back(render::printable(result.options[pair.a].label));
    columns[1].cells.push_back(render::printable(result.options[pair.b].label));
    columns[2].cells.push_back(pair.jobs_per_month ? format_count_up(*pair.jobs_per_month)
                                                   : "never");
    columns[3].cells.push_back(pair.cheaper_below.empty() ? "-"
                                                          : render::printable(pair.cheaper_below));
    columns[4].cells.push_back(pair.cheaper_above.empty() ? "-"
                                                          : render::printable(pair.cheaper_above));
    columns[5].cells.push_back(pair.capacity_jobs_per_month ? fmt::format(
                                   "{} ({} at 100%)",
                                   format_count_down(*pair.capacity_jobs_per_month),
                                   format_count_down(pair.capacity_jobs_per_month_full.value_or(0)))
                                                            : "-");
    columns[6].cells.push_back(pair.servers_needed ? std::to_string(*pair.servers_needed) : "-");
  }
  return columns;
}

std::vector<render::Column> option_columns(const BreakevenResult& result) {
  using render::Align;
  std::vector<render::Column> columns = {{"option", Align::left, 0, false, {}},
                                         {"$/job", Align::right, 0, false, {}},
                                         {"$/month", Align::right, 0, true, {}},
                                         {"margin", Align::right, 0, true, {}},
                                         {"pays for itself above", Align::right, 0, true, {}}};
  for (const auto& option : result.options) {
    const auto& estimate = option.row.estimate;
    columns[0].cells.push_back(render::printable(option.label));
    columns[1].cells.push_back(render::format_fixed(estimate.cost_per_job, 6));
    columns[2].cells.push_back(
        estimate.monthly_cost ? render::format_fixed(*estimate.monthly_cost, 2) : "-");
    columns[3].cells.push_back(
        estimate.margin ? render::format_fixed(100 * *estimate.margin, 1) + "%" : "-");
    columns[4].cells.push_back(option.pays_for_itself_jobs_per_month
                                   ? format_count_up(*option.pays_for_itself_jobs_per_month)
                                   : "-");
  }
  std::erase_if(columns, [](const render::Column& column) {
    return column.optional && std::all_of(column.cells.begin(), column.cells.end(), [](auto& c) {
             return c == "-";
           });
  });
  return columns;
}

// The two text forms of the break-even tables.
enum class TableMarkup { text, markdown };

std::string render_table(const BreakevenResult& result, const PricedSet& set, TableMarkup markup) {
  std::string out;
  std::string heading = render::describe_workload(set.workload);
  if (heading.rfind("Cost per job", 0) == 0) {
    heading.replace(0, 12, "Break-even");
  }
  const auto options = option_columns(result);
  const auto pairs = pair_columns(result);
  if (markup == TableMarkup::markdown) {
    out += "### " + render::markdown_escape(heading) + "\n\n";
    out += render::markdown_table(options) + "\n" + render::markdown_table(pairs);
  } else {
    const TableStyle plain{.columns = 0, .color = false};
    out += render::printable(heading) + "\n\n";
    out += render::render_rows(options, std::vector<bool>(result.options.size(), false), plain);
    out += "\n";
    out += render::render_rows(pairs, std::vector<bool>(result.pairs.size(), false), plain);
    out += fmt::format("\nBreak-even volumes rounded up, capacities down; searched {} to {} jobs a "
                       "month; servers: always-on workers needed at the break-even volume.\n",
                       format_count_down(result.search.min_jobs_per_month),
                       format_count_down(result.search.max_jobs_per_month));
  }
  return out;
}

std::string render_csv(const BreakevenResult& result, render::CsvDialect dialect) {
  render::CsvWriter csv(dialect,
                        {"a",
                         "b",
                         "jobs_per_month",
                         "cheaper_below",
                         "cheaper_above",
                         "capacity_jobs_per_month",
                         "capacity_jobs_per_month_full",
                         "servers_needed"});
  for (const auto& pair : result.pairs) {
    csv.add_record({render::csv_text_cell(result.options[pair.a].label),
                    render::csv_text_cell(result.options[pair.b].label),
                    render::csv_number_cell(pair.jobs_per_month),
                    render::csv_text_cell(pair.cheaper_below),
                    render::csv_text_cell(pair.cheaper_above),
                    render::csv_number_cell(pair.capacity_jobs_per_month),
                    render::csv_number_cell(pair.capacity_jobs_per_month_full),
                    render::csv_integer_cell(pair.servers_needed)});
  }
  return std::move(csv).text();
}

void run_breakeven(const BreakevenOptions& options, Context& context) {
  PricedSet set = price_all(options.pricing, context);
  CrossingSearch search;
  search.max_jobs_per_month = options.max_jobs;
  const BreakevenResult result = compute_breakeven(set, options.top, search);
  switch (options.output.format) {
  case OutputFormat::table:
    context.out << render_table(result, set, TableMarkup::text);
    break;
  case OutputFormat::markdown:
    context.out << render_table(result, set, TableMarkup::markdown);
    break;
  case OutputFormat::csv:
    context.out << render_csv(result, options.output.csv_dialect);
    break;
  case OutputFormat::json:
    context.out << render_json(result, set);
    break;
  case OutputFormat::github:
    break; // not offered (add_format_options)
  }
  if (!options.chart.empty()) {
    write_text_file(options.chart, breakeven_chart(result, set));
  }
  auto warnings = set.result.warnings;
  warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());
  print_warnings(context, warnings);
}

} // namespace

void register_breakeven(CLI::App& app, Context& context) {
  auto options = std::make_shared<BreakevenOptions>();
  CLI::App* command = app.add_subcommand(
      "breakeven", "Monthly volume at which each pair of options costs the same");
  add_pricing_options(*command, options->pricing);
  command->add_option("--top",
                      options->top,
                      "Options compared: the cheapest of each provider, product and mode (6)");
  command->add_option(
      "--max-jobs-per-month", options->max_jobs, "Highest monthly volume searched (default 1e7)");
  command->add_option("--chart", options->chart, "Write an SVG chart of monthly cost vs volume");
  add_format_options(*command, options->output);
  command->callback([options, &context] { run_breakeven(*options, context); });
}

} // namespace gpucost::cli
