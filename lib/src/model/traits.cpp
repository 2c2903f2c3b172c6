#include <gpucost/model/traits.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace gpucost {

namespace {

constexpr std::array<std::string_view, 10> k_trait_names = {"interruptions_per_hour",
                                                            "billing_granularity_s",
                                                            "billing_minimum_s",
                                                            "cold_start_s",
                                                            "cold_start_billed",
                                                            "egress_per_gb",
                                                            "max_workers",
                                                            "minimum_charge",
                                                            "unit_increment",
                                                            "rate_limit_per_minute"};

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

double pick(const OptionalNumber& from_offer,
            const std::optional<double>& from_provider,
            double fallback,
            DefaultedTrait trait,
            unsigned& defaulted) {
  return pick(std::optional<double>(from_offer), from_provider, fallback, trait, defaulted);
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
                              const Workload& workload,
                              const ColdStartDefault* cold_start_default) {
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
  const std::string_view product_name = to_string(offer.product);
  if (const auto cold_start = override_for(
          workload.cold_start_s, workload.cold_start_by_provider, offer.provider, offer.product)) {
    option.cold_start_s = *cold_start;
  } else {
    const double fallback = cold_start_default != nullptr ? cold_start_default->cold_start_s : 0.0;
    option.cold_start_s =
        pick(offer.cold_start_s, traits.cold_start_s, fallback, k_cold_start, resolved.defaulted);
    if ((resolved.defaulted & k_cold_start) != 0) {
      resolved.cold_start_note =
          cold_start_default != nullptr
              ? fmt::format("start-up unknown for {} {}: the {} default {} s is used ({}; give "
                            "--cold-start {}/{}=S)",
                            offer.provider,
                            product_name,
                            product_name,
                            cold_start_default->cold_start_s,
                            cold_start_default->source,
                            offer.provider,
                            product_name)
              : fmt::format("start-up unknown for {} {} and no {} default: 0 s is used (give "
                            "--cold-start {}/{}=S)",
                            offer.provider,
                            product_name,
                            product_name,
                            offer.provider,
                            product_name);
    }
  }
  option.cold_start_billed = pick(offer.cold_start_billed,
                                  traits.cold_start_billed,
                                  true,
                                  k_cold_start_billed,
                                  resolved.defaulted);
  if (const auto timeout = override_for(workload.idle_timeout_s,
                                        workload.idle_timeout_by_provider,
                                        offer.provider,
                                        offer.product)) {
    option.idle_timeout_s = *timeout;
    resolved.timeout_known = true;
    if (traits.idle_timeout_range_s) {
      const auto [low, high] = *traits.idle_timeout_range_s;
      const double clamped = std::clamp(*timeout, low, high);
      if (clamped != *timeout) {
        option.idle_timeout_s = clamped;
        const std::string_view name = info != nullptr && !info->display_name.empty()
                                          ? std::string_view(info->display_name)
                                          : std::string_view(offer.provider);
        resolved.timeout_note = fmt::format(
            "idle timeout {} s is outside the {} s to {} s {} {} sells: clamped to {} s",
            *timeout,
            low,
            high,
            name,
            product_name,
            clamped);
      }
    }
  } else if (offer.idle_timeout_s || traits.idle_timeout_s) {
    option.idle_timeout_s = offer.idle_timeout_s ? *offer.idle_timeout_s : *traits.idle_timeout_s;
    resolved.timeout_known = true;
    if (!offer.idle_timeout_s) {
      resolved.timeout_note = fmt::format(
          "idle timeout {} s is {} {}'s own keep-alive (data/providers.json), not one you set{}",
          option.idle_timeout_s,
          info != nullptr && !info->display_name.empty() ? info->display_name : offer.provider,
          product_name,
          traits.idle_timeout_range_s
              ? fmt::format(" (allowed: {} s to {} s; give --idle-timeout {}/{}=S)",
                            traits.idle_timeout_range_s->first,
                            traits.idle_timeout_range_s->second,
                            offer.provider,
                            product_name)
              : std::string());
    }
  }
  if (workload.output_gb) {
    const std::optional<double> provider_egress =
        info != nullptr ? info->egress_per_gb : std::optional<double>{};
    const double per_gb =
        pick(offer.egress_per_gb, provider_egress, 0.0, k_egress, resolved.defaulted);
    option.egress_usd_per_job = *workload.output_gb * per_gb;
  }
  option.slots = std::max(1, offer.gpu_count / std::max(1, workload.gpus_per_job));
  if (offer.product == Product::serverless) {
    // The user's figure replaces the provider's: the documented one is a default that an
    // endpoint's settings or a plan change raise (docs/cost-model.md, "Fleets").
    if (workload.max_workers) {
      option.max_workers = workload.max_workers;
      resolved.max_workers_origin = "from --max-workers";
    } else if (traits.max_workers) {
      const WorkerCap& cap = *traits.max_workers;
      const std::string_view name = info != nullptr && !info->display_name.empty()
                                        ? std::string_view(info->display_name)
                                        : std::string_view(offer.provider);
      if (cap.gpus) {
        // A GPU limit holds floor(G / GPUs a worker) workers; 0 when one worker needs more.
        const int per_worker = std::max(1, offer.gpu_count);
        option.max_workers = *cap.gpus / per_worker;
        resolved.max_workers_origin =
            fmt::format("{}'s default of {} GPUs at once {}, {} GPU{} a worker, {}, as of {}",
                        name,
                        *cap.gpus,
                        cap.scope,
                        per_worker,
                        per_worker == 1 ? "" : "s",
                        cap.source,
                        cap.as_of);
      } else {
        option.max_workers = cap.workers;
        resolved.max_workers_origin =
            fmt::format("{}'s default {}, {}, as of {}", name, cap.scope, cap.source, cap.as_of);
      }
    } else {
      resolved.defaulted |= k_max_workers;
    }
  }
  return resolved;
}
} // namespace gpucost
