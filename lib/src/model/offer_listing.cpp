#include <gpucost/model/offer_listing.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

namespace gpucost {

std::optional<double> listing_usd_per_hour(const Offer& offer) {
  if (offer.price_per_hour) {
    return offer.price_per_hour;
  }
  if (offer.spot_price_per_hour) {
    return offer.spot_price_per_hour;
  }
  if (offer.monthly_price) {
    return *offer.monthly_price / k_hours_per_month;
  }
  return offer.always_on_price_per_hour;
}

ListedOffers list_offers(const std::vector<Offer>& offers,
                         const GpuDatabase& gpus,
                         const OfferFilters& filters,
                         std::int64_t now_s,
                         std::size_t limit) {
  ListedOffers listed;
  std::map<std::string, std::size_t> unknown;
  for (const Offer& source : offers) {
    const GpuSpec* gpu = gpus.find(source.gpu);
    if (!offer_matches(source, gpu, filters)) {
      continue;
    }
    const auto price = listing_usd_per_hour(source);
    if (filters.max_price_per_hour && (!price || *price > *filters.max_price_per_hour)) {
      continue;
    }
    Offer offer = source;
    if (gpu != nullptr) {
      offer.gpu = gpu->name;
      if (!offer.gpu_memory_gb) {
        offer.gpu_memory_gb = gpu->memory_gb;
      }
    } else if (offer.product != Product::api) { // an api offer has no GPU to know
      ++unknown[offer.gpu];
    }
    listed.offers.push_back(std::move(offer));
  }
  // An offer without a price sorts after every priced one.
  const auto sort_price = [](const Offer& offer) {
    return listing_usd_per_hour(offer).value_or(std::numeric_limits<double>::infinity());
  };
  std::stable_sort(listed.offers.begin(), listed.offers.end(), [&](const Offer& a, const Offer& b) {
    return std::make_tuple(sort_price(a),
                           std::cref(a.provider),
                           std::cref(a.gpu),
                           a.gpu_count,
                           std::cref(a.region),
                           std::cref(a.name))
           < std::make_tuple(sort_price(b),
                             std::cref(b.provider),
                             std::cref(b.gpu),
                             b.gpu_count,
                             std::cref(b.region),
                             std::cref(b.name));
  });
  listed.matched = listed.offers.size();
  if (listed.offers.size() > limit) {
    listed.offers.resize(limit);
  }
  for (const auto& offer : listed.offers) {
    listed.ages.push_back(cache_age_s(offer.fetched_at, now_s));
  }
  for (const auto& [gpu, count] : unknown) {
    listed.warnings.push_back(fmt::format(
        "{} offer{} name GPU \"{}\", which data/gpus.json does not know: compare leaves {} out",
        count,
        count == 1 ? "" : "s",
        gpu,
        count == 1 ? "it" : "them"));
  }
  return listed;
}

} // namespace gpucost
