#include <gpucost/data/data_set.hpp>
#include <gpucost/data/json_util.hpp>
#include <gpucost/sources/providers/oci.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace gpucost {

namespace {

constexpr std::string_view k_provider = "oci";
constexpr std::string_view k_default_base_url = "https://apexapps.oracle.com";
constexpr std::string_view k_products_path = "/pls/apex/cetools/api/v1/products/?currencyCode=USD";
constexpr std::string_view k_shapes_path = "/a/ocom/docs/cloudestimator2/data/shapes.json";
constexpr std::string_view k_gpu_metric = "GPU Per Hour";
constexpr std::string_view k_ocpu_metric = "OCPU Per Hour";
// A server that keeps saying "hasMore" must not keep us fetching forever.
constexpr int k_max_pages = 50;
constexpr std::string_view k_billing_file = "providers/oci-billing.json";

// A required number of the billing file within its range.
Status required_number(const JsonReader& root,
                       std::string_view key,
                       double& out,
                       const NumberRange& range) {
  std::optional<double> value;
  GPUCOST_TRY(root.number_field(key, value, range));
  if (!value) {
    return Unexpected{root.error(key, "is required")};
  }
  out = *value;
  return Ok{};
}

// A required source URL of the billing file and the date it was read ("<key>_source" and
// "<key>_as_of"): a figure without both is not a sourced fact.
Status dated_source(const JsonReader& root, const std::string& key, std::string& url) {
  GPUCOST_TRY(root.string_field(key + "_source", url, Presence::required));
  std::string as_of;
  GPUCOST_TRY(root.string_field(key + "_as_of", as_of, Presence::required));
  if (as_of.size() != 10 || !parse_iso8601(as_of)) {
    return Unexpected{
        root.error(key + "_as_of", fmt::format("must be a date YYYY-MM-DD (got \"{}\")", as_of))};
  }
  return Ok{};
}

// Splits "BM.GPU.H100.8" on dots.
std::vector<std::string> split_dots(std::string_view text) {
  std::vector<std::string> pieces;
  while (true) {
    const auto dot = text.find('.');
    pieces.emplace_back(text.substr(0, dot));
    if (dot == std::string_view::npos) {
      break;
    }
    text.remove_prefix(dot + 1);
  }
  return pieces;
}

// "BM.GPU.GB200.4 (NVL72)" -> "BM.GPU.GB200.4".
std::string shape_base_name(std::string_view name) {
  return std::string(trim(name.substr(0, name.find(" ("))));
}

// The first-tier USD pay-as-you-go price of a price-list item.
std::optional<double> usd_pay_as_you_go(const nlohmann::json& item) {
  const auto* localizations = find_field(item, "currencyCodeLocalizations");
  if (!localizations || !localizations->is_array()) {
    return std::nullopt;
  }
  for (const auto& localization : *localizations) {
    if (string_field(localization, "currencyCode") != "USD") {
      continue;
    }
    const auto* prices = find_field(localization, "prices");
    if (!prices || !prices->is_array()) {
      continue;
    }
    std::optional<double> best;
    double best_range = 0;
    for (const auto& price : *prices) {
      if (string_field(price, "model").value_or("PAY_AS_YOU_GO") != "PAY_AS_YOU_GO") {
        continue;
      }
      const auto value = number_field(price, "value");
      if (!value || *value < 0) {
        continue;
      }
      // Tiered parts list one price per usage range; the first tier is the list price.
      const double range = number_field(price, "rangeMin").value_or(0);
      if (!best || range < best_range) {
        best = value;
        best_range = range;
      }
    }
    if (best) {
      return best;
    }
  }
  return std::nullopt;
}

class OciProvider final : public Provider {
public:
  std::string_view id() const override { return k_provider; }
  std::string_view api_key_env() const override { return {}; }
  bool key_required() const override { return false; }
  std::string_view default_base_url() const override { return k_default_base_url; }

  Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const override {
    // Read first: a fetch whose offers could not be billed is not worth its requests.
    auto rules = load_oci_billing_rules(options.data_dir);
    if (!rules) {
      return make_error(fmt::format("{}: {}", k_provider, rules.error().message));
    }
    const bool overridden = !options.base_url.empty();
    const std::string base = overridden ? options.base_url : std::string(k_default_base_url);
    const HttpCallInfo call{k_provider, {}};
    const std::string products_url = join_url(base, k_products_path);
    const auto context = make_parse_context(options, redact_url(products_url));

    std::vector<OciPricePart> parts;
    std::string url = products_url;
    for (int page = 0; !url.empty(); ++page) {
      if (page == k_max_pages) {
        return make_error(fmt::format(
            "{}: {} still says hasMore after {} pages; giving up", k_provider, products_url, page));
      }
      HttpRequest request;
      request.url = url;
      request.headers = {{"Accept", "application/json"}};
      GPUCOST_TRY_ASSIGN(auto body, send_for_body(http, call, request));
      GPUCOST_TRY_ASSIGN(auto parsed, parse_oci_products_page(body, context));
      std::move(parsed.parts.begin(), parsed.parts.end(), std::back_inserter(parts));
      url = parsed.next_url;
      // A test server stands in for the production host: follow its links, never Oracle's.
      if (!url.empty() && overridden) {
        const auto scheme = url.find("://");
        const auto path = scheme == std::string::npos ? 0 : url.find('/', scheme + 3);
        url = path == std::string::npos ? base : join_url(base, url.substr(path));
      } else if (!url.empty() && url.front() == '/') {
        url = join_url(base, url);
      }
    }

    HttpRequest shapes;
    shapes.url = overridden ? join_url(base, k_shapes_path) : std::string(k_oci_shapes_url);
    shapes.headers = {{"Accept", "application/json"}};
    GPUCOST_TRY_ASSIGN(auto shapes_body, send_for_body(http, call, shapes));
    return parse_oci_shapes(shapes_body, parts, *rules, context);
  }
};

} // namespace

Expected<OciBillingRules> parse_oci_billing_rules(std::string_view json_text,
                                                  const std::string& origin) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_document(json_text, origin));
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/oci-billing", 1));
  GPUCOST_TRY(root.check_keys({"schema",
                               "schemaVersion",
                               "description",
                               "billing_granularity_s",
                               "vm_minimum_s",
                               "bare_metal_minimum_s",
                               "billing_source",
                               "billing_as_of",
                               "billing_quote",
                               "preemptible_share",
                               "preemptible_source",
                               "preemptible_as_of",
                               "preemptible_quote"}));
  OciBillingRules rules;
  GPUCOST_TRY(required_number(
      root, "billing_granularity_s", rules.granularity_s, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(required_number(root, "vm_minimum_s", rules.vm_minimum_s, {.minimum = 0}));
  GPUCOST_TRY(
      required_number(root, "bare_metal_minimum_s", rules.bare_metal_minimum_s, {.minimum = 0}));
  GPUCOST_TRY(dated_source(root, "billing", rules.billing_source));
  GPUCOST_TRY(required_number(root,
                              "preemptible_share",
                              rules.preemptible_share,
                              {.minimum = 0, .exclusive = true, .maximum = 1}));
  GPUCOST_TRY(dated_source(root, "preemptible", rules.preemptible_source));
  return rules;
}

Expected<OciBillingRules> load_oci_billing_rules(const std::string& data_dir) {
  const std::string dir = data_dir.empty() ? std::string(GPUCOST_INSTALL_DATADIR) : data_dir;
  const std::string path = dir + "/" + std::string(k_billing_file);
  GPUCOST_TRY_ASSIGN(auto text, read_text_file(path));
  return parse_oci_billing_rules(text, path);
}

Expected<OciPricePage> parse_oci_products_page(std::string_view json, const ParseContext& context) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, json, context.source_url));
  const auto* items = find_field(document, "items");
  if (!items || !items->is_array()) {
    return make_error(
        unexpected_response(k_provider, context.source_url, "missing array \"items\""));
  }
  OciPricePage page;
  for (const auto& item : *items) {
    auto part_number = string_field(item, "partNumber");
    if (!part_number || part_number->empty()) {
      continue;
    }
    page.parts.push_back(OciPricePart{std::move(*part_number),
                                      string_field(item, "displayName").value_or(""),
                                      string_field(item, "metricName").value_or(""),
                                      string_field(item, "serviceCategory").value_or(""),
                                      usd_pay_as_you_go(item)});
  }
  if (bool_field(document, "hasMore").value_or(false)) {
    if (const auto* links = find_field(document, "links"); links && links->is_array()) {
      for (const auto& link : *links) {
        if (string_field(link, "rel") == "next") {
          page.next_url = string_field(link, "href").value_or("");
        }
      }
    }
  }
  return page;
}

bool oci_part_is_rental(const OciPricePart& part) {
  // "OCI - NVIDIA AI Enterprise - H100" is a software licence billed per GPU hour next to the
  // rental, in the same category; Cloud@Customer and VMware rows are other products.
  if (contains_ignoring_case(part.display_name, "AI Enterprise")
      || contains_ignoring_case(part.display_name, "Cloud@Customer")
      || contains_ignoring_case(part.service_category, "Cloud@Customer")
      || contains_ignoring_case(part.display_name, "VMware")
      || contains_ignoring_case(part.service_category, "VMware")) {
    return false;
  }
  return part.metric_name == k_gpu_metric || part.metric_name == k_ocpu_metric;
}

std::vector<std::string> oci_shape_gpu_candidates(std::string_view shape_name) {
  const auto pieces = split_dots(shape_base_name(shape_name));
  if (pieces.size() < 3 || !(pieces[0] == "BM" || pieces[0] == "VM")) {
    return {};
  }
  // First-generation names carry no model: BM.GPU2.2 (P100), VM.GPU3.1 (V100), BM.GPU4.8 (A100
  // 40 GB), per https://docs.oracle.com/en-us/iaas/Content/Compute/References/computeshapes.htm
  static const std::map<std::string, std::vector<std::string>, std::less<>> k_generations = {
      {"GPU2", {"P100", "P100 16GB"}},
      {"GPU3", {"V100", "V100 16GB"}},
      {"GPU4", {"A100 40GB", "A100 SXM4 40GB", "A100 40GB SXM4", "A100"}},
  };
  if (const auto it = k_generations.find(pieces[1]); it != k_generations.end()) {
    return it->second;
  }
  if (pieces[1] != "GPU" || pieces.size() < 4) {
    return {};
  }
  // BM.GPU.<MODEL>.<count>; a model may itself hold dots only in odd legacy names, so join the
  // middle pieces back.
  std::string model = pieces[2];
  for (std::size_t i = 3; i + 1 < pieces.size(); ++i) {
    model += "." + pieces[i];
  }
  if (model == "A100-v2") {
    return {"A100 80GB", "A100 SXM4 80GB", "A100 80GB SXM4"};
  }
  std::vector<std::string> candidates{model};
  auto spaced = model;
  std::replace(spaced.begin(), spaced.end(), '-', ' ');
  if (spaced != model) {
    candidates.push_back(spaced);
    candidates.push_back(model.substr(0, model.find('-'))); // "L40S-NC" -> "L40S"
  }
  return candidates;
}

Expected<FetchResult> parse_oci_shapes(std::string_view shapes_json,
                                       const std::vector<OciPricePart>& parts,
                                       const OciBillingRules& rules,
                                       const ParseContext& context) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, shapes_json, context.source_url));
  const auto* items = find_field(document, "items");
  if (!items || !items->is_array()) {
    return make_error(unexpected_response(
        k_provider, context.source_url, "missing array \"items\" in shapes.json"));
  }
  std::map<std::string, const OciPricePart*, std::less<>> by_number;
  for (const auto& part : parts) {
    by_number.emplace(part.part_number, &part);
  }

  FetchResult result;
  result.source_url = context.source_url;
  // Parts any shape refers to, hidden or not: the rest may be shapes missing from shapes.json.
  std::set<std::string> used_parts;
  for (const auto& item : *items) {
    if (const auto* products = find_field(item, "products"); products && products->is_array()) {
      for (const auto& product : *products) {
        if (auto number = string_field(product, "partNumber")) {
          used_parts.insert(std::move(*number));
        }
      }
    }
  }

  for (const auto& item : *items) {
    const auto raw_name = string_field(item, "name");
    const auto gpu_qty = positive_number_field(item, "gpuQty");
    if (!raw_name || !gpu_qty) {
      continue; // CPU shape
    }
    if (bool_field(item, "hidden").value_or(false)) {
      continue; // retired or unlisted shape
    }
    if (const auto status = string_field(item, "status"); status && *status != "ACTIVE") {
      continue;
    }
    const std::string name = shape_base_name(*raw_name);
    const int gpu_count = static_cast<int>(std::lround(*gpu_qty));

    double usd_per_hour = 0;
    bool has_gpu_price = false;
    std::optional<double> ocpus;
    std::string problem;
    std::string price_note;
    const auto* products = find_field(item, "products");
    if (products && products->is_array()) {
      for (const auto& product : *products) {
        const auto number = string_field(product, "partNumber").value_or("");
        const auto qty = number_field(product, "qty");
        const auto* type = find_field(product, "type");
        const auto type_value = type ? string_field(*type, "value").value_or("") : std::string();
        if (type_value == "ocpu" && qty && *qty > 0) {
          ocpus = qty;
        }
        const auto it = by_number.find(number);
        if (it == by_number.end()) {
          problem = fmt::format("part {} is not in the price list", number);
          continue;
        }
        const auto& part = *it->second;
        if (!oci_part_is_rental(part)) {
          problem =
              fmt::format("part {} (\"{}\") is not a rental price", number, part.display_name);
          continue;
        }
        if (!part.usd_per_unit) {
          problem = fmt::format("part {} has no USD pay-as-you-go price", number);
          continue;
        }
        if (part.metric_name == k_gpu_metric) {
          usd_per_hour += *part.usd_per_unit * gpu_count;
          has_gpu_price = true;
          price_note = fmt::format("part {} \"{}\" {} USD per GPU hour x {} GPUs",
                                   number,
                                   part.display_name,
                                   *part.usd_per_unit,
                                   gpu_count);
        } else if (qty) {
          usd_per_hour += *part.usd_per_unit * *qty;
        }
      }
    }
    if (!has_gpu_price || usd_per_hour <= 0) {
      result.warnings.push_back(
          fmt::format("{}: shape {} skipped: {}",
                      k_provider,
                      name,
                      problem.empty() ? std::string("no GPU Per Hour part") : problem));
      continue;
    }

    const bool bare_metal = name.rfind("BM.", 0) == 0;
    auto names = oci_shape_gpu_candidates(name);
    if (names.empty()) {
      names.push_back(name);
    }
    // OCI's bare-metal data-centre shapes carry HGX (SXM) boards: BM.GPU.H100.8 is the H100 SXM5,
    // which the GPU table does not call plain "H100" (that could be PCIe or NVL). Models with no
    // SXM form (A10, L40S) simply fail this first look-up.
    std::vector<std::string> candidates;
    if (bare_metal && names.front().find(' ') == std::string::npos) {
      candidates.push_back(names.front() + " SXM");
    }
    candidates.insert(candidates.end(), names.begin(), names.end());
    const auto gpu =
        resolve_gpu(k_provider, candidates, context, result.warnings, std::nullopt, names.front());
    Offer offer;
    offer.provider = std::string(k_provider);
    offer.product = Product::vm;
    offer.name = name;
    offer.gpu = gpu.name;
    offer.gpu_count = gpu_count;
    // gpuMemoryQty is the total on most shapes, per GPU on MI355X and wrong on GB300: use the
    // table.
    offer.gpu_memory_gb = gpu.spec ? gpu.spec->memory_gb : std::nullopt;
    if (ocpus) {
      // An x86 OCPU is one core, two threads; Grace (GB200, GB300, GH200) cores count once.
      const bool grace = contains_ignoring_case(name, "GB200")
                         || contains_ignoring_case(name, "GB300")
                         || contains_ignoring_case(name, "GH200");
      offer.vcpus = *ocpus * (grace ? 1 : 2);
    }
    offer.ram_gb = positive_number_field(item, "bundleMemoryQty");
    offer.price_per_hour = usd_per_hour;
    const double minimum_s = bare_metal ? rules.bare_metal_minimum_s : rules.vm_minimum_s;
    offer.billing_granularity_s = rules.granularity_s;
    offer.billing_minimum_s = minimum_s;
    offer.source = context.source_url;
    offer.fetched_at = context.now;
    offer.notes = price_note;
    if (bool_field(item, "allowPreemptible").value_or(false)) {
      offer.spot_price_per_hour = usd_per_hour * rules.preemptible_share;
      offer.notes += fmt::format("; preemptible at {:g}% of on demand (OCI pricing)",
                                 rules.preemptible_share * 100);
    }
    offer.notes += fmt::format("; billed per {}, {} minimum ({})",
                               rules.granularity_s == 1
                                   ? std::string("second")
                                   : format_duration(rules.granularity_s, DurationStyle::words),
                               format_duration(minimum_s, DurationStyle::words),
                               rules.billing_source);
    result.offers.push_back(std::move(offer));
  }

  // GPU rentals in the price list that no shape uses point at a shapes.json behind the price list.
  std::vector<std::string> unused;
  for (const auto& part : parts) {
    if (part.metric_name == k_gpu_metric && oci_part_is_rental(part) && part.usd_per_unit
        && used_parts.count(part.part_number) == 0
        && contains_ignoring_case(part.service_category, "Compute - GPU")) {
      unused.push_back(fmt::format("{} \"{}\"", part.part_number, part.display_name));
    }
  }
  if (!unused.empty()) {
    std::string list;
    for (const auto& entry : unused) {
      list += (list.empty() ? "" : ", ") + entry;
    }
    result.warnings.push_back(
        fmt::format("{}: {} GPU price part(s) match no shape in shapes.json: {}",
                    k_provider,
                    unused.size(),
                    list));
  }
  return result;
}

std::unique_ptr<Provider> make_oci_provider() {
  return std::make_unique<OciProvider>();
}

} // namespace gpucost
