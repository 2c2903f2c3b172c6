#pragma once

// Azure Retail Prices adapter: GET https://prices.azure.com/api/retail/prices, paginated through
// NextPageLink (docs/providers.md, section 4;
// https://learn.microsoft.com/en-us/rest/api/cost-management/retail-prices/azure-retail-prices).
// The price API carries no hardware figures: GPU model, count, vCPUs and RAM come from
// data/providers/azure-skus.json, keyed by armSkuName.

#include <gpucost/sources/providers/adapter_util.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/error.hpp>

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gpucost {

// The API version every request asks for (filters are case-sensitive since this version).
inline constexpr std::string_view k_azure_api_version = "2023-01-01-preview";

// Most pages one region (or the whole walk) may take before the fetch gives up as a loop.
inline constexpr int k_azure_max_pages = 1000;

// One VM size of data/providers/azure-skus.json.
struct AzureSize {
  std::string name;                    // armSkuName as Azure spells it, "Standard_NC24ads_A100_v4"
  std::vector<std::string> gpu;        // GPU name candidates, most specific first
  std::optional<double> gpu_memory_gb; // per GPU, as marketed
  int gpu_count = 0;                   // whole GPUs; 0 for a fractional size
  std::string gpu_fraction;            // "1/6" for a size holding part of one GPU, else empty
  double vcpus = 0;                    // vCPUs of the size
  double ram_gb = 0;                   // memory of the size, as the size page states it
  std::string source;                  // the series' size page
};

// Sizes that are skipped without a warning (retired series, non-compute GPU fractions).
struct AzureIgnoredSizes {
  std::regex pattern; // matched against the whole armSkuName
  std::string reason; // why, for readers of the table
};

// data/providers/azure-skus.json, ready for lookups.
struct AzureSkuTable {
  std::unordered_map<std::string, AzureSize> sizes; // by lower-cased armSkuName
  std::vector<AzureIgnoredSizes> ignored;
  std::regex gpu_size_pattern; // armSkuNames of GPU sizes: those missing from `sizes` warn
  std::string source;          // the table's overall source URL
};

// Parses azure-skus.json text; errors name `origin`, the line and the field. Never throws.
Expected<AzureSkuTable> parse_azure_sku_table(std::string_view json_text,
                                              const std::string& origin);

// Reads and parses `data_dir`/providers/azure-skus.json (the install's data when `data_dir` is
// empty); fails naming the file.
Expected<AzureSkuTable> load_azure_sku_table(const std::string& data_dir);

// The first page URL: `base_url`/api/retail/prices?api-version=...&$filter=serviceName eq
// 'Virtual Machines' and priceType eq 'Consumption' [and armRegionName eq '<region>'],
// percent-encoded; no region filter when `region` is empty.
std::string azure_prices_url(std::string_view base_url, std::string_view region);

// The URL to fetch for a page's NextPageLink: with a non-empty `base_url_override` its scheme,
// host and port are replaced by the override (so tests can serve every page); api-version is
// appended when the link lacks it.
std::string azure_next_page_url(std::string_view next_page_link,
                                std::string_view base_url_override);

// Accumulates Retail Prices pages into offers. A SKU's spot row may come pages after its
// on-demand row, so offers are only built by finish(). Keeps one small record per GPU size and
// region, never whole pages.
class AzurePriceCollector {
public:
  // `table` must outlive the collector.
  AzurePriceCollector(const AzureSkuTable& table, ParseContext context);

  // Reads one page ({"Items": [...], "NextPageLink": ...}) fetched from `source` (for error
  // messages) and returns its NextPageLink, empty on the last page. Keeps Linux "Consumption"
  // rows priced per "1 Hour" above zero, on-demand and " Spot"; drops Windows, Low Priority,
  // DevTestConsumption, Reservation, expired and zero rows. Fails on malformed JSON or a page
  // without an "Items" array; never throws.
  Expected<std::string> add_page(std::string_view json, std::string_view source);

  // The "vm" offers, one per size and region, sorted by size then region; the spot row of a size
  // becomes the spot_price_per_hour of its on-demand offer. Fractional-GPU sizes and GPU sizes
  // missing from the table are skipped with one warning per size.
  FetchResult finish();

private:
  // What the table says about one armSkuName.
  struct Classified {
    const AzureSize* size = nullptr; // null: skip
  };

  // One candidate price for a size, region and market, with what decides between duplicates.
  struct Candidate {
    double usd_per_hour = 0;
    std::string effective_start;   // ISO 8601; later wins
    bool new_product_name = false; // "NCads A100 v4 Series Linux" beats "Virtual Machines NCads..."
  };

  const Classified& classify(const std::string& arm_sku_name);
  static bool better(const Candidate& candidate, const Candidate& incumbent);

  const AzureSkuTable& m_table;
  ParseContext m_context;
  std::unordered_map<std::string, Classified> m_classified; // by armSkuName as spelled
  // (lower-cased armSkuName, region) -> on-demand / spot candidates
  std::map<std::pair<std::string, std::string>, Candidate> m_on_demand;
  std::map<std::pair<std::string, std::string>, Candidate> m_spot;
  std::vector<std::string> m_warnings;
};

// Parses a whole walk of pages at once (for tests); the NextPageLinks are ignored.
Expected<FetchResult> parse_azure_prices(const std::vector<std::string>& pages,
                                         const AzureSkuTable& table,
                                         const ParseContext& context);

// The Azure provider: no key; one walk over all regions, or one per entry of
// FetchOptions::regions (armRegionName, e.g. "eastus").
std::unique_ptr<Provider> make_azure_provider();

} // namespace gpucost
