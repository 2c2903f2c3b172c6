#include <gpucost/data/offer_json.hpp>

#include <cmath>
#include <cstdint>

namespace gpucost {

namespace {

// Whole numbers are written as integers ("24", not "24.0"), as the catalog examples are.
nlohmann::ordered_json number(double value) {
  constexpr double k_max_exact = 9007199254740992.0; // 2^53
  if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) <= k_max_exact) {
    return static_cast<std::int64_t>(value);
  }
  return value; // NaN and infinities become null when dumped
}

nlohmann::ordered_json optional_number(const std::optional<double>& value) {
  return value ? number(*value) : nlohmann::ordered_json(nullptr);
}

// The fields every row ends with: egress, reliability, source, fetched_at, notes (when any).
void append_offer_tail(const Offer& offer, nlohmann::ordered_json& row) {
  row["egress_per_gb"] = optional_number(offer.egress_per_gb);
  row["reliability"] = optional_number(offer.reliability);
  row["source"] = offer.source;
  row["fetched_at"] = offer.fetched_at;
  if (!offer.notes.empty()) {
    row["notes"] = offer.notes;
  }
}

// An api offer's row: no GPU and no hourly fields, its unit price and terms instead.
nlohmann::ordered_json api_offer_to_json(const Offer& offer) {
  const UnitPrice& terms = offer.per_unit;
  nlohmann::ordered_json row;
  row["provider"] = offer.provider;
  row["product"] = std::string(to_string(offer.product));
  row["name"] = offer.name;
  row["unit"] = terms.unit ? nlohmann::ordered_json(std::string(to_string(*terms.unit)))
                           : nlohmann::ordered_json(nullptr);
  row["price_per_unit"] = optional_number(terms.price_per_unit);
  row["minimum_charge"] = optional_number(terms.minimum_charge);
  row["unit_increment"] = optional_number(terms.unit_increment);
  row["max_units_per_call"] = optional_number(terms.max_units_per_call);
  row["rate_limit_per_minute"] = optional_number(terms.rate_limit_per_minute);
  row["region"] =
      offer.region.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(offer.region);
  append_offer_tail(offer, row);
  return row;
}

} // namespace

nlohmann::ordered_json offer_to_json(const Offer& offer) {
  if (offer.product == Product::api) {
    return api_offer_to_json(offer);
  }
  nlohmann::ordered_json row;
  row["provider"] = offer.provider;
  row["product"] = std::string(to_string(offer.product));
  row["name"] = offer.name;
  row["gpu"] = offer.gpu;
  row["gpu_count"] = offer.gpu_count;
  row["gpu_memory_gb"] = optional_number(offer.gpu_memory_gb);
  row["vcpus"] = optional_number(offer.vcpus);
  row["ram_gb"] = optional_number(offer.ram_gb);
  row["region"] =
      offer.region.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(offer.region);
  row["price_per_hour"] = optional_number(offer.price_per_hour);
  row["spot_price_per_hour"] = optional_number(offer.spot_price_per_hour);
  row["monthly_price"] = optional_number(offer.monthly_price);
  row["always_on_price_per_hour"] = optional_number(offer.always_on_price_per_hour);
  row["billing_granularity_s"] = optional_number(offer.billing_granularity_s);
  row["billing_minimum_s"] = optional_number(offer.billing_minimum_s);
  row["cold_start_s"] = optional_number(offer.cold_start_s);
  row["cold_start_billed"] = offer.cold_start_billed
                                 ? nlohmann::ordered_json(*offer.cold_start_billed)
                                 : nlohmann::ordered_json(nullptr);
  row["idle_timeout_s"] = optional_number(offer.idle_timeout_s);
  row["interruptions_per_hour"] = optional_number(offer.interruptions_per_hour);
  append_offer_tail(offer, row);
  return row;
}

nlohmann::ordered_json offers_to_json(const std::vector<Offer>& offers) {
  auto array = nlohmann::ordered_json::array();
  for (const auto& offer : offers) {
    array.push_back(offer_to_json(offer));
  }
  return array;
}

} // namespace gpucost
