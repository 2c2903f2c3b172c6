#pragma once

// Vast.ai marketplace adapter: POST /api/v0/bundles/ (docs/providers.md, section 1).

#include <gpucost/sources/providers/adapter_util.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/error.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace gpucost {

// Disk, in GB, the search asks prices for: Vast.ai's dph_total includes this much storage.
inline constexpr int k_vastai_allocated_storage_gb = 10;

// Most offers one search returns; the whole on-demand market is a few thousand to ~19,000 rows.
inline constexpr int k_vastai_search_limit = 10000;

// The JSON body of the search: rentable, not rented, on-demand offers with at least one GPU,
// priced with k_vastai_allocated_storage_gb of disk, cheapest first.
std::string vastai_search_body();

// Parses a bundles answer ({"offers": [...]}) into "pod" offers, one per machine and GPU count
// (the cheapest when a machine is listed twice). price_per_hour is dph_total (whole offer, disk
// included), spot_price_per_hour min_bid, region the country code of geolocation. Rows without
// a price, GPU name or GPU count, or already rented, are skipped with one counting warning each.
// Fails on malformed JSON, an error answer or a missing "offers" array; never throws.
Expected<FetchResult> parse_vastai_offers(std::string_view json, const ParseContext& context);

// The 2-letter country after the last comma of a Vast.ai geolocation ("Utah, US" -> "US",
// ", US" -> "US"); the trimmed text when there is no comma; empty for empty text.
std::string vastai_region(std::string_view geolocation);

// The Vast.ai provider: key optional (VAST_API_KEY, sent as a Bearer token when set).
std::unique_ptr<Provider> make_vastai_provider();

} // namespace gpucost
