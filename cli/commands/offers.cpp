// `gpucost offers`: list the catalog with the same filters and formats as compare.

#include "commands.hpp"
#include "common.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/model/offer_listing.hpp>
#include <gpucost/render/render_offers.hpp>

#include <fmt/format.h>

#include <limits>
#include <memory>

namespace gpucost::cli {

namespace {

struct OffersOptions {
  FilterOptions filters;
  CatalogOptions catalog;
  std::optional<int> top;
  FormatOptions output;
};

void run_offers(const OffersOptions& options, Context& context) {
  if (options.top && *options.top < 1) {
    throw Error(fmt::format("--top: must be at least 1 (got {})", *options.top));
  }
  Inputs inputs = load_inputs(options.catalog, context, options.filters.providers);
  const OfferFilters filters =
      resolve_filters(options.filters, inputs.data, inputs.catalog.offers, &context.err);

  OffersListing listing;
  listing.tool_version = GPUCOST_VERSION;
  listing.generated_at = format_iso8601(inputs.now_s);
  listing.catalog.sources = inputs.catalog.sources;
  listing.catalog.sha256 = catalog_sha256(inputs.catalog);
  const std::size_t limit = options.top ? static_cast<std::size_t>(*options.top)
                                        : std::numeric_limits<std::size_t>::max();
  ListedOffers listed =
      list_offers(inputs.catalog.offers, inputs.data.gpus, filters, inputs.now_s, limit);
  listing.offers = std::move(listed.offers);
  listing.ages = std::move(listed.ages);
  listing.warnings = std::move(listed.warnings);
  auto stale = staleness_warnings(inputs.catalog.sources, inputs.now_s);
  listing.warnings.insert(listing.warnings.end(), stale.begin(), stale.end());

  switch (options.output.format) {
  case OutputFormat::table:
    context.out << render_offers_table(listing, table_style(context, options.output));
    break;
  case OutputFormat::csv:
    context.out << render_offers_csv(listing, options.output.csv_dialect);
    break;
  case OutputFormat::json:
    context.out << render_offers_json(listing);
    break;
  case OutputFormat::markdown:
    context.out << render_offers_markdown(listing);
    break;
  case OutputFormat::github:
    break; // not offered (add_format_options)
  }
  if (options.output.format != OutputFormat::table) {
    print_warnings(context, listing.warnings);
  }
}

} // namespace

void register_offers(CLI::App& app, Context& context) {
  auto options = std::make_shared<OffersOptions>();
  CLI::App* command =
      app.add_subcommand("offers", "List the catalog's offers (cheapest per hour first)");
  add_filter_options(*command, options->filters, RowFilters::excluded);
  add_catalog_options(*command, options->catalog);
  command->add_option("--top", options->top, "Show only the N cheapest offers")
      ->transform(decimal_whole_number());
  add_format_options(*command, options->output);
  add_wide_option(*command, options->output);
  command->callback([options, &context] { run_offers(*options, context); });
}

} // namespace gpucost::cli
