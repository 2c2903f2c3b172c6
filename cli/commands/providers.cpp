// `gpucost providers`: each provider's products with billing, start-up and keep-alive traits.

#include "commands.hpp"
#include "common.hpp"

#include <gpucost/render/render_reference.hpp>

#include <memory>

namespace gpucost::cli {

namespace {

struct ProvidersOptions {
  FormatOptions output;
};

void run_providers(const ProvidersOptions& options, Context& context) {
  const DataSet data = load_reference_data(context);
  switch (options.output.format) {
  case OutputFormat::table:
    context.out << render_providers_table(data.providers, table_style(context, options.output));
    break;
  case OutputFormat::csv:
    context.out << render_providers_csv(data.providers, options.output.csv_dialect);
    break;
  case OutputFormat::json:
    context.out << render_providers_json(data.providers);
    break;
  case OutputFormat::markdown:
  case OutputFormat::github:
    break; // not offered (add_format_options)
  }
}

} // namespace

void register_providers(CLI::App& app, Context& context) {
  auto options = std::make_shared<ProvidersOptions>();
  CLI::App* command = app.add_subcommand(
      "providers",
      "List providers with their products' billing, start-up and keep-alive traits and sources");
  add_format_options(
      *command, options->output, {OutputFormat::table, OutputFormat::csv, OutputFormat::json});
  add_wide_option(*command, options->output);
  command->callback([options, &context] { run_providers(*options, context); });
}

} // namespace gpucost::cli
