#pragma once

#include <gpucost/model/offer.hpp>

#include <nlohmann/json.hpp>

#include <vector>

namespace gpucost {

// One offer as a catalog row (docs/catalog-format.md): every field in the documented order,
// null for an unknown (empty) value (region included), whole numbers written without a fraction,
// "notes" only when non-empty; "currency" is never written since Offer holds USD only. An api
// offer's row has its unit price and terms in place of the GPU and hourly fields.
nlohmann::ordered_json offer_to_json(const Offer& offer);

// The offers as a catalog "offers" array, in the given order.
nlohmann::ordered_json offers_to_json(const std::vector<Offer>& offers);

} // namespace gpucost
