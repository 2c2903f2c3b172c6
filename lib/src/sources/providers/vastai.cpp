#include <gpucost/sources/providers/vastai.hpp>

#include <fmt/core.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <utility>

namespace gpucost {

namespace {

constexpr std::string_view k_provider = "vastai";
constexpr std::string_view k_key_env = "VAST_API_KEY";
constexpr std::string_view k_default_base_url = "https://console.vast.ai";
constexpr std::string_view k_search_path = "/api/v0/bundles/";

// Reads an integer id (machine_id, id) given as a number or a numeric string.
std::optional<std::int64_t> id_field(const nlohmann::json& object, std::string_view key) {
  const auto number = number_field(object, key);
  if (!number || *number != std::floor(*number)) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*number);
}

class VastaiProvider final : public Provider {
public:
  std::string_view id() const override { return k_provider; }
  std::string_view api_key_env() const override { return k_key_env; }
  bool key_required() const override { return false; }
  std::string_view default_base_url() const override { return k_default_base_url; }

  Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const override {
    const std::string base =
        options.base_url.empty() ? std::string(k_default_base_url) : options.base_url;
    HttpRequest request;
    request.method = "POST";
    request.url = join_url(base, k_search_path);
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    add_bearer(request, options.api_key);
    request.body = vastai_search_body();
    GPUCOST_TRY_ASSIGN(auto body,
                       send_for_body(http, HttpCallInfo{k_provider, k_key_env}, request));
    return parse_vastai_offers(body, make_parse_context(options, redact_url(request.url)));
  }
};

} // namespace

std::string vastai_search_body() {
  // Filters are "field": {"op": value}; see https://docs.vast.ai/api-reference/search/search-offers
  const nlohmann::json body = {
      {"rentable", {{"eq", true}}},
      {"rented", {{"eq", false}}},
      {"num_gpus", {{"gte", 1}}},
      {"type", "on-demand"},
      {"allocated_storage", k_vastai_allocated_storage_gb},
      {"limit", k_vastai_search_limit},
      {"order", nlohmann::json::array({nlohmann::json::array({"dph_total", "asc"})})},
  };
  return body.dump();
}

std::string vastai_region(std::string_view geolocation) {
  const auto comma = geolocation.rfind(',');
  if (comma == std::string_view::npos) {
    return std::string(trim(geolocation));
  }
  return std::string(trim(geolocation.substr(comma + 1)));
}

Expected<FetchResult> parse_vastai_offers(std::string_view json, const ParseContext& context) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, json, context.source_url));
  const auto* rows = find_field(document, "offers");
  if (!rows || !rows->is_array()) {
    if (const auto server = server_error_message(json); !server.empty()) {
      return make_error(
          fmt::format("{}: {} answered with an error: {}", k_provider, context.source_url, server));
    }
    return make_error(
        unexpected_response(k_provider, context.source_url, "missing array \"offers\""));
  }

  FetchResult result;
  result.source_url = context.source_url;
  std::size_t without_price = 0;
  std::size_t without_gpu = 0;
  std::size_t unavailable = 0;
  // (machine_id, num_gpus) -> position in result.offers: a machine is listed once per GPU count
  // it can be split into, sometimes more than once at different prices.
  std::map<std::pair<std::int64_t, int>, std::size_t> seen;

  for (const auto& row : *rows) {
    if (!row.is_object()) {
      ++without_gpu;
      continue;
    }
    if (bool_field(row, "rented").value_or(false) || !bool_field(row, "rentable").value_or(true)) {
      ++unavailable;
      continue;
    }
    const auto gpu_name = string_field(row, "gpu_name");
    const auto num_gpus = number_field(row, "num_gpus");
    if (!gpu_name || trim(*gpu_name).empty() || !num_gpus || *num_gpus < 1
        || *num_gpus != std::floor(*num_gpus)) {
      ++without_gpu;
      continue;
    }
    const auto dph_total = positive_number_field(row, "dph_total");
    if (!dph_total) {
      ++without_price;
      continue;
    }

    Offer offer;
    offer.provider = std::string(k_provider);
    offer.product = Product::pod;
    offer.gpu_count = static_cast<int>(*num_gpus);
    const auto offer_id = id_field(row, "id");
    const auto machine_id = id_field(row, "machine_id");
    offer.name = fmt::format("vast offer {}", offer_id ? std::to_string(*offer_id) : "?");
    if (machine_id) {
      offer.name += fmt::format(" (machine {})", *machine_id);
    }

    // gpu_ram is labelled MB but holds MiB (an 80 GB A100 reports 81920, a 24 GB RTX 4090
    // 24564); GPU makers market GiB as "GB", so MiB / 1024 is the marketed size.
    std::optional<double> stated_memory_gb;
    if (const auto gpu_ram = positive_number_field(row, "gpu_ram")) {
      stated_memory_gb = std::round(*gpu_ram / 1024.0);
    }
    // The plain name first; the memory check passes over a same-named card of another size and
    // the second candidate ("A100 PCIE 80GB") then finds the right one.
    std::vector<std::string> candidates{std::string(trim(*gpu_name))};
    if (stated_memory_gb) {
      candidates.push_back(fmt::format("{} {}GB", candidates.front(), *stated_memory_gb));
    }
    const auto gpu =
        resolve_gpu(k_provider, candidates, context, result.warnings, stated_memory_gb);
    offer.gpu = gpu.name;
    offer.gpu_memory_gb = gpu.spec && gpu.spec->memory_gb ? gpu.spec->memory_gb : stated_memory_gb;

    offer.vcpus = positive_number_field(row, "cpu_cores_effective");
    // cpu_ram is MiB as well, and already this offer's share of the host.
    if (const auto cpu_ram = positive_number_field(row, "cpu_ram")) {
      offer.ram_gb = round_to(mib_to_gb(*cpu_ram), 1);
    }
    if (const auto geolocation = string_field(row, "geolocation")) {
      offer.region = vastai_region(*geolocation);
    }
    offer.price_per_hour = dph_total;
    offer.spot_price_per_hour = positive_number_field(row, "min_bid");
    auto reliability = number_field(row, "reliability2");
    if (!reliability) {
      reliability = number_field(row, "reliability");
    }
    if (reliability && *reliability >= 0 && *reliability <= 1) {
      offer.reliability = reliability;
    }
    // inet_up_cost is $/GB sent from the host to the internet: the job's output leaving.
    if (const auto up = number_field(row, "inet_up_cost"); up && *up >= 0) {
      offer.egress_per_gb = up;
    }
    offer.source = context.source_url;
    offer.fetched_at = context.now;
    offer.notes = fmt::format("dph_total: whole offer, includes {} GB of disk (allocated_storage); "
                              "spot price is min_bid",
                              k_vastai_allocated_storage_gb);

    if (machine_id) {
      const auto key = std::make_pair(*machine_id, offer.gpu_count);
      if (const auto it = seen.find(key); it != seen.end()) {
        auto& kept = result.offers[it->second];
        if (*offer.price_per_hour < *kept.price_per_hour) {
          kept = std::move(offer);
        }
        continue;
      }
      seen.emplace(key, result.offers.size());
    }
    result.offers.push_back(std::move(offer));
  }

  if (without_price > 0) {
    result.warnings.push_back(
        fmt::format("{}: skipped {} offer(s) without a price (dph_total null or 0)",
                    k_provider,
                    without_price));
  }
  if (without_gpu > 0) {
    result.warnings.push_back(fmt::format(
        "{}: skipped {} offer(s) without a GPU name or GPU count", k_provider, without_gpu));
  }
  if (unavailable > 0) {
    result.warnings.push_back(fmt::format(
        "{}: skipped {} offer(s) already rented or not rentable", k_provider, unavailable));
  }
  return result;
}

std::unique_ptr<Provider> make_vastai_provider() {
  return std::make_unique<VastaiProvider>();
}

} // namespace gpucost
