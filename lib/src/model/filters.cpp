#include <gpucost/model/filters.hpp>
#include <gpucost/util/strings.hpp>

#include <algorithm>

namespace gpucost {

namespace {

template<typename T> bool allowed(const std::vector<T>& list, const T& value) {
  return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
}

} // namespace

bool offer_matches(const Offer& offer, const GpuSpec* spec, const OfferFilters& filters) {
  if (!allowed(filters.providers, offer.provider) || !allowed(filters.products, offer.product)) {
    return false;
  }
  if (!filters.gpus.empty()) {
    const std::string& name = spec != nullptr ? spec->name : offer.gpu;
    if (!allowed(filters.gpus, name)) {
      return false;
    }
  }
  if (!filters.regions.empty()
      && std::none_of(filters.regions.begin(), filters.regions.end(), [&](const auto& region) {
           return starts_with_ignoring_case(offer.region, region);
         })) {
    return false;
  }
  if (filters.min_vram_gb) {
    std::optional<double> memory = offer.gpu_memory_gb;
    if (!memory && spec != nullptr) {
      memory = spec->memory_gb;
    }
    if (!memory || *memory < *filters.min_vram_gb) {
      return false;
    }
  }
  return true;
}

bool offer_matches(const Offer& offer, const GpuDatabase& gpus, const OfferFilters& filters) {
  return offer_matches(offer, gpus.find(offer.gpu), filters);
}

bool row_matches(Mode mode, Pricing pricing, double usd_per_hour, const OfferFilters& filters) {
  return (!filters.mode || *filters.mode == mode)
         && (!filters.pricing || *filters.pricing == pricing)
         && (!filters.max_price_per_hour || usd_per_hour <= *filters.max_price_per_hour);
}

} // namespace gpucost
