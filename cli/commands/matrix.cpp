// `gpucost matrix`: rank options on weighted criteria, with the sensitivity of the ranking.

#include "commands.hpp"
#include "decision_inputs.hpp"
#include "decision_outputs.hpp"
#include "matrix_build.hpp"

#include <gpucost/render/render_matrix.hpp>
#include <gpucost/util/file_text.hpp>

#include <fmt/format.h>

#include <fstream>
#include <memory>

namespace gpucost::cli {

namespace {

struct MatrixOptions {
  PricingOptions pricing;
  MatrixFlags matrix;
  FormatOptions output;
  std::string chart;
};

void run_matrix(const MatrixOptions& options, Context& context) {
  const BuiltMatrix built = build_matrix(options.pricing, options.matrix, context);
  switch (options.output.format) {
  case OutputFormat::table:
    context.out << render_matrix_table(built.result, built.heading);
    break;
  case OutputFormat::csv:
    context.out << render_matrix_csv(built.result, options.output.csv_dialect);
    break;
  case OutputFormat::json:
    context.out << render_matrix_json(built.result, built.heading);
    break;
  case OutputFormat::markdown:
    context.out << render_matrix_markdown(built.result, built.heading);
    break;
  case OutputFormat::github:
    break; // not offered (add_format_options)
  }
  if (!options.chart.empty()) {
    write_text_file(options.chart, matrix_chart(built.result));
  }
  print_warnings(context, built.warnings);
}

} // namespace

void register_matrix(CLI::App& app, Context& context) {
  auto options = std::make_shared<MatrixOptions>();
  CLI::App* command =
      app.add_subcommand("matrix", "Rank options on weighted criteria, with sensitivity");
  add_pricing_options(*command, options->pricing);
  add_matrix_flags(*command, options->matrix);
  add_format_options(*command, options->output);
  command->add_option(
      "--chart", options->chart, "Write an SVG chart of each option's total by criterion");
  command->callback([options, &context] { run_matrix(*options, context); });
}

} // namespace gpucost::cli
