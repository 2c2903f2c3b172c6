// `gpucost gpus`: the known GPU models, their specs and the benchmark classes covering each.

#include "commands.hpp"
#include "common.hpp"

#include <gpucost/render/render_reference.hpp>

#include <memory>

namespace gpucost::cli {

namespace {

struct GpusOptions {
  std::string format = "table";
};

void run_gpus(const GpusOptions& options, Context& context) {
  const ListingFormat format = parse_listing_format(options.format);
  const DataSet data = load_reference_data(context);
  switch (format) {
  case ListingFormat::table:
    context.out << render_gpus_table(data.gpus, data.benchmarks, table_style(context));
    break;
  case ListingFormat::csv:
    context.out << render_gpus_csv(data.gpus, data.benchmarks);
    break;
  case ListingFormat::json:
    context.out << render_gpus_json(data.gpus, data.benchmarks);
    break;
  }
}

} // namespace

void register_gpus(CLI::App& app, Context& context) {
  auto options = std::make_shared<GpusOptions>();
  CLI::App* command = app.add_subcommand(
      "gpus", "List the known GPU models, their specs and which benchmark classes cover them");
  command->add_option("--format", options->format, "Output format: table, csv or json")
      ->default_str("table");
  command->callback([options, &context] { run_gpus(*options, context); });
}

} // namespace gpucost::cli
