#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/provider_info.hpp>
#include <gpucost/model/workload.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// The traits gpucost may fill in from built-in defaults, as bits of a mask, in the order a row
// lists them.
enum DefaultedTrait : unsigned {
  k_interruptions = 1U << 0,
  k_granularity = 1U << 1,
  k_minimum = 1U << 2,
  k_cold_start = 1U << 3,
  k_cold_start_billed = 1U << 4,
  k_egress = 1U << 5,
  k_max_workers = 1U << 6,    // a serverless product with no documented worker cap: uncapped
  k_minimum_charge = 1U << 7, // an api offer with no published minimum: none
  k_unit_increment = 1U << 8, // an api offer with no published rounding: exact units
  k_rate_limit = 1U << 9,     // an api offer with no published rate limit: unlimited
};

// The traits that matter to rows billed per session (per-job, keep-alive).
inline constexpr unsigned k_billing_traits = k_granularity | k_minimum;

// The start-up traits, C and C_billed.
inline constexpr unsigned k_start_traits = k_cold_start | k_cold_start_billed;

// The names of the traits in a DefaultedTrait mask, as JSON and notes spell them.
std::vector<std::string> trait_names(unsigned mask);

// An offer's billing, start-up and keep-alive traits after precedence: the offer, then
// providers.json, then the built-in defaults; the workload's overrides (from flags or the
// workload file) beat all. `defaulted` says which came from built-in defaults.
struct ResolvedTraits {
  ModelOption option;          // usd_per_hour is left 0: the row plan sets the rate
  unsigned defaulted = 0;      // DefaultedTrait bits
  bool timeout_known = false;  // T came from the workload, the offer or providers.json
  std::string cold_start_note; // where a defaulted start-up came from; empty when not defaulted
  std::string timeout_note;    // a keep-alive timeout clamped to what the provider sells
  // Serverless: where option.max_workers comes from, in words ("from --max-workers", or the
  // provider's documented default with its source and date); empty when there is no cap.
  std::string max_workers_origin;
};

// Resolves `offer`'s traits; `product` and `provider` are its providers.json entries, nullptr when
// the provider or product is not described there; `cold_start_default` the product class's
// start-up default (providers.json cold_start_defaults), used when no start-up is known. A
// workload timeout outside the product's idle_timeout_range_s is clamped into it, with a note.
// A serverless product's worker cap is the workload's max_workers, else the documented
// max_workers default, else none (and k_max_workers is set). Pure.
ResolvedTraits resolve_traits(const Offer& offer,
                              const ProductTraits* product,
                              const ProviderInfo* provider,
                              const Workload& workload,
                              const ColdStartDefault* cold_start_default = nullptr);

} // namespace gpucost
