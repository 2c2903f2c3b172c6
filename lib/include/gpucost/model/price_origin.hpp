#pragma once

#include <optional>
#include <string_view>

namespace gpucost {

// Where the prices of a catalog source or a live provider came from: fetched on this run, read
// from the cache, the bundled catalog, a file given with --catalog or --add-offers, or nowhere (a
// live provider with neither a cache nor bundled rows).
enum class PriceOrigin { live, cache, bundled, file, none };

// The word every output uses for an origin: "live", "cache", "bundled", "file" or "none".
std::string_view to_string(PriceOrigin origin);

// The origin `text` names (the words of to_string); nullopt for any other text.
std::optional<PriceOrigin> parse_price_origin(std::string_view text);

} // namespace gpucost
