#pragma once

// The two catalog readers behind parse_catalog, and what they share. The fast one reads a valid
// catalog in one pass without building a JSON document; on anything else it gives up, and the
// checked one (a nlohmann DOM read with JsonReader) reads the text again to say what is wrong.
// The checked reader's messages are the contract; the fast one never makes a message.

#include <gpucost/data/catalog.hpp>
#include <gpucost/model/offer.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// What a cache file (sources/cache.hpp) keeps around its offers, as the fast reader saw it: views
// into the text it read. String fields are the raw text between the quotes (escapes not decoded),
// empty when the key is absent or its value is not a string.
struct CatalogEnvelope {
  std::string_view provider;
  std::string_view fetched_at;
  std::string_view source_url;
  std::string_view content_sha256;
  std::string_view offers_text; // the "offers" array, from '[' to ']' as in the file
};

// Reads a catalog in one pass; nullopt when the text is not a valid catalog (or uses JSON this
// reader leaves to the checked one), never a different result from parse_catalog_checked. When
// `envelope` is given and the read succeeds, it holds the top-level fields above. `progress`, if
// given, is told every few MB of offers how far the reader has read. `keep`, if given, is shown
// each offer once it is read and checked, in order; an offer it refuses is not kept (its place is
// filled by the next, so 100k offers of which few are kept need not all be in memory at once).
std::optional<std::vector<Offer>> parse_catalog_fast(std::string_view json_text,
                                                     const std::vector<FxRate>& rates,
                                                     CatalogEnvelope* envelope = nullptr,
                                                     const ReadProgress& progress = {},
                                                     const KeepOffer& keep = {});

// Reads a catalog through a nlohmann DOM, with errors that name `origin`, the line and the field.
Expected<std::vector<Offer>> parse_catalog_checked(std::string_view json_text,
                                                   const std::string& origin,
                                                   const std::vector<FxRate>& rates);

// The field names an offer may have, in documented order; an unknown name within two edits of one
// of these is reported as a misspelling.
const std::vector<std::string>& offer_field_names();

// The rate for `currency` in `rates`, or nullptr when there is none.
const FxRate* find_rate(const std::vector<FxRate>& rates, std::string_view currency);

// Converts the offer's prices (and egress) from `rate`'s currency to USD and says so in its notes.
void convert_to_usd(Offer& offer, const FxRate& rate);

// Whether the offer has at least one hourly or monthly price (docs/catalog-format.md requires one
// of a GPU offer).
bool has_price(const Offer& offer);

// Whether any of the api fields (unit, price_per_unit, minimum_charge, ...) is set.
bool has_unit_terms(const UnitPrice& terms);

// A field that is out of place in an offer, and why, as the checked reader reports it.
struct MisplacedField {
  std::string_view field;   // the catalog field name
  std::string_view message; // e.g. "is required for an api offer (...)"
};

// The first field out of place: an api offer without unit or price_per_unit, or with a GPU, a GPU
// count (`has_gpu_count`: gpu_count was given) or an hourly price or trait; a GPU offer with an
// api field. nullopt when every field is in place. Both readers apply it, so they agree.
std::optional<MisplacedField> misplaced_offer_field(const Offer& offer, bool has_gpu_count);

} // namespace gpucost
