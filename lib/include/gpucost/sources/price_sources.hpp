#pragma once

#include <gpucost/data/data_set.hpp>
#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/sources/refresh.hpp>
#include <gpucost/util/error.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gpucost {

// How old a cached provider's prices may be and still count as fresh, by default: six hours.
inline constexpr double k_default_max_age_s = 6 * 3600;

// How compare and offers choose between the cache, the network and the bundled catalog.
struct PriceSourcePolicy {
  bool offline = false;                   // never touch the network
  bool refresh = false;                   // fetch even when the cache is fresh
  double max_age_s = k_default_max_age_s; // a cache younger than this is fresh
  // Live providers a refresh may fetch (those the command will show); empty = all. The others'
  // caches are still used, fresh or stale, without fetching.
  std::vector<std::string> providers;
};

// Where one live provider's prices came from in the end, and why.
struct ProviderPriceState {
  std::string id;
  PriceOrigin origin = PriceOrigin::none; // live, cache, bundled or none
  std::string fetched_at;                 // of the prices used; empty when none
  std::optional<double> age_s;            // now - fetched_at
  std::size_t offers = 0;                 // offers used from the cache or fetch
  std::string problem; // the refresh error or skip reason, redacted; may be empty
};

// Replaces, in `catalog`, every offer of `provider` whose product appears in `offers` by `offers`
// (so a RunPod cache of pods keeps the bundled serverless rows), records `source`, and recounts
// the bundled sources of that provider. Pure.
void overlay_provider_offers(LoadedCatalog& catalog,
                             const std::string& provider,
                             std::vector<Offer> offers,
                             CatalogSource source);

// Builds the default catalog: the bundled one with each live provider's prices laid over it from
// a fresh cache, else a refresh (unless offline), else a stale cache; `refresh_all` is called with
// the providers to fetch and returns their outcomes (it writes the cache). Reads cache files;
// bad cache files are reported as problems, never fatal.
LoadedCatalog assemble_price_sources(
    LoadedCatalog bundled,
    const std::vector<FxRate>& fx,
    const std::vector<std::string>& live_provider_ids,
    const std::filesystem::path& cache_dir,
    const PriceSourcePolicy& policy,
    std::int64_t now_s,
    const std::function<std::vector<RefreshStatus>(const std::vector<std::string>& ids)>&
        refresh_all,
    std::vector<ProviderPriceState>& states);

// Parses a duration: "90" (seconds), "30s", "15m", "6h", "2d"; fails naming the text.
Expected<double> parse_duration_s(std::string_view text);

} // namespace gpucost
