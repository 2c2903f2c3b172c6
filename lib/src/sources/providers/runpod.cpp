#include <gpucost/sources/providers/runpod.hpp>

#include <fmt/core.h>

#include <array>
#include <utility>

namespace gpucost {

namespace {

constexpr std::string_view k_provider = "runpod";
constexpr std::string_view k_key_env = "RUNPOD_API_KEY";
constexpr std::string_view k_default_base_url = "https://api.runpod.io";
constexpr std::string_view k_graphql_path = "/graphql";
constexpr std::string_view k_serverless_path = "/v2/catalog/gpus?product=SERVERLESS";

// Pod sizes offered as rows; RunPod rents 1-8 GPUs (some types up to 10), and powers of two
// are the sizes jobs ask for.
constexpr std::array<int, 4> k_pod_gpu_counts = {1, 2, 4, 8};

// One cloud of a GPU type: its per-GPU prices and the largest pod.
struct CloudPrices {
  std::string_view label;                 // "secure cloud"
  std::optional<double> usd_per_gpu_hour; // on demand
  std::optional<double> spot_usd_per_gpu_hour;
  std::optional<double> max_gpu_count; // nullopt when not given
};

// Appends one pod row per allowed GPU count for one cloud of one GPU type.
void add_pod_rows(const CloudPrices& cloud,
                  const ResolvedGpu& gpu,
                  std::optional<double> memory_gb,
                  const ParseContext& context,
                  std::string_view notes,
                  std::vector<Offer>& offers) {
  if (!cloud.usd_per_gpu_hour) {
    return;
  }
  const double max_count = cloud.max_gpu_count.value_or(1);
  for (const int count : k_pod_gpu_counts) {
    if (count > 1 && count > max_count) {
      break;
    }
    Offer offer;
    offer.provider = std::string(k_provider);
    offer.product = Product::pod;
    offer.name = fmt::format("RunPod {}", cloud.label);
    offer.gpu = gpu.name;
    offer.gpu_count = count;
    offer.gpu_memory_gb = memory_gb;
    offer.price_per_hour = *cloud.usd_per_gpu_hour * count;
    // A spot price that is not below on demand is no interruptible discount: the GraphQL API
    // answers *SpotPrice = on-demand price for types without one (every type in the 2026-08
    // capture, data/recorded/runpod/), and a spot row at the same price only adds reruns.
    if (cloud.spot_usd_per_gpu_hour && *cloud.spot_usd_per_gpu_hour < *cloud.usd_per_gpu_hour) {
      offer.spot_price_per_hour = *cloud.spot_usd_per_gpu_hour * count;
    }
    offer.source = context.source_url;
    offer.fetched_at = context.now;
    offer.notes = std::string(notes);
    offers.push_back(std::move(offer));
  }
}

// The GPU memory to report: the provider's per-GPU figure, else the table's.
std::optional<double> memory_of(std::optional<double> stated_gb, const ResolvedGpu& gpu) {
  if (stated_gb) {
    return stated_gb;
  }
  return gpu.spec ? gpu.spec->memory_gb : std::nullopt;
}

class RunpodProvider final : public Provider {
public:
  std::string_view id() const override { return k_provider; }
  std::string_view api_key_env() const override { return k_key_env; }
  bool key_required() const override { return false; }
  std::string_view default_base_url() const override { return k_default_base_url; }

  Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const override {
    const std::string base =
        options.base_url.empty() ? std::string(k_default_base_url) : options.base_url;
    const HttpCallInfo call{k_provider, k_key_env};

    HttpRequest pods;
    pods.method = "POST";
    pods.url = join_url(base, k_graphql_path);
    pods.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    add_bearer(pods, options.api_key);
    pods.body = runpod_gpu_types_request_body();
    GPUCOST_TRY_ASSIGN(auto pods_body, send_for_body(http, call, pods));
    auto result =
        parse_runpod_gpu_types(pods_body, make_parse_context(options, redact_url(pods.url)));
    if (!result) {
      return result;
    }

    // Serverless prices are only in the REST catalog, which needs a key; pods stand alone.
    if (options.api_key.empty()) {
      result->warnings.push_back(fmt::format(
          "{}: {} is not set; serverless prices skipped (GET /v2/catalog/gpus needs a key)",
          k_provider,
          k_key_env));
      return result;
    }
    HttpRequest serverless;
    serverless.url = join_url(base, k_serverless_path);
    serverless.headers = {{"Accept", "application/json"}};
    add_bearer(serverless, options.api_key);
    auto serverless_body = send_for_body(http, call, serverless);
    if (!serverless_body) {
      result->warnings.push_back(serverless_body.error().message + "; serverless prices skipped");
      return result;
    }
    auto serverless_result =
        parse_runpod_catalog(*serverless_body,
                             make_parse_context(options, redact_url(serverless.url)),
                             RunpodCatalogParts{.pods = false, .serverless = true});
    if (!serverless_result) {
      result->warnings.push_back(serverless_result.error().message + "; serverless prices skipped");
      return result;
    }
    for (auto& offer : serverless_result->offers) {
      result->offers.push_back(std::move(offer));
    }
    for (auto& warning : serverless_result->warnings) {
      add_warning(result->warnings, std::move(warning));
    }
    return result;
  }
};

} // namespace

std::string runpod_gpu_types_request_body() {
  // Fields of GraphQL type GpuType (docs/providers.md, section 2); one query, no pagination.
  const nlohmann::json body = {
      {"query",
       "query GpuTypes { gpuTypes { id displayName manufacturer memoryInGb secureCloud "
       "communityCloud securePrice communityPrice secureSpotPrice communitySpotPrice maxGpuCount "
       "maxGpuCountSecureCloud maxGpuCountCommunityCloud } }"}};
  return body.dump();
}

Expected<FetchResult> parse_runpod_gpu_types(std::string_view json, const ParseContext& context) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, json, context.source_url));
  FetchResult result;
  result.source_url = context.source_url;

  // GraphQL reports errors in a 200 answer: {"errors": [{"message": ...}], "data": null}.
  std::string graphql_error;
  if (const auto* errors = find_field(document, "errors");
      errors && errors->is_array() && !errors->empty()) {
    graphql_error = string_field(errors->front(), "message").value_or("(no message)");
  }
  const auto* data = find_field(document, "data");
  const auto* types = data ? find_field(*data, "gpuTypes") : nullptr;
  if (!types || !types->is_array()) {
    if (!graphql_error.empty()) {
      return make_error(fmt::format(
          "{}: GraphQL error from {}: {}", k_provider, context.source_url, graphql_error));
    }
    return make_error(
        unexpected_response(k_provider, context.source_url, "missing array \"data.gpuTypes\""));
  }
  if (!graphql_error.empty()) {
    result.warnings.push_back(
        fmt::format("{}: GraphQL answered with data and an error: {}", k_provider, graphql_error));
  }

  for (const auto& type : *types) {
    auto display = string_field(type, "displayName");
    const auto id = string_field(type, "id");
    if (!display || trim(*display).empty()) {
      display = id;
    }
    if (!display || trim(*display).empty()) {
      continue;
    }
    const auto secure_price = positive_number_field(type, "securePrice");
    const auto community_price = positive_number_field(type, "communityPrice");
    if (!secure_price && !community_price) {
      continue; // listed but not offered in either cloud
    }
    const auto stated_memory = positive_number_field(type, "memoryInGb");
    std::vector<std::string> candidates{std::string(trim(*display))};
    if (id) {
      candidates.push_back(*id);
    }
    const auto gpu = resolve_gpu(k_provider, candidates, context, result.warnings, stated_memory);
    const auto memory = memory_of(stated_memory, gpu);

    // maxGpuCount<Cloud> of 0 means the cloud has no machine with this GPU; missing means unknown.
    auto max_for = [&](std::string_view key) -> std::optional<double> {
      if (auto count = number_field(type, key)) {
        return count;
      }
      return positive_number_field(type, "maxGpuCount");
    };
    const CloudPrices secure{"secure cloud",
                             secure_price,
                             positive_number_field(type, "secureSpotPrice"),
                             max_for("maxGpuCountSecureCloud")};
    const CloudPrices community{"community cloud",
                                community_price,
                                positive_number_field(type, "communitySpotPrice"),
                                max_for("maxGpuCountCommunityCloud")};
    for (const auto& [cloud, flag] :
         {std::pair{secure, "secureCloud"}, std::pair{community, "communityCloud"}}) {
      if (bool_field(type, flag) == false || (cloud.max_gpu_count && *cloud.max_gpu_count < 1)) {
        continue;
      }
      add_pod_rows(cloud,
                   gpu,
                   memory,
                   context,
                   "GraphQL gpuTypes price per GPU x gpu_count; spot is the *SpotPrice field when "
                   "below on demand",
                   result.offers);
    }
  }
  return result;
}

Expected<FetchResult>
parse_runpod_catalog(std::string_view json, const ParseContext& context, RunpodCatalogParts parts) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, json, context.source_url));
  const auto* gpus = find_field(document, "gpus");
  if (!gpus || !gpus->is_array()) {
    if (const auto server = server_error_message(json); !server.empty()) {
      return make_error(
          fmt::format("{}: {} answered with an error: {}", k_provider, context.source_url, server));
    }
    return make_error(
        unexpected_response(k_provider, context.source_url, "missing array \"gpus\""));
  }
  FetchResult result;
  result.source_url = context.source_url;
  for (const auto& entry : *gpus) {
    auto display = string_field(entry, "name");
    const auto id = string_field(entry, "id");
    if (!display || trim(*display).empty()) {
      display = id;
    }
    if (!display || trim(*display).empty()) {
      continue;
    }
    const auto* price = find_field(entry, "price");
    if (!price) {
      continue;
    }
    const auto secure_price = positive_number_field(*price, "secure");
    const auto community_price = positive_number_field(*price, "community");
    const auto serverless_price = positive_number_field(*price, "serverless");
    const bool wanted =
        (parts.serverless && serverless_price) || (parts.pods && (secure_price || community_price));
    if (!wanted) {
      continue;
    }
    const auto stated_memory = positive_number_field(entry, "memory");
    std::vector<std::string> candidates{std::string(trim(*display))};
    if (id) {
      candidates.push_back(*id);
    }
    const auto gpu = resolve_gpu(k_provider, candidates, context, result.warnings, stated_memory);
    const auto memory = memory_of(stated_memory, gpu);

    if (parts.pods) {
      const auto* max_count = find_field(entry, "maxCount");
      const nlohmann::json none;
      const auto& maxima = max_count ? *max_count : none;
      for (const auto& [cloud, flag] :
           {std::pair{
                CloudPrices{
                    "secure cloud", secure_price, std::nullopt, number_field(maxima, "secure")},
                "secure"},
            std::pair{CloudPrices{"community cloud",
                                  community_price,
                                  std::nullopt,
                                  number_field(maxima, "community")},
                      "community"}}) {
        if (bool_field(entry, flag) == false || (cloud.max_gpu_count && *cloud.max_gpu_count < 1)) {
          continue;
        }
        add_pod_rows(cloud,
                     gpu,
                     memory,
                     context,
                     "REST /v2/catalog/gpus price per GPU x gpu_count",
                     result.offers);
      }
    }
    if (parts.serverless && serverless_price) {
      Offer offer;
      offer.provider = std::string(k_provider);
      offer.product = Product::serverless;
      offer.name = "RunPod serverless";
      offer.gpu = gpu.name;
      offer.gpu_count = 1;
      offer.gpu_memory_gb = memory;
      offer.price_per_hour = serverless_price;
      offer.source = context.source_url;
      offer.fetched_at = context.now;
      offer.notes = "price.serverless: flex worker, per GPU per hour, billed per second";
      result.offers.push_back(std::move(offer));
    }
  }
  return result;
}

std::unique_ptr<Provider> make_runpod_provider() {
  return std::make_unique<RunpodProvider>();
}

} // namespace gpucost
