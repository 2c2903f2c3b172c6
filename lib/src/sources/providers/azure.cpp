#include <gpucost/data/data_set.hpp>
#include <gpucost/data/json_util.hpp>
#include <gpucost/sources/providers/azure.hpp>
#include <gpucost/util/strings.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

namespace gpucost {

namespace {

constexpr std::string_view k_provider = "azure";
constexpr std::string_view k_default_base_url = "https://prices.azure.com";
constexpr std::string_view k_table_file = "providers/azure-skus.json";

// Compiles a table regex; std::regex reports a bad pattern by throwing, which must not escape.
Expected<std::regex>
compile_pattern(const JsonReader& reader, std::string_view key, const std::string& text) {
  try {
    return std::regex(text, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return Unexpected{
        reader.error(key, fmt::format("invalid regular expression \"{}\" ({})", text, e.what()))};
  }
}

Expected<AzureSize> parse_size(const JsonReader& reader,
                               const std::vector<std::string>& gpu,
                               std::optional<double> gpu_memory_gb,
                               const std::string& source) {
  GPUCOST_TRY(reader.check_keys({"name", "vcpus", "ram_gb", "gpu_count", "gpu_fraction"}));
  AzureSize size;
  size.gpu = gpu;
  size.gpu_memory_gb = gpu_memory_gb;
  size.source = source;
  GPUCOST_TRY(reader.string_field("name", size.name, Presence::required));
  std::optional<double> vcpus;
  std::optional<double> ram_gb;
  GPUCOST_TRY(reader.number_field("vcpus", vcpus, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(reader.number_field("ram_gb", ram_gb, {.minimum = 0, .exclusive = true}));
  if (!vcpus || !ram_gb) {
    return Unexpected{reader.error(!vcpus ? "vcpus" : "ram_gb", "is required")};
  }
  size.vcpus = *vcpus;
  size.ram_gb = *ram_gb;
  std::optional<int> gpu_count;
  GPUCOST_TRY(reader.int_field("gpu_count", gpu_count, 1));
  GPUCOST_TRY(reader.string_field("gpu_fraction", size.gpu_fraction, Presence::optional));
  if (gpu_count.has_value() == !size.gpu_fraction.empty()) {
    return Unexpected{reader.error("", "needs exactly one of \"gpu_count\" and \"gpu_fraction\"")};
  }
  size.gpu_count = gpu_count.value_or(0);
  return size;
}

} // namespace

Expected<AzureSkuTable> parse_azure_sku_table(std::string_view json_text,
                                              const std::string& origin) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_document(json_text, origin));
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/azure-skus", 1));
  GPUCOST_TRY(root.check_keys({"schema",
                               "schemaVersion",
                               "description",
                               "source",
                               "as_of",
                               "gpu_size_pattern",
                               "series",
                               "ignore"}));
  AzureSkuTable table;
  GPUCOST_TRY(root.string_field("source", table.source, Presence::required));
  std::string as_of;
  GPUCOST_TRY(root.string_field("as_of", as_of, Presence::required));
  std::string gpu_size_pattern;
  GPUCOST_TRY(root.string_field("gpu_size_pattern", gpu_size_pattern, Presence::required));
  GPUCOST_TRY_ASSIGN(auto compiled, compile_pattern(root, "gpu_size_pattern", gpu_size_pattern));
  table.gpu_size_pattern = std::move(compiled);

  GPUCOST_TRY_ASSIGN(auto series_list, root.array("series"));
  for (const auto& series : series_list) {
    GPUCOST_TRY(series.check_keys({"series", "source", "gpu", "gpu_memory_gb", "sizes"}));
    std::string source;
    GPUCOST_TRY(series.string_field("source", source, Presence::required));
    std::vector<std::string> gpu;
    GPUCOST_TRY(series.string_list_field("gpu", gpu));
    if (gpu.empty()) {
      return Unexpected{series.error("gpu", "must list at least one GPU name")};
    }
    std::optional<double> gpu_memory_gb;
    GPUCOST_TRY(
        series.number_field("gpu_memory_gb", gpu_memory_gb, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY_ASSIGN(auto sizes, series.array("sizes"));
    for (const auto& size_reader : sizes) {
      GPUCOST_TRY_ASSIGN(auto size, parse_size(size_reader, gpu, gpu_memory_gb, source));
      const std::string key = to_lower(size.name);
      if (table.sizes.count(key) != 0) {
        return Unexpected{
            size_reader.error("name", fmt::format("\"{}\" is listed twice", size.name))};
      }
      table.sizes.emplace(key, std::move(size));
    }
  }

  if (root.node().contains("ignore")) {
    GPUCOST_TRY_ASSIGN(auto ignored, root.array("ignore"));
    for (const auto& entry : ignored) {
      GPUCOST_TRY(entry.check_keys({"pattern", "reason"}));
      std::string pattern;
      AzureIgnoredSizes ignore;
      GPUCOST_TRY(entry.string_field("pattern", pattern, Presence::required));
      GPUCOST_TRY(entry.string_field("reason", ignore.reason, Presence::required));
      GPUCOST_TRY_ASSIGN(auto regex, compile_pattern(entry, "pattern", pattern));
      ignore.pattern = std::move(regex);
      table.ignored.push_back(std::move(ignore));
    }
  }
  return table;
}

Expected<AzureSkuTable> load_azure_sku_table(const std::string& data_dir) {
  const std::string dir = data_dir.empty() ? std::string(GPUCOST_INSTALL_DATADIR) : data_dir;
  const std::string path = dir + "/" + std::string(k_table_file);
  GPUCOST_TRY_ASSIGN(auto text, read_text_file(path));
  return parse_azure_sku_table(text, path);
}

std::string azure_prices_url(std::string_view base_url, std::string_view region) {
  std::string filter = "serviceName eq 'Virtual Machines' and priceType eq 'Consumption'";
  if (!region.empty()) {
    filter += fmt::format(" and armRegionName eq '{}'", region);
  }
  return join_url(base_url.empty() ? k_default_base_url : base_url, "/api/retail/prices")
         + fmt::format("?api-version={}&$filter={}", k_azure_api_version, percent_encode(filter));
}

std::string azure_next_page_url(std::string_view next_page_link,
                                std::string_view base_url_override) {
  std::string url(trim(next_page_link));
  if (!base_url_override.empty()) {
    // Keep the path and query, replace scheme://host[:port].
    const auto scheme_end = url.find("://");
    const auto path_start =
        scheme_end == std::string::npos ? url.find('/') : url.find('/', scheme_end + 3);
    url = join_url(base_url_override,
                   path_start == std::string::npos ? std::string_view("/")
                                                   : std::string_view(url).substr(path_start));
  }
  if (url.find("api-version=") == std::string::npos) {
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += fmt::format("api-version={}", k_azure_api_version);
  }
  return url;
}

AzurePriceCollector::AzurePriceCollector(const AzureSkuTable& table, ParseContext context)
    : m_table(table), m_context(std::move(context)) {}

const AzurePriceCollector::Classified&
AzurePriceCollector::classify(const std::string& arm_sku_name) {
  if (const auto it = m_classified.find(arm_sku_name); it != m_classified.end()) {
    return it->second;
  }
  Classified classified;
  if (const auto it = m_table.sizes.find(to_lower(arm_sku_name)); it != m_table.sizes.end()) {
    const AzureSize& size = it->second;
    if (size.gpu_count > 0) {
      classified.size = &size;
    } else {
      add_warning(m_warnings,
                  fmt::format("{}: {} has {} of a GPU; skipped (gpucost ranks whole GPUs)",
                              k_provider,
                              size.name,
                              size.gpu_fraction));
    }
  } else {
    const bool ignored =
        std::any_of(m_table.ignored.begin(), m_table.ignored.end(), [&](const auto& entry) {
          return std::regex_match(arm_sku_name, entry.pattern);
        });
    if (!ignored && std::regex_search(arm_sku_name, m_table.gpu_size_pattern)) {
      add_warning(
          m_warnings,
          fmt::format("{}: GPU size \"{}\" is not in data/providers/azure-skus.json; skipped "
                      "(add its GPU model and count there)",
                      k_provider,
                      arm_sku_name));
    }
  }
  return m_classified.emplace(arm_sku_name, classified).first->second;
}

bool AzurePriceCollector::better(const Candidate& candidate, const Candidate& incumbent) {
  if (candidate.effective_start != incumbent.effective_start) {
    return candidate.effective_start > incumbent.effective_start;
  }
  if (candidate.new_product_name != incumbent.new_product_name) {
    return candidate.new_product_name;
  }
  return candidate.usd_per_hour < incumbent.usd_per_hour;
}

Expected<std::string> AzurePriceCollector::add_page(std::string_view json,
                                                    std::string_view source) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, json, source));
  const auto* items = find_field(document, "Items");
  if (items == nullptr || !items->is_array()) {
    return make_error(unexpected_response(k_provider, source, "missing array \"Items\""));
  }
  for (const auto& item : *items) {
    if (!item.is_object()) {
      continue;
    }
    // Only pay-as-you-go rows: "Reservation" prices are a whole term's total even though the
    // unit reads "1 Hour", and "DevTestConsumption" needs a Visual Studio subscription.
    if (string_field(item, "type").value_or("") != "Consumption") {
      continue;
    }
    if (const auto service = string_field(item, "serviceName");
        service && *service != "Virtual Machines") {
      continue;
    }
    if (string_field(item, "unitOfMeasure").value_or("") != "1 Hour") {
      continue;
    }
    if (const auto currency = string_field(item, "currencyCode"); currency && *currency != "USD") {
      continue;
    }
    const std::string product = string_field(item, "productName").value_or("");
    const std::string meter = string_field(item, "meterName").value_or("");
    const std::string sku_name = string_field(item, "skuName").value_or("");
    // Windows rows include the licence; some series spell it " Win".
    if (contains_ignoring_case(product, "windows") || ends_with_ignoring_case(product, " win")) {
      continue;
    }
    // Low Priority is the retiring predecessor of Spot, priced separately.
    if (contains_ignoring_case(meter, "low priority")
        || contains_ignoring_case(sku_name, "low priority")
        || contains_ignoring_case(meter, "expired")) {
      continue;
    }
    const std::string arm_sku_name(trim(string_field(item, "armSkuName").value_or("")));
    const std::string region(trim(string_field(item, "armRegionName").value_or("")));
    if (arm_sku_name.empty() || region.empty()) {
      continue;
    }
    auto price = positive_number_field(item, "retailPrice");
    if (!price) {
      price = positive_number_field(item, "unitPrice");
    }
    if (!price) {
      continue; // zero means "not offered", never free
    }
    if (classify(arm_sku_name).size == nullptr) {
      continue;
    }
    Candidate candidate;
    candidate.usd_per_hour = *price;
    candidate.effective_start = string_field(item, "effectiveStartDate").value_or("");
    candidate.new_product_name = product.rfind("Virtual Machines ", 0) != 0;
    const bool spot =
        contains_ignoring_case(sku_name, " spot") || contains_ignoring_case(meter, " spot");
    auto& prices = spot ? m_spot : m_on_demand;
    const auto key = std::make_pair(to_lower(arm_sku_name), region);
    if (const auto it = prices.find(key); it == prices.end()) {
      prices.emplace(key, std::move(candidate));
    } else if (better(candidate, it->second)) {
      it->second = std::move(candidate);
    }
  }
  const auto* next = find_field(document, "NextPageLink");
  if (next != nullptr && next->is_string()) {
    return std::string(trim(next->get<std::string>()));
  }
  return std::string();
}

FetchResult AzurePriceCollector::finish() {
  FetchResult result;
  result.source_url = m_context.source_url;
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [key, candidate] : m_on_demand) {
    keys.insert(key);
  }
  for (const auto& [key, candidate] : m_spot) {
    keys.insert(key);
  }
  for (const auto& key : keys) {
    const AzureSize& size = m_table.sizes.at(key.first);
    Offer offer;
    offer.provider = std::string(k_provider);
    offer.product = Product::vm;
    offer.name = size.name;
    const auto gpu = resolve_gpu(k_provider, size.gpu, m_context, m_warnings, size.gpu_memory_gb);
    offer.gpu = gpu.name;
    offer.gpu_count = size.gpu_count;
    offer.gpu_memory_gb = size.gpu_memory_gb;
    offer.vcpus = size.vcpus;
    offer.ram_gb = size.ram_gb;
    offer.region = key.second;
    if (const auto it = m_on_demand.find(key); it != m_on_demand.end()) {
      offer.price_per_hour = it->second.usd_per_hour;
    }
    if (const auto it = m_spot.find(key); it != m_spot.end()) {
      offer.spot_price_per_hour = it->second.usd_per_hour;
    }
    if (!offer.price_per_hour) {
      offer.notes = "only a spot price is listed for this size and region";
    }
    offer.source = m_context.source_url;
    offer.fetched_at = m_context.now;
    result.offers.push_back(std::move(offer));
  }
  // std::set orders by lower-cased name then region, which is the promised order.
  result.warnings = m_warnings;
  return result;
}

Expected<FetchResult> parse_azure_prices(const std::vector<std::string>& pages,
                                         const AzureSkuTable& table,
                                         const ParseContext& context) {
  AzurePriceCollector collector(table, context);
  for (const auto& page : pages) {
    GPUCOST_TRY_ASSIGN(auto next, collector.add_page(page, context.source_url));
  }
  return collector.finish();
}

namespace {

class AzureProvider final : public Provider {
public:
  std::string_view id() const override { return k_provider; }
  std::string_view api_key_env() const override { return {}; }
  bool key_required() const override { return false; }
  std::string_view default_base_url() const override { return k_default_base_url; }

  Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const override {
    auto table = load_azure_sku_table(options.data_dir);
    if (!table) {
      return make_error(fmt::format("{}: {}", k_provider, table.error().message));
    }
    const std::string base =
        options.base_url.empty() ? std::string(k_default_base_url) : options.base_url;
    // gpuhunt walks region by region: a long walk over a list that changes underneath is
    // unsafe, and one region is 1-3 pages.
    std::vector<std::string> regions = options.regions;
    if (regions.empty()) {
      regions.emplace_back(); // no armRegionName filter: every region in one walk
    }
    for (const auto& region : options.regions) {
      // armRegionName goes into the OData filter between quotes: letters and digits only.
      if (region.empty() || !std::all_of(region.begin(), region.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0;
          })) {
        return make_error(
            fmt::format("{}: \"{}\" is not an Azure region name (armRegionName, e.g. eastus)",
                        k_provider,
                        region));
      }
    }
    const std::string first_url = azure_prices_url(base, regions.front());
    AzurePriceCollector collector(*table, make_parse_context(options, first_url));
    const HttpCallInfo call{k_provider, {}};
    for (const auto& region : regions) {
      std::string url = azure_prices_url(base, region);
      std::set<std::string> seen{url};
      for (int page = 0; !url.empty(); ++page) {
        if (page >= k_azure_max_pages) {
          return make_error(
              fmt::format("{}: gave up after {} pages of {} (NextPageLink never ended)",
                          k_provider,
                          page,
                          first_url));
        }
        HttpRequest request;
        request.url = url;
        GPUCOST_TRY_ASSIGN(auto body, send_for_body(http, call, request));
        GPUCOST_TRY_ASSIGN(auto next, collector.add_page(body, url));
        url = next.empty() ? std::string() : azure_next_page_url(next, options.base_url);
        if (!url.empty() && !seen.insert(url).second) {
          return make_error(
              fmt::format("{}: NextPageLink {} repeats a page already read", k_provider, url));
        }
      }
    }
    return collector.finish();
  }
};

} // namespace

std::unique_ptr<Provider> make_azure_provider() {
  return std::make_unique<AzureProvider>();
}

} // namespace gpucost
