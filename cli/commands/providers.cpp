// `gpucost providers`: each provider's products with billing, start-up and keep-alive traits.

#include "commands.hpp"
#include "common.hpp"

#include <gpucost/render/render_reference.hpp>

#include <memory>

namespace gpucost::cli {

namespace {

struct ProvidersOptions {
  std::string format = "table";
};

void run_providers(const ProvidersOptions& options, Context& context) {
  const ListingFormat format = parse_listing_format(options.format);
  const DataSet data = load_reference_data(context);
  switch (format) {
  case ListingFormat::table:
    context.out << render_providers_table(data.providers, table_style(context));
    break;
  case ListingFormat::csv:
    context.out << render_providers_csv(data.providers);
    break;
  case ListingFormat::json:
    context.out << render_providers_json(data.providers);
    break;
  }
}

} // namespace

void register_providers(CLI::App& app, Context& context) {
  auto options = std::make_shared<ProvidersOptions>();
  CLI::App* command = app.add_subcommand(
      "providers",
      "List providers with their products' billing, start-up and keep-alive traits and sources");
  command->add_option("--format", options->format, "Output format: table, csv or json")
      ->default_str("table");
  command->callback([options, &context] { run_providers(*options, context); });
}

} // namespace gpucost::cli
