#pragma once

// RunPod adapter: pods from the GraphQL gpuTypes query, serverless from REST GET
// /v2/catalog/gpus (docs/providers.md, section 2).

#include <gpucost/sources/providers/adapter_util.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/error.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace gpucost {

// The JSON body ({"query": "..."}) of the GraphQL request for every GPU type and its prices.
std::string runpod_gpu_types_request_body();

// Parses a GraphQL gpuTypes answer into "pod" offers: for each GPU type and cloud (secure,
// community) whose per-GPU price is > 0 (0 or null means not offered there, never free), one row
// per GPU count 1, 2, 4, 8 up to maxGpuCountSecureCloud / maxGpuCountCommunityCloud (else
// maxGpuCount; 1 when no maximum is given), priced per GPU x count, spot from *SpotPrice x count.
// Fails on malformed JSON, on {"errors": [...]} without data (quoting the first message) and on
// a missing data.gpuTypes array; never throws.
Expected<FetchResult> parse_runpod_gpu_types(std::string_view json, const ParseContext& context);

// Which offers to take from a REST /v2/catalog/gpus answer.
struct RunpodCatalogParts {
  bool pods = false;      // price.secure / price.community (per GPU) x counts up to maxCount
  bool serverless = true; // price.serverless (per GPU per hour), one "serverless" row per GPU
};

// Parses a REST GET /v2/catalog/gpus answer ({"gpus": [...]}) into the offers `parts` asks for;
// zero or missing prices are skipped. Fails on malformed JSON or a missing "gpus" array.
Expected<FetchResult> parse_runpod_catalog(std::string_view json,
                                           const ParseContext& context,
                                           RunpodCatalogParts parts = {});

// The RunPod provider: RUNPOD_API_KEY optional for pods (sent as Bearer when set); serverless
// prices need it and are skipped with a warning without it or when that request fails.
std::unique_ptr<Provider> make_runpod_provider();

} // namespace gpucost
