#pragma once

// GCP Cloud Billing Catalog adapter: GET
// https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus?key=...&pageSize=5000
// paginated through nextPageToken (docs/providers.md, section 5;
// https://cloud.google.com/billing/docs/reference/rest/v1/services.skus/list). Compute Engine
// prices components, not machines: a machine type's price is built from its core, RAM, GPU (and
// bundled local SSD) SKUs with the figures of data/providers/gcp-machine-types.json.

#include <gpucost/sources/providers/adapter_util.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/error.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace gpucost {

// Compute Engine's service id in the Cloud Billing Catalog.
inline constexpr std::string_view k_gcp_compute_service = "6F81-5844-456A";

// Most pages one fetch may take before it gives up as a loop.
inline constexpr int k_gcp_max_pages = 200;

// The SKU descriptions that price one machine family's vCPUs and memory.
struct GcpFamily {
  std::vector<std::string> core; // per vCPU-hour, e.g. "A2 Instance Core"
  std::vector<std::string> ram;  // per GiB-hour, e.g. "A2 Instance Ram"
};

// One GPU model and the SKU descriptions of its per-GPU-hour price.
struct GcpGpu {
  std::vector<std::string> gpu;          // GPU name candidates, most specific first
  std::optional<double> gpu_memory_gb;   // per GPU, as marketed
  std::vector<std::string> descriptions; // e.g. "Nvidia Tesla A100 GPU"
};

// One machine type (or N1 type plus attached GPUs) of the table.
struct GcpMachineType {
  std::string name;         // "a2-highgpu-1g", "n1-standard-8+2xT4"
  std::string family;       // key of GcpMachineTable::families
  double vcpus = 0;         // billed vCPUs
  double ram_gb = 0;        // billed memory, GiB (the docs' "GB")
  std::string gpu;          // key of GcpMachineTable::gpus
  int gpu_count = 0;        // GPUs billed per GPU-hour
  double local_ssd_gib = 0; // bundled local SSD, billed per GiB-month
};

// data/providers/gcp-machine-types.json.
struct GcpMachineTable {
  std::map<std::string, GcpFamily> families;
  std::map<std::string, GcpGpu> gpus;
  std::vector<std::string> local_ssd; // descriptions of the local SSD SKU
  std::vector<GcpMachineType> machine_types;
  std::string source; // the table's source URL
};

// Parses gcp-machine-types.json text; errors name `origin`, the line and the field, including a
// machine type naming an unknown family or GPU. Never throws.
Expected<GcpMachineTable> parse_gcp_machine_table(std::string_view json_text,
                                                  const std::string& origin);

// Reads and parses `data_dir`/providers/gcp-machine-types.json (the install's data when empty).
Expected<GcpMachineTable> load_gcp_machine_table(const std::string& data_dir);

// The component name of a SKU description, lower-cased: a "Spot Preemptible " or "Preemptible "
// prefix and an " attached to Spot Preemptible VMs" infix dropped, cut before " running in "
// ("Spot Preemptible Nvidia L4 GPU attached to Spot Preemptible VMs running in Belgium" ->
// "nvidia l4 gpu").
std::string gcp_component_name(std::string_view description);

// Whether a SKU description is a price gpucost must not use as on-demand or spot: commitments,
// sole tenancy, reservations, premium and custom machine shapes, DWS/calendar/flex-start
// capacity and suspended-VM storage.
bool gcp_excluded_description(std::string_view description);

// The hourly (or monthly, per the SKU's unit) price of one pricing expression's tieredRates:
// units (a string) + nanos / 1e9 of the first tier with a non-zero price in order of
// startUsageAmount. A leading zero tier is a free allowance, and later tiers are volume
// discounts one job never reaches. nullopt when there is no priced tier.
std::optional<double> gcp_tiered_price(const nlohmann::json& tiered_rates);

// The page URL: `base_url`/v1/services/6F81-5844-456A/skus?key=KEY&pageSize=5000&currencyCode=USD
// [&pageToken=TOKEN], key and token percent-encoded. Holds the key: never print it unredacted.
std::string
gcp_skus_url(std::string_view base_url, std::string_view api_key, std::string_view page_token);

// Accumulates SKU pages into per-region component prices, then composes machine prices.
class GcpPriceBook {
public:
  // `table` must outlive the book.
  GcpPriceBook(const GcpMachineTable& table, ParseContext context);

  // Reads one page ({"skus": [...], "nextPageToken": ...}) fetched from `source` (a redacted
  // URL, for messages) and returns its nextPageToken, empty on the last page. Keeps OnDemand and
  // Preemptible SKUs whose component the table uses; a SKU priced in an unexpected unit is
  // skipped with a warning. Fails on malformed JSON or a missing "skus" array; never throws.
  Expected<std::string> add_page(std::string_view json, std::string_view source);

  // One "vm" offer per machine type and region where every component has an on-demand or a
  // spot (Preemptible) price: vcpus x core + ram x RAM + gpus x GPU (+ local SSD / 730). A
  // component missing in a region means no price there, never a zero. `regions`, when not
  // empty, keeps only those regions. Sorted by machine type then region.
  FetchResult finish(const std::vector<std::string>& regions = {});

private:
  // Price of one component in one region; the later effectiveTime wins between duplicates.
  struct Price {
    double usd = 0;
    std::string effective_time;
  };
  // (component name, spot, region) -> price
  using Key = std::tuple<std::string, bool, std::string>;

  std::optional<double>
  component(const std::vector<std::string>& names, bool spot, const std::string& region) const;

  const GcpMachineTable& m_table;
  ParseContext m_context;
  std::map<std::string, std::string> m_wanted_units; // lower-cased component name -> usageUnit
  std::map<Key, Price> m_prices;
  std::vector<std::string> m_warnings;
};

// Parses a whole walk of pages at once (for tests); nextPageTokens are ignored.
Expected<FetchResult> parse_gcp_skus(const std::vector<std::string>& pages,
                                     const GcpMachineTable& table,
                                     const ParseContext& context,
                                     const std::vector<std::string>& regions = {});

// The GCP provider: needs GCP_API_KEY (an API key travels in the query string, so every URL in
// a message or in FetchResult::source_url is redacted).
std::unique_ptr<Provider> make_gcp_provider();

} // namespace gpucost
