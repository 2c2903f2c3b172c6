#pragma once

#include <gpucost/model/gpu.hpp>
#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/time.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// Makes a new HttpClient; called once per provider on the calling thread, since each fetch
// thread uses its own client.
using HttpClientFactory = std::function<std::unique_ptr<HttpClient>()>;

// The outcome of refreshing one provider.
struct RefreshStatus {
  std::string id;                    // provider id
  bool ok = false;                   // fresh prices were written to the cache
  bool skipped = false;              // not fetched: its API key is not set
  std::string error;                 // why it failed or was skipped, redacted; empty when ok
  std::size_t offers = 0;            // offers written when ok
  std::vector<std::string> warnings; // the fetch's warnings, redacted
  double duration_s = 0;             // wall time of the fetch and cache write, seconds
  std::string source_url;            // endpoint read, without secrets; empty when not fetched
};

// Called as each provider finishes; calls are serialized, but come from the fetch threads.
using RefreshCallback = std::function<void(const RefreshStatus& status)>;

// What refresh_providers needs besides the providers and the network.
struct RefreshOptions {
  std::filesystem::path cache_dir;   // where `<id>.json` and `<id>.status.json` are written
  std::string now;                   // ISO 8601 UTC for fetched_at/attempted_at; empty = clock
  EnvLookup env;                     // API keys and GPUCOST_<ID>_URL; empty = process_env()
  const GpuDatabase* gpus = nullptr; // handed to each fetch
  std::string data_dir;              // handed to each fetch
  std::vector<std::string> regions;  // handed to each fetch
  std::map<std::string, std::string, std::less<>> display_names; // id -> "RunPod" for messages
  RefreshCallback on_done;                                       // progress; may be empty
  // Longest wait for another process's update of cache_dir to end (seconds); unset = as long as
  // it takes. When it passes, every provider fails naming the holder, and nothing is written.
  std::optional<double> lock_wait_s;
  // Called once, before waiting, when another process holds the update lock ("another gpucost
  // (process 123) is updating DIR"); may be empty.
  std::function<void(const std::string& holder)> on_lock_wait;
};

// The variable that overrides a provider's base URL: "GPUCOST_" + id upper-cased with every
// character other than a letter or digit turned into '_' + "_URL" ("runpod" -> GPUCOST_RUNPOD_URL).
std::string base_url_env(std::string_view provider_id);

// Fetches one provider with `http` and records the outcome in the cache directory: on success the
// offers replace `<id>.json`; on failure (or when a required key is missing, or the API returned
// no offers) `<id>.json` is left as it was. `<id>.status.json` records the attempt either way.
// Every message is redacted of the API key and of query-string secrets.
RefreshStatus
refresh_provider(const Provider& provider, HttpClient& http, const RefreshOptions& options);

// Refreshes every provider concurrently (a thread and an HttpClient from `make_client` each) and
// returns their outcomes in the order given; one provider failing never affects another. Holds
// the cache directory's CacheLock throughout (a second refresh waits, up to lock_wait_s), and
// first removes the temporary files that dead processes left there.
std::vector<RefreshStatus> refresh_providers(std::span<const Provider* const> providers,
                                             const HttpClientFactory& make_client,
                                             const RefreshOptions& options);

} // namespace gpucost
