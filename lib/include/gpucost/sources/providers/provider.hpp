#pragma once

#include <gpucost/model/gpu.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/util/error.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// What a fetch needs besides the network.
struct FetchOptions {
  std::string base_url; // scheme://host[:port] replacing the provider's; empty = default
  std::string api_key;  // from the provider's environment variable; never printed
  std::string now;      // ISO 8601 UTC, written as each offer's fetched_at
  const GpuDatabase* gpus = nullptr; // resolves provider GPU names to canonical ones
  std::string data_dir;              // for the provider's static tables (data/providers/...)
  std::vector<std::string> regions;  // restrict to these regions where the API is per region
};

// Offers read from one provider, plus what was odd about the answer.
struct FetchResult {
  std::vector<Offer> offers;
  std::vector<std::string> warnings; // e.g. unknown GPU names kept, rows skipped and why
  std::string source_url;            // the endpoint read, without secrets
  // Regions asked for but not fetched (their request failed): the fetch is partial, and the
  // previous cache's offers in these regions are kept rather than dropped.
  std::vector<std::string> missing_regions;
};

// A cloud's price API. Concrete types are known only to registry.cpp.
class Provider {
public:
  virtual ~Provider() = default;
  // "vastai", "runpod", ...: used in flags, cache file names and output.
  virtual std::string_view id() const = 0;
  // The environment variable holding the key; empty when the API needs none.
  virtual std::string_view api_key_env() const = 0;
  // Whether a fetch without a key is pointless (the provider is then skipped with a warning).
  virtual bool key_required() const = 0;
  // The production base URL, scheme://host.
  virtual std::string_view default_base_url() const = 0;
  // Fetches and normalizes the provider's offers; fails with a message naming the provider, the
  // URL (without secrets) and the HTTP status or parse error.
  virtual Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const = 0;
};

// Every live provider, in a fixed order.
std::vector<std::unique_ptr<Provider>> make_providers();

} // namespace gpucost
