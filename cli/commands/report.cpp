// `gpucost report -o decision.html`: one self-contained HTML page with the workload, the ranked
// table, the charts, the break-even, the matrix with its sensitivity and the prices' provenance.

#include "breakeven_build.hpp"
#include "commands.hpp"
#include "decision_inputs.hpp"
#include "decision_outputs.hpp"
#include "matrix_build.hpp"

#include <gpucost/render/render_matrix.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/xml_escape.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <memory>

namespace gpucost::cli {

namespace {

struct ReportOptions {
  PricingOptions pricing;
  MatrixFlags matrix;
  std::string output;
  int rows = 10;
};

std::string html(std::string_view text) {
  return render::xml_escape(render::printable(text));
}

// An SVG document without its XML declaration, to inline in HTML.
std::string inline_svg(const std::string& svg) {
  const std::size_t start = svg.find("<svg");
  return start == std::string::npos ? svg : svg.substr(start);
}

std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::string& id) {
  std::string out = fmt::format("<table id=\"{}\">\n<thead><tr>", id);
  for (const auto& cell : header) {
    out += "<th>" + html(cell) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& cell : row) {
      out += "<td>" + html(cell) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string money(std::optional<double> value, int decimals) {
  return value ? render::format_fixed(*value, decimals) : "-";
}

std::string render_report(const PricedSet& set, const ReportOptions& options) {
  const CompareResult& result = set.result;
  const Workload& workload = set.workload;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>gpucost decision: {}</title>\n",
                     html(render::describe_workload(workload)));
  out += "<style>\nbody{font-family:sans-serif;margin:2em;max-width:1200px;color:#222}"
         "table{border-collapse:collapse;margin:1em 0;font-size:14px}"
         "th,td{border:1px solid #bbb;padding:4px 8px;text-align:left}"
         "th{background:#eee}td.num{text-align:right}figure{margin:1em 0}"
         "svg{max-width:100%;height:auto}.note{color:#555;font-size:13px}\n</style>\n</"
         "head>\n<body>\n";
  out += fmt::format("<h1>GPU decision record</h1>\n<p id=\"workload\">{}</p>\n",
                     html(render::describe_workload(workload)));
  out += fmt::format("<p class=\"note\">Generated {} by gpucost {}; catalog sha256 {}.</p>\n",
                     html(result.generated_at),
                     html(result.tool_version),
                     html(result.catalog.sha256));

  // Workload.
  std::vector<std::vector<std::string>> fields = {
      {"reference GPU", workload.ref_gpu},
      {"job seconds", workload.job_seconds ? render::format_quantity(*workload.job_seconds) : "-"},
      {"workload class", std::string(to_string(workload.workload_class))},
      {"GPUs per job", std::to_string(workload.gpus_per_job)},
      {"jobs a month",
       workload.jobs_per_month ? render::format_quantity(*workload.jobs_per_month) : "not given"},
      {"traffic", std::string(to_string(workload.traffic))},
      {"idle timeout (s)",
       workload.idle_timeout_s ? render::format_quantity(*workload.idle_timeout_s) : "per offer"},
      {"max utilization", render::format_quantity(workload.max_utilization)},
      {"revenue per job (USD)",
       workload.revenue_per_job ? render::format_quantity(*workload.revenue_per_job) : "-"}};
  out += "<h2>Workload</h2>\n" + table({"field", "value"}, fields, "workload-table");

  // Ranked options.
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < result.options.size() && i < static_cast<std::size_t>(options.rows);
       ++i) {
    const auto& option = result.options[i];
    rows.push_back(
        {std::to_string(option.rank),
         option_label(option),
         option.offer.product == Product::api ? std::string("-") // priced per unit, no rate
                                              : render::format_fixed(option.usd_per_hour, 4),
         render::format_fixed(option.estimate.cost_per_job, 6),
         money(option.estimate.monthly_cost, 2),
         render::format_fixed(option.estimate.p_cold, 3),
         option.estimate.margin ? render::format_fixed(100 * *option.estimate.margin, 1) + "%"
                                : "-",
         option.offer.fetched_at.empty() ? "unknown" : option.offer.fetched_at,
         option.price_age_s ? format_duration(*option.price_age_s, DurationStyle::compact)
                            : "unknown",
         option.offer.source});
  }
  out +=
      fmt::format("<h2>Ranked options</h2>\n<p>{} of {} priced rows, cheapest per job first.</p>\n",
                  rows.size(),
                  result.options.size());
  out += table({"rank",
                "option",
                "USD/h",
                "USD/job",
                "USD/month",
                "p_cold",
                "margin",
                "price fetched",
                "price age",
                "price source"},
               rows,
               "ranked");
  out += "<figure>" + inline_svg(compare_chart(result, static_cast<std::size_t>(options.rows)))
         + "</figure>\n";

  // Break-even.
  out += "<h2>Break-even</h2>\n";
  try {
    const BreakevenResult breakeven = compute_breakeven(set, 6, CrossingSearch{});
    std::vector<std::vector<std::string>> pairs;
    for (const auto& pair : breakeven.pairs) {
      pairs.push_back(
          {breakeven.options[pair.a].label,
           breakeven.options[pair.b].label,
           pair.jobs_per_month ? format_count_up(*pair.jobs_per_month) : "never",
           pair.cheaper_below.empty() ? "-" : pair.cheaper_below,
           pair.cheaper_above.empty() ? "-" : pair.cheaper_above,
           pair.capacity_jobs_per_month ? format_count_down(*pair.capacity_jobs_per_month) : "-",
           pair.servers_needed ? std::to_string(*pair.servers_needed) : "-"});
    }
    out += table({"a",
                  "b",
                  "break-even jobs/month",
                  "cheaper below",
                  "cheaper above",
                  "capacity jobs/month",
                  "servers"},
                 pairs,
                 "breakeven");
    out += "<figure>" + inline_svg(breakeven_chart(breakeven, set)) + "</figure>\n";
  } catch (const Error& error) {
    out += "<p class=\"note\">No break-even: " + html(error.what()) + "</p>\n";
  }

  // Matrix.
  out += "<h2>Decision matrix</h2>\n";
  try {
    const BuiltMatrix built =
        build_matrix_from(result.options, set.inputs.data, workload, options.matrix);
    const MatrixResult& matrix = built.result;
    out += "<p>" + html(built.heading) + "</p>\n";
    std::vector<std::string> header = {"rank", "option", "total /100", "behind first"};
    for (const auto& criterion : matrix.criteria) {
      header.push_back(criterion);
    }
    std::vector<std::vector<std::string>> matrix_rows;
    for (const auto& row : matrix.rows) {
      std::vector<std::string> cells = {std::to_string(row.rank),
                                        row.option,
                                        render::format_fixed(row.total, 1),
                                        render::format_fixed(row.distance_to_first, 1)};
      for (std::size_t c = 0; c < matrix.criteria.size(); ++c) {
        cells.push_back(fmt::format("{} ({})",
                                    render::format_fixed(row.scores[c], 1),
                                    render::format_fixed(row.contributions[c], 1)));
      }
      matrix_rows.push_back(std::move(cells));
    }
    out += table(header, matrix_rows, "matrix");
    std::vector<std::vector<std::string>> flips;
    for (const auto& flip : matrix.flips) {
      flips.push_back({flip.criterion,
                       flip.rival,
                       render::format_fixed(100 * flip.weight, 1) + "%",
                       describe_flip(flip)});
    }
    out += "<h3>Sensitivity</h3>\n<p>The weight one criterion needs (the others rescaled in "
           "proportion) for the rival to tie with "
           + html(matrix.rows.front().option) + ".</p>\n";
    out += table({"criterion", "rival", "weight now", "tie at"}, flips, "sensitivity");
    out += "<figure>" + inline_svg(matrix_chart(matrix)) + "</figure>\n";
    for (const auto& note : matrix.notes) {
      out += "<p class=\"note\">" + html(note) + "</p>\n";
    }
  } catch (const Error& error) {
    out += "<p class=\"note\">No matrix: " + html(error.what()) + "</p>\n";
  }

  // Provenance.
  std::vector<std::vector<std::string>> sources;
  for (const auto& source : result.catalog.sources) {
    sources.push_back({std::string(to_string(source.origin)),
                       source.location,
                       source.provider.empty() ? "-" : source.provider,
                       std::to_string(source.offers),
                       source.fetched_at.empty() ? "unknown" : source.fetched_at,
                       render::describe_source(source, result.generated_at)});
  }
  out += "<h2>Where the prices came from</h2>\n";
  out += table(
      {"origin", "location", "provider", "offers", "fetched at", "age"}, sources, "provenance");
  if (!result.warnings.empty()) {
    out += "<h2>Warnings</h2>\n<ul>\n";
    for (const auto& warning : result.warnings) {
      out += "<li>" + html(warning) + "</li>\n";
    }
    out += "</ul>\n";
  }
  return out + "</body>\n</html>\n";
}

void run_report(const ReportOptions& options, Context& context) {
  if (options.output.empty()) {
    throw Error("report: give -o FILE.html");
  }
  if (options.rows < 1) {
    throw Error(fmt::format("--rows: must be at least 1 (got {})", options.rows));
  }
  PricedSet set = price_all(options.pricing, context);
  write_text_file(options.output, render_report(set, options));
  context.out << fmt::format("wrote {}\n", options.output);
  print_warnings(context, set.result.warnings);
}

} // namespace

void register_report(CLI::App& app, Context& context) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* command = app.add_subcommand(
      "report", "Write a self-contained HTML decision report (table, charts, break-even, matrix)");
  add_pricing_options(*command, options->pricing);
  add_matrix_flags(*command, options->matrix);
  command->add_option("-o,--output", options->output, "HTML file to write");
  command->add_option("--rows", options->rows, "Ranked rows shown (default 10)");
  command->callback([options, &context] { run_report(*options, context); });
}

} // namespace gpucost::cli
