#include <gpucost/data/data_set.hpp>
#include <gpucost/data/json_util.hpp>
#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/sources/providers/gcp.hpp>
#include <gpucost/util/redact.hpp>
#include <gpucost/util/strings.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <set>
#include <span>

namespace gpucost {

namespace {

constexpr std::string_view k_provider = "gcp";
constexpr std::string_view k_key_env = "GCP_API_KEY";
constexpr std::string_view k_default_base_url = "https://cloudbilling.googleapis.com";
constexpr std::string_view k_table_file = "providers/gcp-machine-types.json";

// Usage units of the SKUs gpucost composes (pricingExpression.usageUnit).
constexpr std::string_view k_unit_hour = "h";
constexpr std::string_view k_unit_gib_hour = "GiBy.h";
constexpr std::string_view k_unit_gib_month = "GiBy.mo";

// A required, non-empty list of strings.
Status read_names(const JsonReader& reader, std::string_view key, std::vector<std::string>& out) {
  GPUCOST_TRY(reader.string_list_field(key, out));
  if (out.empty()) {
    return Unexpected{reader.error(key, "must list at least one SKU description")};
  }
  return Ok{};
}

// Reads an object of named objects ({"a2": {...}, ...}) as readers, in file order.
Expected<std::vector<std::pair<std::string, JsonReader>>> named_objects(const JsonReader& root,
                                                                        std::string_view key,
                                                                        const std::string_view text,
                                                                        const std::string& origin) {
  const auto it = root.node().find(std::string(key));
  if (it == root.node().end() || !it->is_object()) {
    return Unexpected{root.error(key, "must be an object")};
  }
  std::vector<std::pair<std::string, JsonReader>> out;
  for (auto entry = it->begin(); entry != it->end(); ++entry) {
    out.emplace_back(entry.key(),
                     JsonReader(entry.value(), text, origin, {std::string(key), entry.key()}));
  }
  return out;
}

} // namespace

Expected<GcpMachineTable> parse_gcp_machine_table(std::string_view json_text,
                                                  const std::string& origin) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_document(json_text, origin));
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/gcp-machine-types", 1));
  GPUCOST_TRY(root.check_keys({"schema",
                               "schemaVersion",
                               "description",
                               "source",
                               "as_of",
                               "families",
                               "local_ssd",
                               "gpus",
                               "machine_types"}));
  GcpMachineTable table;
  GPUCOST_TRY(root.string_field("source", table.source, Presence::required));
  std::string as_of;
  GPUCOST_TRY(root.string_field("as_of", as_of, Presence::required));
  GPUCOST_TRY(read_names(root, "local_ssd", table.local_ssd));

  GPUCOST_TRY_ASSIGN(auto families, named_objects(root, "families", json_text, origin));
  for (const auto& [name, reader] : families) {
    GPUCOST_TRY(reader.check_keys({"source", "core", "ram"}));
    GcpFamily family;
    GPUCOST_TRY(read_names(reader, "core", family.core));
    GPUCOST_TRY(read_names(reader, "ram", family.ram));
    table.families.emplace(name, std::move(family));
  }

  GPUCOST_TRY_ASSIGN(auto gpus, named_objects(root, "gpus", json_text, origin));
  for (const auto& [name, reader] : gpus) {
    GPUCOST_TRY(reader.check_keys({"gpu", "gpu_memory_gb", "descriptions"}));
    GcpGpu gpu;
    GPUCOST_TRY(reader.string_list_field("gpu", gpu.gpu));
    if (gpu.gpu.empty()) {
      return Unexpected{reader.error("gpu", "must list at least one GPU name")};
    }
    GPUCOST_TRY(
        reader.number_field("gpu_memory_gb", gpu.gpu_memory_gb, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY(read_names(reader, "descriptions", gpu.descriptions));
    table.gpus.emplace(name, std::move(gpu));
  }

  GPUCOST_TRY_ASSIGN(auto machine_types, root.array("machine_types"));
  std::set<std::string> names;
  for (const auto& reader : machine_types) {
    GPUCOST_TRY(reader.check_keys(
        {"name", "family", "vcpus", "ram_gb", "gpu", "gpu_count", "local_ssd_gib"}));
    GcpMachineType type;
    GPUCOST_TRY(reader.string_field("name", type.name, Presence::required));
    GPUCOST_TRY(reader.string_field("family", type.family, Presence::required));
    GPUCOST_TRY(reader.string_field("gpu", type.gpu, Presence::required));
    std::optional<double> vcpus;
    std::optional<double> ram_gb;
    std::optional<double> local_ssd_gib;
    std::optional<int> gpu_count;
    GPUCOST_TRY(reader.number_field("vcpus", vcpus, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY(reader.number_field("ram_gb", ram_gb, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY(reader.number_field("local_ssd_gib", local_ssd_gib, 0));
    GPUCOST_TRY(reader.int_field("gpu_count", gpu_count, 1));
    if (!vcpus || !ram_gb || !gpu_count) {
      return Unexpected{reader.error(!vcpus    ? "vcpus"
                                     : !ram_gb ? "ram_gb"
                                               : "gpu_count",
                                     "is required")};
    }
    if (table.families.count(type.family) == 0) {
      return Unexpected{reader.error("family", fmt::format("unknown family \"{}\"", type.family))};
    }
    if (table.gpus.count(type.gpu) == 0) {
      return Unexpected{reader.error("gpu", fmt::format("unknown GPU \"{}\"", type.gpu))};
    }
    if (!names.insert(type.name).second) {
      return Unexpected{reader.error("name", fmt::format("\"{}\" is listed twice", type.name))};
    }
    type.vcpus = *vcpus;
    type.ram_gb = *ram_gb;
    type.gpu_count = *gpu_count;
    type.local_ssd_gib = local_ssd_gib.value_or(0);
    table.machine_types.push_back(std::move(type));
  }
  return table;
}

Expected<GcpMachineTable> load_gcp_machine_table(const std::string& data_dir) {
  const std::string dir = data_dir.empty() ? std::string(GPUCOST_INSTALL_DATADIR) : data_dir;
  const std::string path = dir + "/" + std::string(k_table_file);
  GPUCOST_TRY_ASSIGN(auto text, read_text_file(path));
  return parse_gcp_machine_table(text, path);
}

std::string gcp_component_name(std::string_view description) {
  std::string name = to_lower(trim(description));
  for (const std::string_view prefix : {"spot preemptible ", "preemptible "}) {
    if (name.rfind(prefix, 0) == 0) {
      name.erase(0, prefix.size());
      break;
    }
  }
  constexpr std::string_view k_infix = " attached to spot preemptible vms";
  if (const auto at = name.find(k_infix); at != std::string::npos) {
    name.erase(at, k_infix.size());
  }
  if (const auto at = name.find(" running in "); at != std::string::npos) {
    name.erase(at);
  }
  return std::string(trim(name));
}

bool gcp_excluded_description(std::string_view description) {
  static constexpr std::array<std::string_view, 11> k_words = {"commitment",
                                                               "sole tenancy",
                                                               "reserved",
                                                               "reservation",
                                                               "premium",
                                                               "custom",
                                                               "dws",
                                                               "calendar mode",
                                                               "flex start",
                                                               "flex-start",
                                                               "suspended"};
  return std::any_of(k_words.begin(), k_words.end(), [&](std::string_view word) {
    return contains_ignoring_case(description, word);
  });
}

std::optional<double> gcp_tiered_price(const nlohmann::json& tiered_rates) {
  if (!tiered_rates.is_array()) {
    return std::nullopt;
  }
  std::vector<std::pair<double, double>> tiers; // (startUsageAmount, price)
  for (const auto& rate : tiered_rates) {
    const auto* unit_price = find_field(rate, "unitPrice");
    if (unit_price == nullptr) {
      continue;
    }
    if (const auto currency = string_field(*unit_price, "currencyCode");
        currency && *currency != "USD") {
      continue;
    }
    // units is an int64 sent as a JSON string; nanos an int32 number (either may be absent = 0).
    const double units = number_field(*unit_price, "units").value_or(0);
    const double nanos = number_field(*unit_price, "nanos").value_or(0);
    const double price = units + nanos / 1e9;
    if (!std::isfinite(price) || price < 0) {
      continue;
    }
    tiers.emplace_back(number_field(rate, "startUsageAmount").value_or(0), price);
  }
  std::stable_sort(
      tiers.begin(), tiers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [start, price] : tiers) {
    if (price > 0) {
      return price;
    }
  }
  return std::nullopt;
}

std::string
gcp_skus_url(std::string_view base_url, std::string_view api_key, std::string_view page_token) {
  std::string url = join_url(base_url.empty() ? k_default_base_url : base_url,
                             fmt::format("/v1/services/{}/skus", k_gcp_compute_service));
  url += fmt::format("?key={}&pageSize=5000&currencyCode=USD", percent_encode(api_key));
  if (!page_token.empty()) {
    url += "&pageToken=" + percent_encode(page_token);
  }
  return url;
}

GcpPriceBook::GcpPriceBook(const GcpMachineTable& table, ParseContext context)
    : m_table(table), m_context(std::move(context)) {
  for (const auto& [name, family] : m_table.families) {
    for (const auto& core : family.core) {
      m_wanted_units.emplace(to_lower(core), k_unit_hour);
    }
    for (const auto& ram : family.ram) {
      m_wanted_units.emplace(to_lower(ram), k_unit_gib_hour);
    }
  }
  for (const auto& [name, gpu] : m_table.gpus) {
    for (const auto& description : gpu.descriptions) {
      m_wanted_units.emplace(to_lower(description), k_unit_hour);
    }
  }
  for (const auto& ssd : m_table.local_ssd) {
    m_wanted_units.emplace(to_lower(ssd), k_unit_gib_month);
  }
}

Expected<std::string> GcpPriceBook::add_page(std::string_view json, std::string_view source) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, json, source));
  const auto* skus = find_field(document, "skus");
  if (skus == nullptr || !skus->is_array()) {
    // A wrong service id answers 200 {"skus": []}; a missing array is something else.
    return make_error(unexpected_response(k_provider, source, "missing array \"skus\""));
  }
  for (const auto& sku : *skus) {
    const std::string description = string_field(sku, "description").value_or("");
    if (description.empty() || gcp_excluded_description(description)) {
      continue;
    }
    const auto* category = find_field(sku, "category");
    const std::string usage =
        category == nullptr ? "" : string_field(*category, "usageType").value_or("");
    if (usage != "OnDemand" && usage != "Preemptible") {
      continue; // Commit1Yr, Commit3Yr, ...
    }
    const std::string component = gcp_component_name(description);
    const auto wanted = m_wanted_units.find(component);
    if (wanted == m_wanted_units.end()) {
      continue;
    }
    const auto* pricing_info = find_field(sku, "pricingInfo");
    if (pricing_info == nullptr || !pricing_info->is_array() || pricing_info->empty()) {
      continue;
    }
    // The list call returns the current price only; should history come along, the last entry
    // is the newest.
    const auto& info = pricing_info->back();
    const auto* expression = find_field(info, "pricingExpression");
    if (expression == nullptr) {
      continue;
    }
    const std::string unit = string_field(*expression, "usageUnit").value_or("");
    if (unit != wanted->second) {
      add_warning(m_warnings,
                  fmt::format("{}: SKU \"{}\" is priced per \"{}\", not per \"{}\"; skipped",
                              k_provider,
                              description,
                              unit,
                              wanted->second));
      continue;
    }
    const auto* tiers = find_field(*expression, "tieredRates");
    const auto price = tiers == nullptr ? std::nullopt : gcp_tiered_price(*tiers);
    if (!price) {
      continue;
    }
    const std::string effective_time = string_field(info, "effectiveTime").value_or("");
    const auto* regions = find_field(sku, "serviceRegions");
    if (regions == nullptr || !regions->is_array()) {
      continue;
    }
    for (const auto& region_value : *regions) {
      if (!region_value.is_string()) {
        continue;
      }
      const Key key{component, usage == "Preemptible", region_value.get<std::string>()};
      const auto it = m_prices.find(key);
      if (it == m_prices.end()) {
        m_prices.emplace(key, Price{*price, effective_time});
      } else if (effective_time > it->second.effective_time) {
        it->second = Price{*price, effective_time};
      }
    }
  }
  const auto* next = find_field(document, "nextPageToken");
  if (next != nullptr && next->is_string()) {
    return std::string(trim(next->get<std::string>()));
  }
  return std::string();
}

std::optional<double> GcpPriceBook::component(const std::vector<std::string>& names,
                                              bool spot,
                                              const std::string& region) const {
  // Descriptions are alternatives (the wording changed over time): the first one priced wins.
  for (const auto& name : names) {
    if (const auto it = m_prices.find(Key{to_lower(name), spot, region}); it != m_prices.end()) {
      return it->second.usd;
    }
  }
  return std::nullopt;
}

FetchResult GcpPriceBook::finish(const std::vector<std::string>& regions) {
  FetchResult result;
  result.source_url = m_context.source_url;
  std::set<std::string> all_regions;
  for (const auto& [key, price] : m_prices) {
    all_regions.insert(std::get<2>(key));
  }
  for (const auto& type : m_table.machine_types) {
    const GcpFamily& family = m_table.families.at(type.family);
    const GcpGpu& gpu = m_table.gpus.at(type.gpu);
    for (const auto& region : all_regions) {
      if (!regions.empty() && std::find(regions.begin(), regions.end(), region) == regions.end()) {
        continue;
      }
      auto machine_price = [&](Pricing pricing) -> std::optional<double> {
        const bool spot = pricing == Pricing::spot;
        const auto core = component(family.core, spot, region);
        const auto ram = component(family.ram, spot, region);
        const auto gpu_price = component(gpu.descriptions, spot, region);
        if (!core || !ram || !gpu_price) {
          return std::nullopt;
        }
        double total = type.vcpus * *core + type.ram_gb * *ram + type.gpu_count * *gpu_price;
        if (type.local_ssd_gib > 0) {
          const auto ssd = component(m_table.local_ssd, spot, region);
          if (!ssd) {
            return std::nullopt;
          }
          total += type.local_ssd_gib * *ssd / k_hours_per_month;
        }
        return total;
      };
      const auto on_demand = machine_price(Pricing::on_demand);
      const auto spot = machine_price(Pricing::spot);
      if (!on_demand && !spot) {
        continue;
      }
      Offer offer;
      offer.provider = std::string(k_provider);
      offer.product = Product::vm;
      offer.name = type.name;
      const auto resolved =
          resolve_gpu(k_provider, gpu.gpu, m_context, m_warnings, gpu.gpu_memory_gb);
      offer.gpu = resolved.name;
      offer.gpu_count = type.gpu_count;
      offer.gpu_memory_gb = gpu.gpu_memory_gb;
      offer.vcpus = type.vcpus;
      offer.ram_gb = type.ram_gb;
      offer.region = region;
      offer.price_per_hour = on_demand;
      offer.spot_price_per_hour = spot;
      offer.notes = fmt::format("composed from Cloud Billing SKUs: {} vCPU + {} GiB RAM + {} GPU",
                                type.vcpus,
                                type.ram_gb,
                                type.gpu_count);
      if (type.local_ssd_gib > 0) {
        offer.notes += fmt::format(" + {} GiB bundled local SSD", type.local_ssd_gib);
      }
      offer.source = m_context.source_url;
      offer.fetched_at = m_context.now;
      result.offers.push_back(std::move(offer));
    }
  }
  std::stable_sort(result.offers.begin(), result.offers.end(), [](const Offer& a, const Offer& b) {
    return std::tie(a.name, a.region) < std::tie(b.name, b.region);
  });
  result.warnings = m_warnings;
  return result;
}

Expected<FetchResult> parse_gcp_skus(const std::vector<std::string>& pages,
                                     const GcpMachineTable& table,
                                     const ParseContext& context,
                                     const std::vector<std::string>& regions) {
  GcpPriceBook book(table, context);
  for (const auto& page : pages) {
    GPUCOST_TRY_ASSIGN(auto next, book.add_page(page, context.source_url));
  }
  return book.finish(regions);
}

namespace {

class GcpProvider final : public Provider {
public:
  std::string_view id() const override { return k_provider; }
  std::string_view api_key_env() const override { return k_key_env; }
  bool key_required() const override { return true; }
  std::string_view default_base_url() const override { return k_default_base_url; }

  Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const override {
    auto result = fetch_unredacted(http, options);
    if (!result) {
      // Belt and braces: no message may carry the key, whatever produced it.
      const std::array<std::string, 1> secrets{options.api_key};
      return make_error(redact_secrets(result.error().message, secrets));
    }
    return result;
  }

private:
  static Expected<FetchResult> fetch_unredacted(HttpClient& http, const FetchOptions& options) {
    if (options.api_key.empty()) {
      return make_error(fmt::format("{}: {} is not set (the Cloud Billing Catalog API needs an API "
                                    "key: https://cloud.google.com/docs/authentication/api-keys)",
                                    k_provider,
                                    k_key_env));
    }
    auto table = load_gcp_machine_table(options.data_dir);
    if (!table) {
      return make_error(fmt::format("{}: {}", k_provider, table.error().message));
    }
    const std::string base =
        options.base_url.empty() ? std::string(k_default_base_url) : options.base_url;
    const std::string first_url = redact_url(gcp_skus_url(base, options.api_key, ""));
    GcpPriceBook book(*table, make_parse_context(options, first_url));
    const HttpCallInfo call{k_provider, k_key_env};
    std::string token;
    std::set<std::string> seen;
    for (int page = 0;; ++page) {
      if (page >= k_gcp_max_pages) {
        return make_error(
            fmt::format("{}: gave up after {} pages of {} (nextPageToken never ended)",
                        k_provider,
                        page,
                        first_url));
      }
      HttpRequest request;
      request.url = gcp_skus_url(base, options.api_key, token);
      const std::string shown_url = redact_url(request.url);
      auto response = http.send(request);
      if (!response) {
        // CurlClient's messages already start with "GET <url>: "; don't say it twice.
        const std::string& what = response.error().message;
        if (what.find(shown_url) != std::string::npos) {
          return make_error(fmt::format("{}: {}", k_provider, what));
        }
        return make_error(fmt::format("{}: GET {} failed: {}", k_provider, shown_url, what));
      }
      // An invalid key is a 400 with "API key not valid" rather than a 401.
      if (response->status == 400
          && contains_ignoring_case(server_error_message(response->body), "api key")) {
        return make_error(fmt::format("{}: GET {} returned HTTP 400: bad API key (set {}) (server "
                                      "said \"{}\")",
                                      k_provider,
                                      shown_url,
                                      k_key_env,
                                      server_error_message(response->body).substr(0, 200)));
      }
      if (auto failure = http_failure(call, request, *response)) {
        return make_error(std::move(*failure));
      }
      GPUCOST_TRY_ASSIGN(auto next, book.add_page(response->body, shown_url));
      if (next.empty()) {
        break;
      }
      if (!seen.insert(next).second) {
        return make_error(fmt::format(
            "{}: nextPageToken repeats a page already read at {}", k_provider, shown_url));
      }
      token = std::move(next);
    }
    auto result = book.finish(options.regions);
    result.source_url = first_url;
    return result;
  }
};

} // namespace

std::unique_ptr<Provider> make_gcp_provider() {
  return std::make_unique<GcpProvider>();
}

} // namespace gpucost
