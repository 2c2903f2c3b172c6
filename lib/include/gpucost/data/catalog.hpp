#pragma once

#include <gpucost/model/offer.hpp>
#include <gpucost/util/error.hpp>

#include <cstddef>
#include <functional>
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

// Told now and then (every few MB) how many bytes of the text a catalog reader has read, from the
// start: what it will not read again, so that the caller can let it go (FileText::drop).
using ReadProgress = std::function<void(std::size_t read)>;

// What a catalog reader knows of an offer it has read, beside the offer.
struct OfferRead {
  std::size_t index = 0;        // its place in the catalog's offers array, from 0
  bool printable_ascii = false; // every string of it was printable ASCII (0x20-0x7E), unescaped,
                                // as it stands in the offer: none needs terminal_safe. False when
                                // not known.
};

// Decides, for each offer a catalog reader has read and checked, whether to keep it; it may change
// the offer it keeps. When the one-pass reader gives up on a text, the checked reader reads it
// again and the calls start again at index 0: a caller that counts what it is shown starts over
// there.
using KeepOffer = std::function<bool(Offer& offer, const OfferRead& read)>;

// Parses one catalog document (docs/catalog-format.md) into offers, converting non-USD prices with
// `rates`; errors name `origin`, the line and the field ("c.json:12: offers[2].price_per_hour:
// ..."). `progress`, if given, follows the one-pass reader (a text it gives up on is read again).
// `keep`, if given, is shown every offer once it is checked, in order; the offers it refuses are
// left out of the result (every offer is still checked, so the errors are the same).
Expected<std::vector<Offer>> parse_catalog(std::string_view json_text,
                                           const std::string& origin,
                                           const std::vector<FxRate>& rates,
                                           const ReadProgress& progress = {},
                                           const KeepOffer& keep = {});

// Serializes offers as a catalog document, the inverse of parse_catalog (prices in USD).
std::string serialize_catalog(const std::vector<Offer>& offers);

// Merges `additions` over `base`: an addition with the same provider, product, gpu, gpu_count and
// region (an api offer: provider, region, unit and name) replaces the base offer(s); anything
// else is appended.
std::vector<Offer> merge_offers(std::vector<Offer> base, const std::vector<Offer>& additions);

} // namespace gpucost
