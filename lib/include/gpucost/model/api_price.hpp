#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/price_row.hpp>
#include <gpucost/model/provider_info.hpp>
#include <gpucost/model/workload.hpp>
#include <gpucost/util/error.hpp>

#include <optional>

namespace gpucost {

// What one job comes to on an api offer before it is an Estimate (docs/cost-model.md "API
// offers"): the calls it takes and the units they are billed for.
struct ApiJob {
  double units = 0;                     // units of work one job is (the workload's units_per_job)
  double calls = 1;                     // ceil(units / max_units_per_call), 1 when no maximum
  double billed_units = 0;              // each call's units rounded up to unit_increment
  std::optional<double> jobs_per_month; // the most the rate limit carries; empty when unknown
};

// The calls and billed units of `units` units on `terms`: a job larger than max_units_per_call
// is split into full calls and one remainder call, each rounded up to unit_increment. Pure.
ApiJob api_job(const UnitPrice& terms, double units);

// Prices one job of `units` units on an api offer's `terms` (USD): each call is billed its
// rounded units times price_per_unit, and at least minimum_charge; the split puts price x units in
// execution and the rest in rounding, `egress_usd` in egress. A per-job, on-demand row: p_cold 0,
// no job time, no cold start, no idle. Fails when the terms have no price, or when
// `jobs_per_month` needs more calls a minute than rate_limit_per_minute allows. Pure.
Expected<Estimate> estimate_api_cost(const UnitPrice& terms,
                                     double units,
                                     const std::optional<double>& jobs_per_month,
                                     const std::optional<double>& revenue_per_job,
                                     double egress_usd);

// Prices an api offer's one row for `workload`, which must give the offer's unit: the estimate
// of estimate_api_cost with notes that say how it was priced (units, calls, minimum, rounding,
// rate limit) and the terms that are unknown named as defaulted (minimum_charge, unit_increment,
// rate_limit_per_minute; egress_per_gb when output_gb is given). `provider` may be nullptr.
// Fails as estimate_api_cost does, or when the workload does not give the unit. Pure.
Expected<PricedRow>
price_api_row(const Offer& offer, const ProviderInfo* provider, const Workload& workload);

} // namespace gpucost
