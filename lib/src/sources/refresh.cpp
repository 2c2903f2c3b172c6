#include <gpucost/data/catalog.hpp>
#include <gpucost/sources/cache.hpp>
#include <gpucost/sources/refresh.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/redact.hpp>
#include <gpucost/util/text_safety.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

namespace gpucost {

namespace {

std::string display_name(const RefreshOptions& options, std::string_view id) {
  const auto it = options.display_names.find(id);
  return it != options.display_names.end() ? it->second : std::string(id);
}

// Provider messages should start with the provider; a bare one gets the prefix.
std::string with_subject(std::string_view id, std::string message) {
  const std::string prefix = fmt::format("{}: ", id);
  return message.starts_with(prefix) ? message : prefix + message;
}

std::string now_or_clock(const RefreshOptions& options) {
  if (!options.now.empty()) {
    return options.now;
  }
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return format_iso8601(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

// The offers with every text redacted: source and notes may quote a request URL, and an API may
// echo the key into any field (a name, a region).
template<typename Redact>
std::vector<Offer> redacted_offers(std::vector<Offer> offers, const Redact& redact) {
  for (auto& offer : offers) {
    for (auto* text :
         {&offer.provider, &offer.name, &offer.gpu, &offer.region, &offer.source, &offer.notes}) {
      *text = redact(*text);
    }
  }
  return offers;
}

// A partial fetch (some regions failed) must not shrink the cache: the previous cache's offers in
// the regions not fetched are kept, and a warning says how many.
void keep_missing_regions(const std::filesystem::path& dir,
                          const std::string& id,
                          const std::vector<std::string>& missing,
                          std::vector<Offer>& offers,
                          RefreshStatus& status) {
  auto cache = read_provider_cache(dir, id);
  if (!cache) {
    return; // nothing cached yet (or unreadable): the partial fetch is all there is
  }
  auto previous = parse_catalog(cache->text, cache->path.string(), {});
  if (!previous) {
    return;
  }
  std::size_t kept = 0;
  for (auto& offer : *previous) {
    if (std::find(missing.begin(), missing.end(), offer.region) != missing.end()) {
      offers.push_back(std::move(offer));
      ++kept;
    }
  }
  if (kept > 0) {
    status.warnings.push_back(fmt::format("{}: kept {} cached offer{} of region{} {} (not fetched "
                                          "this time; fetched at {})",
                                          id,
                                          kept,
                                          kept == 1 ? "" : "s",
                                          missing.size() == 1 ? "" : "s",
                                          fmt::join(missing, ", "),
                                          cache->fetched_at));
  }
}

template<typename Redact>
void fetch_and_store(const Provider& provider,
                     HttpClient& http,
                     const RefreshOptions& options,
                     const FetchOptions& fetch_options,
                     const std::string& key_env,
                     const Redact& redact,
                     RefreshStatus& status) {
  const std::string& id = status.id;
  if (fetch_options.api_key.empty() && provider.key_required()) {
    status.skipped = true;
    status.error = fmt::format("{}: {} is not set; skipping (set it to fetch {} prices)",
                               id,
                               key_env,
                               display_name(options, id));
  } else {
    Expected<FetchResult> fetched = make_error("");
    try {
      fetched = provider.fetch(http, fetch_options);
    } catch (const std::exception& e) {
      // Providers return errors; this only keeps a bug in one from ending the whole refresh.
      fetched = make_error(fmt::format("{}: internal error: {}", id, e.what()));
    }
    if (!fetched) {
      status.error = redact(with_subject(id, fetched.error().message));
    } else {
      for (const auto& warning : fetched->warnings) {
        status.warnings.push_back(redact(warning));
      }
      status.source_url = redact(fetched->source_url);
      // Only what the cache reader will read back is written: a row it would refuse is dropped
      // and counted, so a fetch can never replace a good cache with one that cannot be read.
      std::vector<std::string> rejections;
      const std::size_t fetched_count = fetched->offers.size();
      auto offers =
          readable_offers(redacted_offers(std::move(fetched->offers), redact), rejections);
      if (!rejections.empty()) {
        status.warnings.push_back(redact(fmt::format(
            "{}: dropped {} of {} fetched offers the cache reader would refuse (first: {})",
            id,
            rejections.size(),
            fetched_count,
            rejections.front())));
      }
      if (!offers.empty() && !fetched->missing_regions.empty()) {
        keep_missing_regions(options.cache_dir, id, fetched->missing_regions, offers, status);
      }
      if (offers.empty()) {
        // An empty answer is far likelier a broken API or filter than a provider with no GPUs.
        status.error = fetched_count == 0
                           ? fmt::format("{}: the price API returned no offers", id)
                           : fmt::format("{}: none of the {} fetched offers is valid; the cache "
                                         "is kept",
                                         id,
                                         fetched_count);
      } else if (auto written = write_provider_cache(
                     options.cache_dir, id, offers, fetch_options.now, status.source_url);
                 !written) {
        status.error = redact(
            fmt::format("{}: cannot update the price cache: {}", id, written.error().message));
      } else {
        status.ok = true;
        status.offers = offers.size();
      }
    }
  }
}

} // namespace

std::string base_url_env(std::string_view provider_id) {
  std::string name = "GPUCOST_";
  for (const char c : provider_id) {
    if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      name += c;
    } else {
      name += '_';
    }
  }
  return name + "_URL";
}

RefreshStatus
refresh_provider(const Provider& provider, HttpClient& http, const RefreshOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const EnvLookup env = options.env ? options.env : process_env();
  const std::string id(provider.id());
  const std::string now = now_or_clock(options);

  RefreshStatus status;
  status.id = id;

  FetchOptions fetch_options;
  fetch_options.now = now;
  fetch_options.gpus = options.gpus;
  fetch_options.data_dir = options.data_dir;
  fetch_options.regions = options.regions;
  if (const auto url = env(base_url_env(id)); url && !url->empty()) {
    fetch_options.base_url = *url;
  }
  const std::string key_env(provider.api_key_env());
  if (!key_env.empty()) {
    if (const auto key = env(key_env); key && !key->empty()) {
      fetch_options.api_key = *key;
    }
  }
  const std::vector<std::string> secrets{fetch_options.api_key};
  const auto redact = [&](std::string_view text) {
    return redact_secrets(redact_url(text), secrets);
  };

  try {
    fetch_and_store(provider, http, options, fetch_options, key_env, redact, status);
  } catch (const std::exception& e) {
    // A bug (or an answer no check foresaw) in one provider never ends the refresh, and its
    // status is still recorded below.
    status.ok = false;
    status.offers = 0;
    status.error = redact(fmt::format("{}: internal error: {}", id, e.what()));
  }
  status.error = valid_utf8(status.error);
  for (auto& warning : status.warnings) {
    warning = valid_utf8(warning);
  }
  status.duration_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  CacheStatus record;
  record.provider = id;
  record.attempted_at = now;
  record.ok = status.ok;
  record.skipped = status.skipped;
  record.error = status.error;
  record.offers = status.offers;
  record.warnings = status.warnings;
  record.duration_s = status.duration_s;
  if (auto written = write_provider_status(options.cache_dir, record); !written) {
    status.warnings.push_back(
        redact(fmt::format("{}: cannot record the fetch status: {}", id, written.error().message)));
  }
  return status;
}

std::vector<RefreshStatus> refresh_providers(std::span<const Provider* const> providers,
                                             const HttpClientFactory& make_client,
                                             const RefreshOptions& options) {
  std::vector<RefreshStatus> results(providers.size());
  // Two updates at once could leave cache and status files of different runs: one at a time.
  // Taken at once when free; else the wait is announced, then made (up to lock_wait_s).
  std::optional<CacheLock> cache_lock;
  cache_lock.emplace(options.cache_dir, 0.0);
  if (!cache_lock->held()) {
    if (options.on_lock_wait) {
      options.on_lock_wait(cache_lock->holder());
    }
    cache_lock.reset();
    cache_lock.emplace(options.cache_dir, options.lock_wait_s);
  }
  if (!cache_lock->held()) {
    for (std::size_t i = 0; i < providers.size(); ++i) {
      results[i].id = std::string(providers[i]->id());
      results[i].error = fmt::format("{}: not fetched: {} (waited {:g} s for it)",
                                     results[i].id,
                                     cache_lock->holder(),
                                     options.lock_wait_s.value_or(0));
      if (options.on_done) {
        options.on_done(results[i]);
      }
    }
    return results;
  }
  remove_stale_temporaries(options.cache_dir);
  std::mutex callback_mutex;
  {
    // jthread joins on destruction, so an exception while starting threads cannot leave one
    // running on `results`.
    std::vector<std::jthread> threads;
    threads.reserve(providers.size());
    for (std::size_t i = 0; i < providers.size(); ++i) {
      std::shared_ptr<HttpClient> client = make_client ? make_client() : nullptr;
      threads.emplace_back([&, i, client] {
        RefreshStatus& status = results[i];
        try {
          if (!client) {
            status.id = std::string(providers[i]->id());
            status.error = fmt::format("{}: no HTTP client available", status.id);
          } else {
            status = refresh_provider(*providers[i], *client, options);
          }
          if (options.on_done) {
            const std::lock_guard lock(callback_mutex);
            options.on_done(status);
          }
        } catch (const std::exception& e) {
          // An escaping exception would end the process; report it as this provider's failure.
          status.ok = false;
          status.error =
              redact_url(fmt::format("{}: internal error: {}", providers[i]->id(), e.what()));
        }
      });
    }
  }
  return results;
}

} // namespace gpucost
