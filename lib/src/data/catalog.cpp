#include <gpucost/data/catalog.hpp>
#include <gpucost/data/catalog_fast.hpp>
#include <gpucost/data/json_util.hpp>
#include <gpucost/data/offer_json.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace gpucost {

namespace {

// Reads an ISO 8601 time field, refusing text that does not parse.
Status read_time(const JsonReader& item, std::string_view key, std::string& out) {
  GPUCOST_TRY(item.string_field(key, out, Presence::required));
  if (!parse_iso8601(out)) {
    return Unexpected{item.error(
        key,
        fmt::format("\"{}\" is not an ISO 8601 UTC time (e.g. \"2026-11-20T00:00:00Z\")", out))};
  }
  return Ok{};
}

// The api fields: "unit" (one of the closed list), "price_per_unit", "minimum_charge",
// "unit_increment", "max_units_per_call", "rate_limit_per_minute".
Status read_unit_price(const JsonReader& item, UnitPrice& out) {
  std::string unit;
  GPUCOST_TRY(item.string_field("unit", unit, Presence::optional));
  if (item.node().contains("unit") && !item.node()["unit"].is_null()) {
    out.unit = parse_work_unit(unit);
    if (!out.unit) {
      return Unexpected{item.error(
          "unit", fmt::format("unknown unit \"{}\" (expected {})", unit, work_unit_names()))};
    }
  }
  GPUCOST_TRY(
      item.number_field("price_per_unit", out.price_per_unit, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(item.number_field("minimum_charge", out.minimum_charge, 0));
  GPUCOST_TRY(
      item.number_field("unit_increment", out.unit_increment, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(item.number_field(
      "max_units_per_call", out.max_units_per_call, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(item.number_field(
      "rate_limit_per_minute", out.rate_limit_per_minute, {.minimum = 0, .exclusive = true}));
  return Ok{};
}

// An api offer has a unit and a price per unit and none of a GPU offer's fields; a GPU offer has
// none of the api fields. The message names the first field out of place (offer_field_rule).
Status check_api_fields(const JsonReader& item, const Offer& offer, bool has_gpu_count) {
  if (const auto misplaced = misplaced_offer_field(offer, has_gpu_count)) {
    return Unexpected{item.error(misplaced->field, std::string(misplaced->message))};
  }
  return Ok{};
}

Expected<Offer> read_offer(const JsonReader& item, const std::vector<FxRate>& rates) {
  GPUCOST_TRY(item.check_keys(offer_field_names()));
  Offer offer;
  std::string product;
  GPUCOST_TRY(item.string_field("provider", offer.provider, Presence::required));
  GPUCOST_TRY(item.string_field("product", product, Presence::required));
  const auto parsed_product = parse_product(product);
  if (!parsed_product) {
    return Unexpected{item.error(
        "product", fmt::format("unknown product \"{}\" (expected {})", product, product_names()))};
  }
  offer.product = *parsed_product;
  const bool api = offer.product == Product::api;
  GPUCOST_TRY(item.string_field("name", offer.name, Presence::optional));
  GPUCOST_TRY(item.string_field("gpu", offer.gpu, api ? Presence::optional : Presence::required));
  std::optional<int> gpu_count;
  GPUCOST_TRY(item.int_field("gpu_count", gpu_count, 1));
  if (api) {
    offer.gpu_count = 0;
  } else if (!gpu_count) {
    return Unexpected{item.error("gpu_count", "is required (a whole number >= 1)")};
  } else {
    offer.gpu_count = *gpu_count;
  }
  GPUCOST_TRY(
      item.number_field("gpu_memory_gb", offer.gpu_memory_gb, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(item.number_field("vcpus", offer.vcpus, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(item.number_field("ram_gb", offer.ram_gb, {.minimum = 0, .exclusive = true}));
  GPUCOST_TRY(item.string_field("region", offer.region, Presence::optional));
  constexpr NumberRange k_hourly{.minimum = k_min_price_per_hour, .maximum = k_max_price_per_hour};
  constexpr NumberRange k_monthly{.minimum = k_min_price_per_hour * k_hours_per_month,
                                  .maximum = k_max_price_per_hour * k_hours_per_month};
  GPUCOST_TRY(item.number_field("price_per_hour", offer.price_per_hour, k_hourly));
  GPUCOST_TRY(item.number_field("spot_price_per_hour", offer.spot_price_per_hour, k_hourly));
  GPUCOST_TRY(item.number_field("monthly_price", offer.monthly_price, k_monthly));
  GPUCOST_TRY(
      item.number_field("always_on_price_per_hour", offer.always_on_price_per_hour, k_hourly));
  GPUCOST_TRY(
      item.number_field("billing_granularity_s",
                        offer.billing_granularity_s,
                        {.minimum = 0, .exclusive = true, .maximum = k_max_billing_granularity_s}));
  GPUCOST_TRY(item.number_field("billing_minimum_s", offer.billing_minimum_s, 0));
  GPUCOST_TRY(item.number_field("cold_start_s", offer.cold_start_s, 0));
  GPUCOST_TRY(item.bool_field("cold_start_billed", offer.cold_start_billed));
  GPUCOST_TRY(item.number_field("idle_timeout_s", offer.idle_timeout_s, 0));
  GPUCOST_TRY(item.number_field("interruptions_per_hour", offer.interruptions_per_hour, 0));
  GPUCOST_TRY(item.number_field("egress_per_gb", offer.egress_per_gb, 0));
  GPUCOST_TRY(item.number_field("reliability", offer.reliability, {.minimum = 0, .maximum = 1}));
  GPUCOST_TRY(item.string_field("source", offer.source, Presence::required));
  GPUCOST_TRY(read_time(item, "fetched_at", offer.fetched_at));
  GPUCOST_TRY(item.string_field("notes", offer.notes, Presence::optional));
  GPUCOST_TRY(read_unit_price(item, offer.per_unit));
  if (api || has_unit_terms(offer.per_unit)) {
    GPUCOST_TRY(check_api_fields(item, offer, gpu_count.has_value()));
  }

  if (!api && !has_price(offer)) {
    return Unexpected{item.error(
        "price_per_hour",
        "the offer has no price (give price_per_hour, spot_price_per_hour, monthly_price or "
        "always_on_price_per_hour)")};
  }

  std::string currency = "USD";
  GPUCOST_TRY(item.string_field("currency", currency, Presence::optional));
  if (currency != "USD") {
    const FxRate* rate = find_rate(rates, currency);
    if (rate == nullptr) {
      return Unexpected{item.error(
          "currency",
          fmt::format(
              "no exchange rate for \"{}\" in data/fx.json (prices must be converted to USD)",
              currency))};
    }
    convert_to_usd(offer, *rate);
  }
  return offer;
}

// An api offer has no GPU: its unit and name tell two of one provider apart.
auto merge_key(const Offer& offer) {
  const bool api = offer.product == Product::api;
  return std::make_tuple(std::string_view(offer.provider),
                         offer.product,
                         std::string_view(offer.gpu),
                         offer.gpu_count,
                         std::string_view(offer.region),
                         api && offer.per_unit.unit ? static_cast<int>(*offer.per_unit.unit) : -1,
                         api ? std::string_view(offer.name) : std::string_view());
}

} // namespace

Expected<std::vector<FxRate>> parse_fx_rates(std::string_view json_text,
                                             const std::string& origin) {
  GPUCOST_TRY_ASSIGN(const auto document, parse_json_document(json_text, origin));
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/fx", 1));
  GPUCOST_TRY_ASSIGN(const auto items, root.array("rates"));
  std::vector<FxRate> rates;
  for (const auto& item : items) {
    FxRate rate;
    std::optional<double> usd;
    GPUCOST_TRY(item.string_field("currency", rate.currency, Presence::required));
    GPUCOST_TRY(item.number_field("usd_per_unit", usd, {.minimum = 0, .exclusive = true}));
    if (!usd) {
      return Unexpected{item.error("usd_per_unit", "is required")};
    }
    rate.usd_per_unit = *usd;
    GPUCOST_TRY(item.string_field("as_of", rate.as_of, Presence::required));
    GPUCOST_TRY(item.string_field("source", rate.source, Presence::required));
    rates.push_back(std::move(rate));
  }
  return rates;
}

Expected<std::vector<Offer>> parse_catalog_checked(std::string_view json_text,
                                                   const std::string& origin,
                                                   const std::vector<FxRate>& rates) {
  GPUCOST_TRY_ASSIGN(const auto document, parse_json_document(json_text, origin));
  if (const auto duplicate = find_duplicate_json_key(json_text)) {
    return make_error(duplicate_key_message(*duplicate, origin));
  }
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/catalog", 1));
  GPUCOST_TRY_ASSIGN(const auto items, root.array("offers"));
  std::vector<Offer> offers;
  offers.reserve(items.size());
  for (const auto& item : items) {
    GPUCOST_TRY_ASSIGN(auto offer, read_offer(item, rates));
    offers.push_back(std::move(offer));
  }
  return offers;
}

Expected<std::vector<Offer>> parse_catalog(std::string_view json_text,
                                           const std::string& origin,
                                           const std::vector<FxRate>& rates,
                                           const ReadProgress& progress,
                                           const KeepOffer& keep) {
  // The one-pass reader reads any valid catalog; for anything else the DOM reader says what is
  // wrong (it reads the text again, which costs only on the error path).
  if (auto offers = parse_catalog_fast(json_text, rates, nullptr, progress, keep)) {
    return std::move(*offers);
  }
  GPUCOST_TRY_ASSIGN(auto offers, parse_catalog_checked(json_text, origin, rates));
  if (keep) {
    std::size_t index = 0;
    std::erase_if(offers, [&](Offer& offer) { return !keep(offer, {index++, false}); });
  }
  return offers;
}

std::string serialize_catalog(const std::vector<Offer>& offers) {
  nlohmann::ordered_json document;
  document["schema"] = "gpucost/catalog";
  document["schemaVersion"] = 1;
  document["offers"] = offers_to_json(offers);
  return document.dump(2) + "\n";
}

std::vector<Offer> merge_offers(std::vector<Offer> base, const std::vector<Offer>& additions) {
  // One pass over the base with the additions' keys in a set: n log m, not n times m.
  std::set<decltype(merge_key(additions.front()))> keys;
  for (const auto& addition : additions) {
    keys.insert(merge_key(addition));
  }
  if (!keys.empty()) {
    std::erase_if(base, [&](const Offer& offer) { return keys.count(merge_key(offer)) != 0; });
  }
  base.insert(base.end(), additions.begin(), additions.end());
  return base;
}

} // namespace gpucost
