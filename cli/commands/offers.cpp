// `gpucost offers`: list the catalog with the same filters and formats as compare.

#include "commands.hpp"
#include "common.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/render/render_offers.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

namespace gpucost::cli {

namespace {

struct OffersOptions {
  FilterOptions filters;
  CatalogOptions catalog;
  std::optional<int> top;
  OutputFormat format = OutputFormat::table;
  render::CsvDialect csv_dialect = render::CsvDialect::rfc4180;
};

// The price an offer is listed by: hourly, else spot, else monthly over 730 hours.
double listing_price(const Offer& offer) {
  if (offer.price_per_hour) {
    return *offer.price_per_hour;
  }
  if (offer.spot_price_per_hour) {
    return *offer.spot_price_per_hour;
  }
  if (offer.monthly_price) {
    return *offer.monthly_price / k_hours_per_month;
  }
  return offer.always_on_price_per_hour.value_or(0);
}

void run_offers(const OffersOptions& options, Context& context) {
  if (options.top && *options.top < 1) {
    throw Error(fmt::format("--top: must be at least 1 (got {})", *options.top));
  }
  Inputs inputs = load_inputs(options.catalog, context);
  const OfferFilters filters = resolve_filters(options.filters, inputs.data, inputs.catalog.offers);

  OffersListing listing;
  listing.tool_version = GPUCOST_VERSION;
  listing.generated_at = format_iso8601(inputs.now_s);
  listing.catalog.sources = inputs.catalog.sources;
  listing.catalog.sha256 = catalog_sha256(inputs.catalog);
  std::map<std::string, std::size_t> unknown;
  for (const Offer& source : inputs.catalog.offers) {
    if (!offer_matches(source, inputs.data.gpus, filters)) {
      continue;
    }
    if (filters.max_price_per_hour && listing_price(source) > *filters.max_price_per_hour) {
      continue;
    }
    Offer offer = source;
    if (const GpuSpec* gpu = inputs.data.gpus.find(offer.gpu); gpu != nullptr) {
      offer.gpu = gpu->name;
      if (!offer.gpu_memory_gb) {
        offer.gpu_memory_gb = gpu->memory_gb;
      }
    } else {
      ++unknown[offer.gpu];
    }
    listing.offers.push_back(std::move(offer));
  }
  std::stable_sort(
      listing.offers.begin(), listing.offers.end(), [](const Offer& a, const Offer& b) {
        return std::make_tuple(listing_price(a), a.provider, a.gpu, a.gpu_count, a.region, a.name)
               < std::make_tuple(
                   listing_price(b), b.provider, b.gpu, b.gpu_count, b.region, b.name);
      });
  if (options.top && listing.offers.size() > static_cast<std::size_t>(*options.top)) {
    listing.offers.resize(static_cast<std::size_t>(*options.top));
  }
  for (const auto& offer : listing.offers) {
    listing.ages.push_back(cache_age_s(offer.fetched_at, inputs.now_s));
  }
  for (const auto& [gpu, count] : unknown) {
    listing.warnings.push_back(fmt::format(
        "{} offer{} name GPU \"{}\", which data/gpus.json does not know: compare leaves {} out",
        count,
        count == 1 ? "" : "s",
        gpu,
        count == 1 ? "it" : "them"));
  }
  auto stale = staleness_warnings(inputs.catalog.sources, inputs.now_s);
  listing.warnings.insert(listing.warnings.end(), stale.begin(), stale.end());

  switch (options.format) {
  case OutputFormat::table:
    context.out << render_offers_table(listing, table_style(context));
    break;
  case OutputFormat::csv:
    context.out << render_offers_csv(listing, options.csv_dialect);
    break;
  case OutputFormat::json:
    context.out << render_offers_json(listing);
    break;
  case OutputFormat::markdown:
    context.out << render_offers_markdown(listing);
    break;
  }
  if (options.format != OutputFormat::table) {
    print_warnings(context, listing.warnings);
  }
}

} // namespace

void register_offers(CLI::App& app, Context& context) {
  auto options = std::make_shared<OffersOptions>();
  CLI::App* command =
      app.add_subcommand("offers", "List the catalog's offers (cheapest per hour first)");
  add_filter_options(*command, options->filters, false);
  add_catalog_options(*command, options->catalog);
  command->add_option("--top", options->top, "Show only the N cheapest offers");
  add_format_option(*command, options->format);
  add_csv_dialect_option(*command, options->csv_dialect);
  command->callback([options, &context] { run_offers(*options, context); });
}

} // namespace gpucost::cli
