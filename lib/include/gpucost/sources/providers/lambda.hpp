#pragma once

// Lambda Cloud adapter: GET /api/v1/instance-types (docs/providers.md, section 3).

#include <gpucost/sources/providers/adapter_util.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/error.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// What a Lambda GPU description says: "8x H100 (80 GB SXM5)" -> {8, "H100", 80, "SXM5"}.
struct LambdaGpuDescription {
  std::optional<int> count;        // the "8x" prefix, when present
  std::string model;               // "H100", "Tesla V100", "GH200"
  std::optional<double> memory_gb; // per GPU, as marketed; from "(80 GB ...)"
  std::string form_factor;         // "SXM5", "PCIe", ...; empty when not given
};

// Splits a gpu_description or description ("H100 (80 GB SXM5)", "1x GH200 (96 GB)", "Tesla V100
// (16 GB)"); nullopt for "N/A", empty text or a CPU description ("4x CPU General (16 GiB)").
std::optional<LambdaGpuDescription> parse_lambda_gpu_description(std::string_view text);

// Parses an instance-types answer ({"data": {"<type>": {"instance_type": {...},
// "regions_with_capacity_available": [...]}}}) into "vm" offers: one row per region with
// capacity, or one row with an empty region and the note "no capacity in any region at fetch
// time" for a sold-out type (its price still informs). price_per_hour = price_cents_per_hour
// (number or numeric string) / 100, whole instance; ram_gb from memory_gib (GiB -> GB); types
// without GPUs are skipped silently, types without a price with a counting warning. Fails on
// malformed JSON, an {"error": ...} answer or a missing "data" object; never throws.
Expected<FetchResult> parse_lambda_instance_types(std::string_view json,
                                                  const ParseContext& context);

// The Lambda provider: LAMBDA_API_KEY required, sent as a Bearer token.
std::unique_ptr<Provider> make_lambda_provider();

} // namespace gpucost
