#include <gpucost/model/option_key.hpp>

#include <fmt/format.h>

namespace gpucost {

bool has_stable_instance_names(const ProviderInfo* provider) {
  return provider == nullptr || provider->tier != "marketplace";
}

std::string
option_key(const Offer& offer, Mode mode, Pricing pricing, const ProviderInfo* provider) {
  if (offer.product == Product::api) {
    // No GPU: the unit stands in its place, and the name (the model or endpoint) is always kept.
    std::string key = fmt::format("{}/api/{}/{}/{}/{}",
                                  offer.provider,
                                  offer.per_unit.unit ? to_string(*offer.per_unit.unit) : "-",
                                  offer.region.empty() ? std::string("-") : offer.region,
                                  to_string(mode),
                                  to_string(pricing));
    if (!offer.name.empty()) {
      key += '/';
      key += offer.name;
    }
    return key;
  }
  const bool with_name =
      has_stable_instance_names(provider) && offer.product != Product::serverless;
  std::string key = fmt::format("{}/{}/{}x{}/{}/{}/{}",
                                offer.provider,
                                to_string(offer.product),
                                offer.gpu,
                                offer.gpu_count,
                                offer.region.empty() ? std::string("-") : offer.region,
                                to_string(mode),
                                to_string(pricing));
  if (with_name && !offer.name.empty()) {
    key += '/';
    key += offer.name;
  }
  return key;
}

} // namespace gpucost
