#pragma once

// Oracle OCI adapter: the Cost Estimator price list (GET /pls/apex/cetools/api/v1/products/) joined
// with its shapes.json (docs/providers.md, section 7). No key.

#include <gpucost/sources/providers/adapter_util.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/error.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// The production shapes table; its host differs from the price list's.
inline constexpr std::string_view k_oci_shapes_url =
    "https://www.oracle.com/a/ocom/docs/cloudestimator2/data/shapes.json";

// How OCI bills its GPU shapes (data/providers/oci-billing.json), the same for every shape of a
// kind: the price list carries rates, not billing rules.
struct OciBillingRules {
  double granularity_s = 1;        // billing step, seconds (1: per second)
  double vm_minimum_s = 0;         // smallest billed session of a VM.* shape, seconds
  double bare_metal_minimum_s = 0; // smallest billed session of a BM.* shape, seconds
  std::string billing_source;      // where the billing rules are stated (URL)
  double preemptible_share = 0;    // preemptible price / on-demand price, in (0, 1]
  std::string preemptible_source;  // where the share is stated (URL)
};

// Parses oci-billing.json text; errors name `origin`, the line and the field (a missing or
// out-of-range figure, an undated source). Never throws.
Expected<OciBillingRules> parse_oci_billing_rules(std::string_view json_text,
                                                  const std::string& origin);

// Reads and parses `data_dir`/providers/oci-billing.json (the installed data directory when
// `data_dir` is empty); fails naming the file.
Expected<OciBillingRules> load_oci_billing_rules(const std::string& data_dir);

// One part of the OCI price list.
struct OciPricePart {
  std::string part_number;            // "B98415"
  std::string display_name;           // "Oracle Cloud Infrastructure - Compute - GPU - H100"
  std::string metric_name;            // "GPU Per Hour", "OCPU Per Hour", ...
  std::string service_category;       // "Compute - GPU"
  std::optional<double> usd_per_unit; // pay-as-you-go USD per metric unit (first tier)
};

// One page of the price list.
struct OciPricePage {
  std::vector<OciPricePart> parts;
  std::string next_url; // links[rel = "next"].href when hasMore is true, else empty
};

// Parses one price-list page ({"items": [{partNumber, displayName, metricName, serviceCategory,
// currencyCodeLocalizations: [{currencyCode: "USD", prices: [{model: "PAY_AS_YOU_GO", value}]}]}],
// "hasMore", "links"}); parts without a USD pay-as-you-go price keep usd_per_unit empty. Fails
// on malformed JSON or a missing "items" array; never throws.
Expected<OciPricePage> parse_oci_products_page(std::string_view json, const ParseContext& context);

// Whether a part is a rentable compute price: not a licence look-alike ("NVIDIA AI Enterprise"),
// not Cloud@Customer or VMware, and metered per GPU or OCPU hour.
bool oci_part_is_rental(const OciPricePart& part);

// Names to look the GPU of a shape up by, plain model first: "BM.GPU.H100.8" -> {"H100"},
// "BM.GPU4.8" -> {"A100 40GB", ...}, "BM.GPU.A100-v2.8" -> {"A100 80GB", ...},
// "BM.GPU.GB200.4 (NVL72)" -> {"GB200"}; empty when the name is not a GPU shape.
std::vector<std::string> oci_shape_gpu_candidates(std::string_view shape_name);

// Joins shapes.json ({"items": [...]}) with the price list into "vm" offers, one per GPU shape
// that is not hidden: price = the shape's "GPU Per Hour" part x gpuQty (plus "OCPU Per Hour"
// parts x qty), spot = rules.preemptible_share x price when allowPreemptible, billed in steps of
// rules.granularity_s with rules.vm_minimum_s on VM.* and rules.bare_metal_minimum_s on BM.*
// shapes, the GPU looked up as "<model> SXM" first on BM.* shapes, gpu_memory_gb from the GPU
// table (gpuMemoryQty is unreliable), vcpus = 2 per OCPU (1 on Grace). Shapes whose part has no
// rental price are skipped with a warning, and GPU price parts no shape refers to are listed in one
// warning. Fails on malformed JSON or a missing "items" array; never throws.
Expected<FetchResult> parse_oci_shapes(std::string_view shapes_json,
                                       const std::vector<OciPricePart>& parts,
                                       const OciBillingRules& rules,
                                       const ParseContext& context);

// The OCI provider: no key. With FetchOptions::base_url set, shapes.json is read from
// <base>/a/ocom/docs/cloudestimator2/data/shapes.json, else from k_oci_shapes_url; the billing
// rules come from FetchOptions::data_dir (a fetch fails naming the file when they do not read).
std::unique_ptr<Provider> make_oci_provider();

} // namespace gpucost
