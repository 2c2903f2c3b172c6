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

Expected<Offer> read_offer(const JsonReader& item, const std::vector<FxRate>& rates) {
  GPUCOST_TRY(item.check_keys(offer_field_names()));
  Offer offer;
  std::string product;
  GPUCOST_TRY(item.string_field("provider", offer.provider, Presence::required));
  GPUCOST_TRY(item.string_field("product", product, Presence::required));
  const auto parsed_product = parse_product(product);
  if (!parsed_product) {
    return Unexpected{
        item.error("product",
                   fmt::format("unknown product \"{}\" (expected pod, vm, serverless or dedicated)",
                               product))};
  }
  offer.product = *parsed_product;
  GPUCOST_TRY(item.string_field("name", offer.name, Presence::optional));
  GPUCOST_TRY(item.string_field("gpu", offer.gpu, Presence::required));
  std::optional<int> gpu_count;
  GPUCOST_TRY(item.int_field("gpu_count", gpu_count, 1));
  if (!gpu_count) {
    return Unexpected{item.error("gpu_count", "is required (a whole number >= 1)")};
  }
  offer.gpu_count = *gpu_count;
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

  if (!has_price(offer)) {
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

auto merge_key(const Offer& offer) {
  return std::tie(offer.provider, offer.product, offer.gpu, offer.gpu_count, offer.region);
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
                                           const std::vector<FxRate>& rates) {
  // The one-pass reader reads any valid catalog; for anything else the DOM reader says what is
  // wrong (it reads the text again, which costs only on the error path).
  if (auto offers = parse_catalog_fast(json_text, rates)) {
    return std::move(*offers);
  }
  return parse_catalog_checked(json_text, origin, rates);
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
