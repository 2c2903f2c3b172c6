#include <gpucost/data/offer_json.hpp>
#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render_offers.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/table_layout.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace gpucost {

namespace {

using render::Align;
using render::Column;

std::string gpu_cell(const Offer& offer) {
  if (offer.product == Product::api) {
    return "api"; // priced per unit of work, no GPU
  }
  return fmt::format("{} x{}", offer.gpu, offer.gpu_count);
}

// A money column with enough decimals for its smallest price.
Column
money_column(std::string header, const std::vector<std::optional<double>>& values, int drop_order) {
  const int decimals = render::decimals_for_significant(values, 3, 2, 6);
  Column column;
  column.header = std::move(header);
  column.align = Align::right;
  column.drop_order = drop_order;
  for (const auto& value : values) {
    column.cells.push_back(value ? render::format_fixed(*value, decimals)
                                 : std::string(render::k_unknown));
  }
  return column;
}

Column text_column(std::string header, Align align, int drop_order) {
  Column column;
  column.header = std::move(header);
  column.align = align;
  column.drop_order = drop_order;
  return column;
}

std::string number_or_unknown(const std::optional<double>& value) {
  return value ? render::format_quantity(*value) : std::string(render::k_unknown);
}

std::vector<Column> offer_columns(const OffersListing& listing) {
  Column provider = text_column("provider", Align::left, 0);
  Column product = text_column("product", Align::left, 6);
  Column name = text_column("name", Align::left, 1);
  Column gpu = text_column("gpu", Align::left, 0);
  Column memory = text_column("GB/gpu", Align::right, 4);
  Column vcpus = text_column("vcpus", Align::right, 2);
  Column ram = text_column("ram GB", Align::right, 2);
  Column region = text_column("region", Align::left, 3);
  Column age = text_column("price age", Align::right, 5);
  std::vector<std::optional<double>> hourly;
  std::vector<std::optional<double>> spot;
  std::vector<std::optional<double>> monthly;
  Column unit_price = text_column("$/unit", Align::right, 0);
  bool any_api = false;
  for (std::size_t i = 0; i < listing.offers.size(); ++i) {
    const Offer& offer = listing.offers[i];
    provider.cells.push_back(render::printable(offer.provider));
    product.cells.emplace_back(to_string(offer.product));
    name.cells.push_back(offer.name.empty() ? std::string(render::k_unknown)
                                            : render::printable(offer.name));
    gpu.cells.push_back(render::printable(gpu_cell(offer)));
    memory.cells.push_back(number_or_unknown(offer.gpu_memory_gb));
    vcpus.cells.push_back(number_or_unknown(offer.vcpus));
    ram.cells.push_back(number_or_unknown(offer.ram_gb));
    region.cells.push_back(offer.region.empty() ? std::string(render::k_unknown)
                                                : render::printable(offer.region));
    age.cells.push_back(listing.ages[i] ? format_duration(*listing.ages[i], DurationStyle::compact)
                                        : std::string(render::k_unknown));
    hourly.push_back(offer.price_per_hour);
    spot.push_back(offer.spot_price_per_hour);
    monthly.push_back(offer.monthly_price);
    const std::string per_unit = render::format_unit_price(offer.per_unit);
    unit_price.cells.push_back(per_unit.empty() ? std::string(render::k_unknown) : per_unit);
    any_api = any_api || offer.product == Product::api;
  }
  std::vector<Column> columns = {provider, product, name, gpu, memory, vcpus, ram, region};
  columns.push_back(money_column("$/hour", hourly, 0));
  if (std::any_of(spot.begin(), spot.end(), [](const auto& v) { return v.has_value(); })) {
    columns.push_back(money_column("spot $/hour", spot, 7));
  }
  if (std::any_of(monthly.begin(), monthly.end(), [](const auto& v) { return v.has_value(); })) {
    columns.push_back(money_column("$/month", monthly, 7));
  }
  if (any_api) {
    columns.push_back(std::move(unit_price));
  }
  columns.push_back(age);
  return columns;
}

} // namespace

std::string render_offers_table(const OffersListing& listing, const TableStyle& style) {
  std::vector<std::string> blocks;
  blocks.push_back(render::paint(
      fmt::format("{} offer{}\n", listing.offers.size(), listing.offers.size() == 1 ? "" : "s"),
      render::k_bold,
      style.color));
  if (listing.offers.empty()) {
    blocks.emplace_back("No offer matches.\n");
  } else {
    std::vector<Column> columns = offer_columns(listing);
    const render::TableFit fit = render::fit_columns(columns, style);
    blocks.push_back(render::render_rows(columns, {}, style));
    if (const std::string hidden = render::describe_fit(fit); !hidden.empty()) {
      blocks.push_back(hidden);
    }
  }
  if (!listing.warnings.empty()) {
    blocks.push_back(render::render_warnings(listing.warnings, style));
  }
  blocks.push_back(render::render_sources(listing.catalog, listing.generated_at, style.columns));
  return render::join(blocks, "\n");
}

std::string render_offers_csv(const OffersListing& listing, render::CsvDialect dialect) {
  render::CsvWriter csv(dialect,
                        {"provider",
                         "product",
                         "name",
                         "gpu",
                         "gpu_count",
                         "gpu_memory_gb",
                         "vcpus",
                         "ram_gb",
                         "region",
                         "price_per_hour_usd",
                         "spot_price_per_hour_usd",
                         "monthly_price_usd",
                         "always_on_price_per_hour_usd",
                         "reliability",
                         "price_age_s",
                         "source",
                         "fetched_at",
                         "unit",
                         "price_per_unit_usd"});
  for (std::size_t i = 0; i < listing.offers.size(); ++i) {
    const Offer& offer = listing.offers[i];
    const bool api = offer.product == Product::api;
    csv.add_record({render::csv_text_cell(offer.provider),
                    render::csv_text_cell(to_string(offer.product)),
                    render::csv_text_cell(offer.name),
                    render::csv_text_cell(offer.gpu),
                    api ? render::csv_text_cell("") : render::csv_integer_cell(offer.gpu_count),
                    render::csv_number_cell(offer.gpu_memory_gb),
                    render::csv_number_cell(offer.vcpus),
                    render::csv_number_cell(offer.ram_gb),
                    render::csv_text_cell(offer.region),
                    render::csv_number_cell(offer.price_per_hour),
                    render::csv_number_cell(offer.spot_price_per_hour),
                    render::csv_number_cell(offer.monthly_price),
                    render::csv_number_cell(offer.always_on_price_per_hour),
                    render::csv_number_cell(offer.reliability),
                    render::csv_number_cell(listing.ages[i]),
                    render::csv_text_cell(offer.source),
                    render::csv_text_cell(offer.fetched_at),
                    render::csv_text_cell(offer.per_unit.unit ? to_string(*offer.per_unit.unit)
                                                              : std::string_view()),
                    render::csv_number_cell(offer.per_unit.price_per_unit)});
  }
  return std::move(csv).text();
}

std::string render_offers_json(const OffersListing& listing) {
  nlohmann::ordered_json document;
  document["schema"] = "gpucost/offers";
  document["schemaVersion"] = 1;
  document["tool_version"] = listing.tool_version;
  document["generatedAt"] = listing.generated_at;
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const auto& source : listing.catalog.sources) {
    sources.push_back({{"origin", to_string(source.origin)},
                       {"location", source.location},
                       {"provider",
                        source.provider.empty() ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(source.provider)},
                       {"fetched_at",
                        source.fetched_at.empty() ? nlohmann::ordered_json(nullptr)
                                                  : nlohmann::ordered_json(source.fetched_at)},
                       {"offers", source.offers}});
  }
  document["catalog"] = {{"sources", sources}, {"sha256", listing.catalog.sha256}};
  document["warnings"] = listing.warnings;
  nlohmann::ordered_json offers = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < listing.offers.size(); ++i) {
    nlohmann::ordered_json row = offer_to_json(listing.offers[i]);
    row["price_age_s"] = listing.ages[i] ? nlohmann::ordered_json(*listing.ages[i])
                                         : nlohmann::ordered_json(nullptr);
    offers.push_back(std::move(row));
  }
  document["offers"] = std::move(offers);
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string render_offers_markdown(const OffersListing& listing) {
  std::string out = fmt::format(
      "**{} offer{}**\n\n", listing.offers.size(), listing.offers.size() == 1 ? "" : "s");
  const std::vector<Column> columns = offer_columns(listing);
  out += render::markdown_table(columns);
  for (const auto& warning : listing.warnings) {
    out += fmt::format("\n> warning: {}\n", render::markdown_escape(warning));
  }
  out += "\nPrices from:\n\n";
  for (const auto& source : listing.catalog.sources) {
    out += fmt::format(
        "- {}\n", render::markdown_escape(render::describe_source(source, listing.generated_at)));
  }
  return out;
}

} // namespace gpucost
