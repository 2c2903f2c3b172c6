#pragma once

#include <gpucost/model/offer.hpp>
#include <gpucost/util/error.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpucost {

// A provider's documented default for how much a serverless product runs at once
// (data/providers.json "max_workers"): the cap a fleet is priced under when the user gives none.
// Exactly one of `workers` and `gpus` is set.
struct WorkerCap {
  std::optional<int> workers; // workers at once, at least 1 (RunPod: max workers of an endpoint)
  std::optional<int> gpus;    // GPUs at once, at least 1 (Modal: a workspace's GPU concurrency)
  std::string scope;          // what it limits, in words: "per endpoint"
  std::string source;         // URL of the documentation the figure is from
  std::string as_of;          // YYYY-MM-DD of the figure's source
  std::string notes;
};

// Documented behaviour of one provider product (data/providers.json); empty = not documented.
struct ProductTraits {
  std::optional<double> billing_granularity_s;
  std::optional<double> billing_minimum_s;
  std::optional<double> cold_start_s;
  std::optional<bool> cold_start_billed;
  std::optional<bool> idle_billed;
  std::optional<double> idle_timeout_s;                          // default keep-alive
  std::optional<std::pair<double, double>> idle_timeout_range_s; // what the provider allows
  std::optional<bool> native_autoscaling;
  std::optional<bool> always_on;        // serverless: sells always-on workers
  std::optional<WorkerCap> max_workers; // serverless: the default cap on concurrent workers
  std::string source;
  std::map<std::string, std::string> sources; // per-trait sources ("cold_start_s" -> URL)
  std::string as_of;
  std::string notes;
};

// One provider's entry in data/providers.json.
struct ProviderInfo {
  std::string id;           // "runpod"
  std::string display_name; // "RunPod"
  std::string tier;         // marketplace, specialist, hyperscaler or dedicated
  std::string api_key_env;  // empty when no key is needed
  std::optional<double> egress_per_gb;
  std::string egress_source;
  std::map<Product, ProductTraits> products;
};

// The start-up a product class is given when its own is unknown (providers.json
// cold_start_defaults): pod = image pull plus boot, vm = boot, serverless = platform start.
struct ColdStartDefault {
  double cold_start_s = 0;
  std::string source;
  std::string as_of;
};

// Every provider gpucost has documented facts for.
class ProviderTable {
public:
  ProviderTable() = default;
  explicit ProviderTable(std::vector<ProviderInfo> providers,
                         std::map<Product, ColdStartDefault> cold_start_defaults = {})
      : m_providers(std::move(providers)), m_cold_start_defaults(std::move(cold_start_defaults)) {}

  // The documented start-up default of a product class, or nullptr when there is none.
  const ColdStartDefault* cold_start_default(Product product) const;

  // The provider with this id, or nullptr.
  const ProviderInfo* find(std::string_view id) const;

  // The traits of a provider's product, or nullptr when not documented.
  const ProductTraits* traits(std::string_view id, Product product) const;

  // Every provider, in file order.
  const std::vector<ProviderInfo>& all() const { return m_providers; }

private:
  std::vector<ProviderInfo> m_providers;
  std::map<Product, ColdStartDefault> m_cold_start_defaults;
};

} // namespace gpucost
