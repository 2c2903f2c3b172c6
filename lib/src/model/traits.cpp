#include <gpucost/model/traits.hpp>

#include <algorithm>

namespace gpucost {

namespace {

constexpr std::array<std::string_view, 6> k_trait_names = {"interruptions_per_hour",
                                                           "billing_granularity_s",
                                                           "billing_minimum_s",
                                                           "cold_start_s",
                                                           "cold_start_billed",
                                                           "egress_per_gb"};

template<typename T>
T pick(const std::optional<T>& from_offer,
       const std::optional<T>& from_provider,
       T fallback,
       DefaultedTrait trait,
       unsigned& defaulted) {
  if (from_offer) {
    return *from_offer;
  }
  if (from_provider) {
    return *from_provider;
  }
  defaulted |= trait;
  return fallback;
}

} // namespace

std::vector<std::string> trait_names(unsigned mask) {
  std::vector<std::string> names;
  for (std::size_t bit = 0; bit < k_trait_names.size(); ++bit) {
    if ((mask & (1U << bit)) != 0) {
      names.emplace_back(k_trait_names[bit]);
    }
  }
  return names;
}

ResolvedTraits resolve_traits(const Offer& offer,
                              const ProductTraits* found,
                              const ProviderInfo* info,
                              const Workload& workload) {
  const ProductTraits none;
  const ProductTraits& traits = found != nullptr ? *found : none;

  ResolvedTraits resolved;
  ModelOption& option = resolved.option;
  option.granularity_s = pick(offer.billing_granularity_s,
                              traits.billing_granularity_s,
                              1.0,
                              k_granularity,
                              resolved.defaulted);
  option.minimum_s =
      pick(offer.billing_minimum_s, traits.billing_minimum_s, 0.0, k_minimum, resolved.defaulted);
  if (workload.cold_start_s) {
    option.cold_start_s = *workload.cold_start_s;
  } else {
    option.cold_start_s =
        pick(offer.cold_start_s, traits.cold_start_s, 0.0, k_cold_start, resolved.defaulted);
  }
  option.cold_start_billed = pick(offer.cold_start_billed,
                                  traits.cold_start_billed,
                                  true,
                                  k_cold_start_billed,
                                  resolved.defaulted);
  if (workload.idle_timeout_s) {
    option.idle_timeout_s = *workload.idle_timeout_s;
    resolved.timeout_known = true;
  } else if (offer.idle_timeout_s || traits.idle_timeout_s) {
    option.idle_timeout_s = offer.idle_timeout_s ? *offer.idle_timeout_s : *traits.idle_timeout_s;
    resolved.timeout_known = true;
  }
  if (workload.output_gb) {
    const std::optional<double> provider_egress =
        info != nullptr ? info->egress_per_gb : std::optional<double>{};
    const double per_gb =
        pick(offer.egress_per_gb, provider_egress, 0.0, k_egress, resolved.defaulted);
    option.egress_usd_per_job = *workload.output_gb * per_gb;
  }
  option.slots = std::max(1, offer.gpu_count / std::max(1, workload.gpus_per_job));
  return resolved;
}
} // namespace gpucost
