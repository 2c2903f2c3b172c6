#pragma once

#include <gpucost/model/compare_result.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gpucost {

// The catalog as `gpucost offers` shows it: offers (GPU names resolved) with their price ages.
struct OffersListing {
  std::string tool_version;
  std::string generated_at;                // ISO 8601 UTC
  CatalogInfo catalog;                     // where the offers came from
  std::vector<Offer> offers;               // sorted by price per hour
  std::vector<std::optional<double>> ages; // price age per offer, seconds
  std::vector<std::string> warnings;
};

// Renders the listing as an aligned table fitting style.columns, with a provenance footer. Pure.
std::string render_offers_table(const OffersListing& listing, const TableStyle& style);

// Renders the listing as CSV in `dialect` (render/csv_util.hpp) with units in the headers and
// empty cells for unknowns. Pure.
std::string render_offers_csv(const OffersListing& listing, render::CsvDialect dialect);

// Renders the listing as a JSON document: schema "gpucost/offers", catalog provenance, and the
// offers in the catalog format. Pure.
std::string render_offers_json(const OffersListing& listing);

// Renders the listing as a markdown table. Pure.
std::string render_offers_markdown(const OffersListing& listing);

} // namespace gpucost
