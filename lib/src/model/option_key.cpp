#include <gpucost/model/option_key.hpp>

#include <fmt/format.h>

namespace gpucost {

bool has_stable_instance_names(const ProviderInfo* provider) {
  return provider == nullptr || provider->tier != "marketplace";
}

std::string
option_key(const Offer& offer, Mode mode, Pricing pricing, const ProviderInfo* provider) {
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
