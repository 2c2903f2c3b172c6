#include <gpucost/data/json_util.hpp>
#include <gpucost/data/provider_file.hpp>

#include <fmt/format.h>

namespace gpucost {

namespace {

// "max_workers": null, or {"workers" or "gpus": N >= 1, "scope", "source", "as_of", "notes"}.
Status read_worker_cap(const JsonReader& item, std::optional<WorkerCap>& out) {
  GPUCOST_TRY_ASSIGN(auto cap_item, item.object("max_workers"));
  if (!cap_item) {
    out.reset();
    return Ok{};
  }
  WorkerCap cap;
  GPUCOST_TRY(cap_item->int_field("workers", cap.workers, 1));
  GPUCOST_TRY(cap_item->int_field("gpus", cap.gpus, 1));
  if (cap.workers.has_value() == cap.gpus.has_value()) {
    return Unexpected{
        cap_item->error(cap.workers ? "gpus" : "workers",
                        "give exactly one of \"workers\" and \"gpus\" (a whole number >= 1)")};
  }
  GPUCOST_TRY(cap_item->string_field("scope", cap.scope, Presence::required));
  GPUCOST_TRY(cap_item->string_field("source", cap.source, Presence::required));
  GPUCOST_TRY(cap_item->string_field("as_of", cap.as_of, Presence::required));
  GPUCOST_TRY(cap_item->string_field("notes", cap.notes, Presence::optional));
  out = std::move(cap);
  return Ok{};
}

Status read_traits(const JsonReader& item, ProductTraits& traits) {
  GPUCOST_TRY(item.number_field(
      "billing_granularity_s", traits.billing_granularity_s, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(item.number_field("billing_minimum_s", traits.billing_minimum_s, 0));
  GPUCOST_TRY(item.number_field("cold_start_s", traits.cold_start_s, 0));
  GPUCOST_TRY(item.bool_field("cold_start_billed", traits.cold_start_billed));
  GPUCOST_TRY(item.bool_field("idle_billed", traits.idle_billed));
  GPUCOST_TRY(item.number_field("idle_timeout_s", traits.idle_timeout_s, 0));
  GPUCOST_TRY(item.bool_field("native_autoscaling", traits.native_autoscaling));
  GPUCOST_TRY(item.bool_field("always_on", traits.always_on));
  GPUCOST_TRY(read_worker_cap(item, traits.max_workers));
  GPUCOST_TRY(item.string_field("source", traits.source, Presence::required));
  GPUCOST_TRY(item.string_field("as_of", traits.as_of, Presence::required));
  GPUCOST_TRY(item.string_field("notes", traits.notes, Presence::optional));
  const auto sources = item.node().find("sources");
  if (sources != item.node().end() && sources->is_object()) {
    for (const auto& [trait, where] : sources->items()) {
      if (where.is_string()) {
        traits.sources[trait] = where.get<std::string>();
      }
    }
  }
  const auto& range = item.node().find("idle_timeout_range_s");
  if (range != item.node().end() && !range->is_null()) {
    if (!range->is_array() || range->size() != 2 || !(*range)[0].is_number()
        || !(*range)[1].is_number()) {
      return Unexpected{
          item.error("idle_timeout_range_s", "must be [minimum, maximum] in seconds")};
    }
    traits.idle_timeout_range_s = {(*range)[0].get<double>(), (*range)[1].get<double>()};
  }
  return Ok{};
}

} // namespace

Expected<ProviderTable> parse_provider_table(std::string_view json_text,
                                             const std::string& origin) {
  GPUCOST_TRY_ASSIGN(const auto document, parse_json_document(json_text, origin));
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/providers", 1));
  const auto providers = document.find("providers");
  if (providers == document.end() || !providers->is_object()) {
    return Unexpected{root.error("providers", "must be an object keyed by provider id")};
  }
  std::vector<ProviderInfo> table;
  for (const auto& [id, value] : providers->items()) {
    const JsonReader item(value, json_text, origin, {std::string("providers"), id});
    ProviderInfo info;
    info.id = id;
    GPUCOST_TRY(item.string_field("display_name", info.display_name, Presence::optional));
    GPUCOST_TRY(item.string_field("tier", info.tier, Presence::optional));
    GPUCOST_TRY(item.string_field("api_key_env", info.api_key_env, Presence::optional));
    GPUCOST_TRY(item.number_field("egress_per_gb", info.egress_per_gb, 0));
    GPUCOST_TRY(item.string_field("egress_source", info.egress_source, Presence::optional));
    const auto products = value.find("products");
    if (products == value.end() || !products->is_object()) {
      return Unexpected{item.error("products", "must be an object keyed by product")};
    }
    for (const auto& [product_name, traits_value] : products->items()) {
      const auto product = parse_product(product_name);
      const JsonReader traits_item(
          traits_value,
          json_text,
          origin,
          {std::string("providers"), id, std::string("products"), product_name});
      if (!product) {
        return Unexpected{traits_item.error(
            "",
            fmt::format("unknown product \"{}\" (expected {})", product_name, product_names()))};
      }
      ProductTraits traits;
      GPUCOST_TRY(read_traits(traits_item, traits));
      info.products.emplace(*product, std::move(traits));
    }
    table.push_back(std::move(info));
  }
  std::map<Product, ColdStartDefault> cold_start_defaults;
  const auto defaults = document.find("cold_start_defaults");
  if (defaults != document.end() && !defaults->is_null()) {
    if (!defaults->is_object()) {
      return Unexpected{
          root.error("cold_start_defaults", "must be an object keyed by product (pod, vm, ...)")};
    }
    for (const auto& [product_name, value] : defaults->items()) {
      const auto product = parse_product(product_name);
      if (!product) {
        continue; // "notes" and other commentary
      }
      const JsonReader item(
          value, json_text, origin, {std::string("cold_start_defaults"), product_name});
      std::optional<double> seconds;
      GPUCOST_TRY(item.number_field("cold_start_s", seconds, 0));
      if (!seconds) {
        return Unexpected{item.error("cold_start_s", "is required")};
      }
      ColdStartDefault entry;
      entry.cold_start_s = *seconds;
      GPUCOST_TRY(item.string_field("source", entry.source, Presence::required));
      GPUCOST_TRY(item.string_field("as_of", entry.as_of, Presence::optional));
      cold_start_defaults.emplace(*product, std::move(entry));
    }
  }
  return ProviderTable(std::move(table), std::move(cold_start_defaults));
}

} // namespace gpucost
