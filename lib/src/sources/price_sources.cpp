#include <gpucost/sources/cache.hpp>
#include <gpucost/sources/price_sources.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <optional>
#include <set>

namespace gpucost {

void overlay_provider_offers(LoadedCatalog& catalog,
                             const std::string& provider,
                             std::vector<Offer> offers,
                             CatalogSource source) {
  std::set<Product> products;
  for (const auto& offer : offers) {
    products.insert(offer.product);
  }
  const auto replaced = [&](const Offer& offer) {
    return offer.provider == provider && products.count(offer.product) != 0;
  };
  // Each source's offers follow the previous source's in `catalog.offers` (LoadedCatalog's
  // contract), so a provider bundled in two files (data/catalog/runpod.json and
  // runpod-pages.json) is recounted file by file.
  std::size_t begin = 0;
  for (auto& existing : catalog.sources) {
    const std::size_t end = std::min(begin + existing.offers, catalog.offers.size());
    existing.offers -= static_cast<std::size_t>(
        std::count_if(catalog.offers.begin() + static_cast<std::ptrdiff_t>(begin),
                      catalog.offers.begin() + static_cast<std::ptrdiff_t>(end),
                      replaced));
    begin = end;
  }
  std::erase_if(catalog.offers, replaced);
  std::erase_if(catalog.sources, [&](const CatalogSource& existing) {
    return existing.provider == provider && existing.origin == PriceOrigin::bundled
           && existing.offers == 0;
  });
  catalog.offers.insert(catalog.offers.end(),
                        std::make_move_iterator(offers.begin()),
                        std::make_move_iterator(offers.end()));
  catalog.sources.push_back(std::move(source));
}

namespace {

// A provider's cache, parsed once; nullopt (with `problem` set) when missing or unreadable.
struct CacheRead {
  std::optional<CachedCatalog> cached;
  std::string problem;
};

CacheRead read_cached_offers(const std::filesystem::path& dir,
                             const std::string& id,
                             const std::vector<FxRate>& fx) {
  std::error_code ec;
  if (!std::filesystem::exists(provider_cache_path(dir, id), ec)) {
    return {};
  }
  auto cache = read_provider_catalog(dir, id, fx);
  if (!cache) {
    return {std::nullopt, cache.error().message};
  }
  return {std::move(*cache), {}};
}

} // namespace

LoadedCatalog assemble_price_sources(
    LoadedCatalog bundled,
    const std::vector<FxRate>& fx,
    const std::vector<std::string>& live_provider_ids,
    const std::filesystem::path& cache_dir,
    const PriceSourcePolicy& policy,
    std::int64_t now_s,
    const std::function<std::vector<RefreshStatus>(const std::vector<std::string>& ids)>&
        refresh_all,
    std::vector<ProviderPriceState>& states) {
  const std::vector<std::string>& ids = live_provider_ids;
  const auto may_fetch = [&](const std::string& id) {
    return policy.providers.empty()
           || std::find(policy.providers.begin(), policy.providers.end(), id)
                  != policy.providers.end();
  };
  std::vector<std::string> to_fetch;
  // Each cache file is read once here, and again only when a refresh has replaced it.
  std::vector<CacheRead> reads;
  reads.reserve(ids.size());
  for (const auto& id : ids) {
    reads.push_back(read_cached_offers(cache_dir, id, fx));
    const auto& cached = reads.back().cached;
    const auto age = cached ? cache_age_s(cached->fetched_at, now_s) : std::nullopt;
    const bool fresh = cached && age && *age >= 0 && *age < policy.max_age_s;
    if (!policy.offline && (policy.refresh || !fresh) && may_fetch(id)) {
      to_fetch.push_back(id);
    }
  }
  std::vector<RefreshStatus> outcomes;
  if (!to_fetch.empty() && refresh_all) {
    outcomes = refresh_all(to_fetch);
  }

  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto& id = ids[i];
    ProviderPriceState state;
    state.id = id;
    const auto outcome = std::find_if(
        outcomes.begin(), outcomes.end(), [&](const RefreshStatus& s) { return s.id == id; });
    const bool fetched = outcome != outcomes.end() && outcome->ok;
    if (outcome != outcomes.end() && !outcome->ok) {
      state.problem = outcome->error;
    }
    if (outcome != outcomes.end()) {
      reads[i] = read_cached_offers(cache_dir, id, fx);
    }
    auto& cached = reads[i].cached;
    const std::string& cache_problem = reads[i].problem;
    if (!cache_problem.empty()) {
      state.problem = state.problem.empty() ? cache_problem : state.problem + "; " + cache_problem;
    }
    if (cached) {
      state.origin = fetched ? PriceOrigin::live : PriceOrigin::cache;
      state.fetched_at = cached->fetched_at;
      state.age_s = cache_age_s(cached->fetched_at, now_s);
      state.offers = cached->offers.size();
      CatalogSource source;
      source.origin = state.origin;
      source.location = cached->path.string();
      source.provider = id;
      source.fetched_at = cached->fetched_at;
      source.offers = cached->offers.size();
      bundled.file_sha256.push_back(std::move(cached->file_sha256));
      overlay_provider_offers(bundled, id, std::move(cached->offers), std::move(source));
    } else {
      // A provider may be bundled in more than one file (parser rows and page rows): its age
      // is that of its oldest file, its offers those of all of them.
      state.origin = PriceOrigin::none;
      std::optional<std::int64_t> oldest_s;
      for (const auto& source : bundled.sources) {
        if (source.provider != id) {
          continue;
        }
        state.origin = PriceOrigin::bundled;
        state.offers += source.offers;
        const auto at = parse_iso8601(source.fetched_at);
        if (state.fetched_at.empty() || (at && (!oldest_s || *at < *oldest_s))) {
          state.fetched_at = source.fetched_at;
          oldest_s = at;
        }
      }
      if (state.origin == PriceOrigin::bundled) {
        state.age_s = cache_age_s(state.fetched_at, now_s);
      }
    }
    states.push_back(std::move(state));
  }
  return bundled;
}

Expected<double> parse_duration_s(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  double scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60;
  } else if (unit == "h") {
    scale = 3600;
  } else if (unit == "d") {
    scale = 86400;
  }
  if (error != std::errc() || scale == 0 || !(value >= 0) || value > 1e9) {
    return make_error(fmt::format(
        "\"{}\" is not a duration (use seconds, or a number with s, m, h or d: \"6h\")", text));
  }
  return value * scale;
}

} // namespace gpucost
