#include <gpucost/data/baseline_file.hpp>
#include <gpucost/data/json_util.hpp>
#include <gpucost/data/workload_file.hpp>
#include <gpucost/model/option_key.hpp>
#include <gpucost/model/price_origin.hpp>

#include <fmt/format.h>

#include <limits>

namespace gpucost {

namespace {

Status read_filters(const JsonReader& node, CompareResult& result) {
  OfferFilters& filters = result.filters;
  GPUCOST_TRY(node.string_list_field("gpus", filters.gpus));
  GPUCOST_TRY(node.string_list_field("providers", filters.providers));
  std::vector<std::string> products;
  GPUCOST_TRY(node.string_list_field("products", products));
  for (const auto& name : products) {
    const auto product = parse_product(name);
    if (!product) {
      return Unexpected{node.error("products", fmt::format("unknown product \"{}\"", name))};
    }
    filters.products.push_back(*product);
  }
  GPUCOST_TRY(node.string_list_field("regions", filters.regions));
  GPUCOST_TRY(node.number_field("min_vram_gb", filters.min_vram_gb, 0));
  GPUCOST_TRY(node.number_field("max_price_per_hour", filters.max_price_per_hour, 0));
  std::string text;
  GPUCOST_TRY(node.string_field("mode", text, Presence::optional));
  if (!text.empty()) {
    filters.mode = parse_mode(text);
    if (!filters.mode) {
      return Unexpected{node.error("mode", fmt::format("unknown mode \"{}\"", text))};
    }
  }
  text.clear();
  GPUCOST_TRY(node.string_field("pricing", text, Presence::optional));
  if (!text.empty()) {
    filters.pricing = parse_pricing(text);
    if (!filters.pricing) {
      return Unexpected{node.error("pricing", fmt::format("unknown pricing \"{}\"", text))};
    }
  }
  std::optional<int> top;
  GPUCOST_TRY(node.int_field("top", top, 1));
  if (top) {
    result.top = static_cast<std::size_t>(*top);
  }
  return Ok{};
}

Status read_traits(const JsonReader& node, RankedOption& row) {
  ModelOption& option = row.option;
  std::optional<double> value;
  GPUCOST_TRY(node.number_field("billing_granularity_s", value, 0));
  option.granularity_s = value.value_or(1);
  GPUCOST_TRY(node.number_field("billing_minimum_s", value, 0));
  option.minimum_s = value.value_or(0);
  GPUCOST_TRY(node.number_field("cold_start_s", value, 0));
  option.cold_start_s = value.value_or(0);
  std::optional<bool> billed;
  GPUCOST_TRY(node.bool_field("cold_start_billed", billed));
  option.cold_start_billed = billed.value_or(true);
  GPUCOST_TRY(node.number_field("idle_timeout_s", value, 0));
  option.idle_timeout_s = value.value_or(0);
  std::optional<int> slots;
  GPUCOST_TRY(node.int_field("slots", slots, 1));
  option.slots = slots.value_or(1);
  GPUCOST_TRY(node.number_field("egress_usd_per_job", value, 0));
  option.egress_usd_per_job = value.value_or(0);
  GPUCOST_TRY(node.number_field("egress_usd_per_gb", row.egress_usd_per_gb, 0));
  GPUCOST_TRY(node.number_field("interruptions_per_hour", value, 0));
  option.interruptions_per_hour = value.value_or(0);
  return Ok{};
}

// An api row's unit, price per unit and the "api" terms it was priced on (all required: a
// baseline api row without them cannot be priced again).
Status read_api_terms(const JsonReader& node, UnitPrice& terms) {
  std::string unit;
  GPUCOST_TRY(node.string_field("unit", unit, Presence::required));
  terms.unit = parse_work_unit(unit);
  if (!terms.unit) {
    return Unexpected{node.error(
        "unit", fmt::format("unknown unit \"{}\" (expected {})", unit, work_unit_names()))};
  }
  GPUCOST_TRY(
      node.number_field("price_per_unit", terms.price_per_unit, {.minimum = 0, .exclusive = true}));
  if (!terms.price_per_unit) {
    return Unexpected{node.error("price_per_unit", "is required (an api row has a unit price)")};
  }
  GPUCOST_TRY_ASSIGN(const auto api, node.object("api"));
  if (!api) {
    return Unexpected{node.error("api", "is required (the terms an api row was priced on)")};
  }
  GPUCOST_TRY(api->number_field("minimum_charge", terms.minimum_charge, 0));
  GPUCOST_TRY(
      api->number_field("unit_increment", terms.unit_increment, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(api->number_field(
      "max_units_per_call", terms.max_units_per_call, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(api->number_field(
      "rate_limit_per_minute", terms.rate_limit_per_minute, {.minimum = 0, .exclusive = true}));
  return Ok{};
}

Expected<RankedOption> read_option(const JsonReader& node, const ProviderTable& providers) {
  RankedOption row;
  Offer& offer = row.offer;
  Estimate& estimate = row.estimate;
  std::optional<int> integer;
  GPUCOST_TRY(node.int_field("rank", integer, 1));
  row.rank = integer.value_or(0);
  GPUCOST_TRY(node.string_field("provider", offer.provider, Presence::required));
  std::string text;
  GPUCOST_TRY(node.string_field("product", text, Presence::required));
  const auto product = parse_product(text);
  if (!product) {
    return Unexpected{node.error("product", fmt::format("unknown product \"{}\"", text))};
  }
  offer.product = *product;
  text.clear();
  GPUCOST_TRY(node.string_field("mode", text, Presence::required));
  const auto mode = parse_mode(text);
  if (!mode) {
    return Unexpected{node.error("mode", fmt::format("unknown mode \"{}\"", text))};
  }
  estimate.mode = *mode;
  text.clear();
  GPUCOST_TRY(node.string_field("pricing", text, Presence::required));
  const auto pricing = parse_pricing(text);
  if (!pricing) {
    return Unexpected{node.error("pricing", fmt::format("unknown pricing \"{}\"", text))};
  }
  estimate.pricing = *pricing;
  GPUCOST_TRY(node.string_field("name", offer.name, Presence::optional));
  const bool api = offer.product == Product::api;
  GPUCOST_TRY(node.string_field("gpu", offer.gpu, api ? Presence::optional : Presence::required));
  GPUCOST_TRY(node.int_field("gpu_count", integer, 1));
  offer.gpu_count = api ? 0 : integer.value_or(1);
  GPUCOST_TRY(node.number_field("gpu_memory_gb", offer.gpu_memory_gb, 0));
  GPUCOST_TRY(node.string_field("region", offer.region, Presence::optional));
  std::optional<double> value;
  if (api) {
    GPUCOST_TRY(read_api_terms(node, offer.per_unit));
  } else {
    GPUCOST_TRY(node.number_field("price_per_hour", value, 0));
    if (!value) {
      return Unexpected{node.error("price_per_hour", "is required (a baseline row has a rate)")};
    }
    row.usd_per_hour = *value;
  }
  GPUCOST_TRY(node.number_field("cost_per_job", value, 0));
  if (!value) {
    // A row without a cost is never read as $0.
    return Unexpected{node.error("cost_per_job", "is required (a missing cost is never $0)")};
  }
  estimate.cost_per_job = *value;
  GPUCOST_TRY(node.number_field("monthly_cost", estimate.monthly_cost, 0));
  GPUCOST_TRY(node.number_field("job_seconds", value, 0));
  estimate.job_seconds = value.value_or(0);
  GPUCOST_TRY(node.string_field("source", offer.source, Presence::optional));
  GPUCOST_TRY(node.string_field("fetched_at", offer.fetched_at, Presence::optional));
  // A price fetched after the run's clock has a negative age: read it as written.
  GPUCOST_TRY(
      node.number_field("price_age_s", row.price_age_s, std::numeric_limits<double>::lowest()));
  GPUCOST_TRY(node.string_list_field("defaulted", row.defaulted));
  GPUCOST_TRY(node.string_field("key", row.key, Presence::optional));
  if (row.key.empty()) {
    row.key = option_key(offer, estimate.mode, estimate.pricing, providers.find(offer.provider));
  }
  GPUCOST_TRY_ASSIGN(const auto traits, node.object("traits"));
  row.traits_known = traits.has_value();
  if (row.traits_known) {
    GPUCOST_TRY(read_traits(*traits, row));
  }
  row.option.usd_per_hour = row.usd_per_hour;
  return row;
}

} // namespace

Expected<Baseline> parse_baseline(std::string_view json_text,
                                  const std::string& origin,
                                  const ProviderTable& providers) {
  GPUCOST_TRY_ASSIGN(const auto document, parse_json_document(json_text, origin));
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/compare", 1));
  Baseline baseline;
  baseline.origin = origin;
  CompareResult& result = baseline.result;
  GPUCOST_TRY(root.string_field("tool_version", result.tool_version, Presence::optional));
  GPUCOST_TRY(root.string_field("generatedAt", result.generated_at, Presence::optional));
  GPUCOST_TRY(root.string_field("currency", result.currency, Presence::optional));
  if (result.currency != "USD") {
    return Unexpected{root.error(
        "currency",
        fmt::format("must be \"USD\" (got \"{}\"): gpucost prices in USD", result.currency))};
  }
  GPUCOST_TRY_ASSIGN(const auto workload, root.object("workload"));
  if (!workload) {
    return Unexpected{root.error("workload", "is required (the workload the baseline priced)")};
  }
  GPUCOST_TRY_ASSIGN(result.workload, read_workload_object(*workload));

  GPUCOST_TRY_ASSIGN(const auto catalog, root.object("catalog"));
  if (catalog) {
    GPUCOST_TRY(catalog->string_field("sha256", result.catalog.sha256, Presence::optional));
    if (catalog->node().contains("sources")) {
      GPUCOST_TRY_ASSIGN(const auto sources, catalog->array("sources"));
      for (const auto& node : sources) {
        CatalogSource source;
        std::string origin_name;
        GPUCOST_TRY(node.string_field("origin", origin_name, Presence::optional));
        if (!origin_name.empty()) {
          const auto parsed = parse_price_origin(origin_name);
          if (!parsed || *parsed == PriceOrigin::none) {
            return Unexpected{node.error(
                "origin",
                fmt::format("unknown origin \"{}\" (live, cache, bundled or file)", origin_name))};
          }
          source.origin = *parsed;
        }
        GPUCOST_TRY(node.string_field("location", source.location, Presence::optional));
        GPUCOST_TRY(node.string_field("provider", source.provider, Presence::optional));
        GPUCOST_TRY(node.string_field("fetched_at", source.fetched_at, Presence::optional));
        result.catalog.sources.push_back(std::move(source));
      }
    }
  }
  GPUCOST_TRY_ASSIGN(const auto filters, root.object("filters"));
  baseline.has_filters = filters.has_value();
  if (baseline.has_filters) {
    GPUCOST_TRY(read_filters(*filters, result));
  }
  GPUCOST_TRY_ASSIGN(const auto options, root.array("options"));
  for (const auto& node : options) {
    GPUCOST_TRY_ASSIGN(auto row, read_option(node, providers));
    result.options.push_back(std::move(row));
  }
  result.total_options = result.options.size();
  return baseline;
}

} // namespace gpucost
