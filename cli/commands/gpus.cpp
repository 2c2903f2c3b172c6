// `gpucost gpus`: the known GPU models, their specs and the benchmark classes covering each.

#include "commands.hpp"
#include "common.hpp"

#include <gpucost/render/render_reference.hpp>

#include <memory>

namespace gpucost::cli {

namespace {

struct GpusOptions {
  FormatOptions output;
};

void run_gpus(const GpusOptions& options, Context& context) {
  const DataSet data = load_reference_data(context);
  switch (options.output.format) {
  case OutputFormat::table:
    context.out << render_gpus_table(
        data.gpus, data.benchmarks, table_style(context, options.output));
    break;
  case OutputFormat::csv:
    context.out << render_gpus_csv(data.gpus, data.benchmarks, options.output.csv_dialect);
    break;
  case OutputFormat::json:
    context.out << render_gpus_json(data.gpus, data.benchmarks);
    break;
  case OutputFormat::markdown:
  case OutputFormat::github:
    break; // not offered (add_format_options)
  }
}

} // namespace

void register_gpus(CLI::App& app, Context& context) {
  auto options = std::make_shared<GpusOptions>();
  CLI::App* command = app.add_subcommand(
      "gpus", "List the known GPU models, their specs and which benchmark classes cover them");
  add_format_options(
      *command, options->output, {OutputFormat::table, OutputFormat::csv, OutputFormat::json});
  add_wide_option(*command, options->output);
  command->callback([options, &context] { run_gpus(*options, context); });
}

} // namespace gpucost::cli
