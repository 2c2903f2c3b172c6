#pragma once

#include <gpucost/model/filters.hpp>
#include <gpucost/model/gpu.hpp>
#include <gpucost/model/offer.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace gpucost {

// The hourly price an offer is listed by: on demand, else spot, else the monthly price over 730
// hours, else the always-on price; empty when the offer has none (never zero).
std::optional<double> listing_usd_per_hour(const Offer& offer);

// The offers of `gpucost offers`, filtered and sorted.
struct ListedOffers {
  std::vector<Offer> offers;               // GPU names canonical, memory filled from gpus.json
  std::vector<std::optional<double>> ages; // price age per offer, seconds; empty when unknown
  std::vector<std::string> warnings;       // offers whose GPU gpus.json does not know
  std::size_t matched = 0;                 // offers that passed the filters, before `limit`
};

// Lists the offers that pass `filters` (the max-price filter applies to the listing price, and
// an offer without any price never passes it), cheapest per hour first, offers without a price
// last, ties broken by provider, GPU, count, region and name; keeps the first `limit`. `now_s`
// gives price ages. Pure.
ListedOffers list_offers(const std::vector<Offer>& offers,
                         const GpuDatabase& gpus,
                         const OfferFilters& filters,
                         std::int64_t now_s,
                         std::size_t limit = std::numeric_limits<std::size_t>::max());

} // namespace gpucost
