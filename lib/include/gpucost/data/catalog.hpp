#pragma once

#include <gpucost/model/offer.hpp>
#include <gpucost/util/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// A dated exchange rate from data/fx.json.
struct FxRate {
  std::string currency;    // ISO 4217 code, e.g. "EUR"
  double usd_per_unit = 0; // USD for one unit of the currency
  std::string as_of;       // date of the rate
  std::string source;      // where the rate came from
};

// Parses data/fx.json; errors name the file, line and field.
Expected<std::vector<FxRate>> parse_fx_rates(std::string_view json_text, const std::string& origin);

// Parses one catalog document (docs/catalog-format.md) into offers, converting non-USD prices with
// `rates`; errors name `origin`, the line and the field ("c.json:12: offers[2].price_per_hour:
// ...").
Expected<std::vector<Offer>> parse_catalog(std::string_view json_text,
                                           const std::string& origin,
                                           const std::vector<FxRate>& rates);

// Serializes offers as a catalog document, the inverse of parse_catalog (prices in USD).
std::string serialize_catalog(const std::vector<Offer>& offers);

// Merges `additions` over `base`: an addition with the same provider, product, gpu, gpu_count and
// region (an api offer: provider, region, unit and name) replaces the base offer(s); anything
// else is appended.
std::vector<Offer> merge_offers(std::vector<Offer> base, const std::vector<Offer>& additions);

} // namespace gpucost
