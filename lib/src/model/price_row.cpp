#include <gpucost/model/price_row.hpp>
#include <gpucost/model/simulate/fleet.hpp>

namespace gpucost {

Expected<PricedRow> price_row(const Offer& offer,
                              const ResolvedTraits& traits,
                              const RowPlan& plan,
                              const Workload& workload,
                              double job_seconds) {
  PricedRow row;
  row.option = traits.option;
  row.option.usd_per_hour = plan.usd_per_hour;
  if (plan.pricing == Pricing::spot) {
    if (offer.interruptions_per_hour) {
      row.option.interruptions_per_hour = *offer.interruptions_per_hour;
    } else if (workload.interruptions_per_hour) {
      row.option.interruptions_per_hour = *workload.interruptions_per_hour;
    } else {
      row.defaulted |= k_interruptions;
    }
  }
  if (plan.mode != Mode::always_on) {
    row.defaulted |= traits.defaulted & (k_billing_traits | k_start_traits);
  }
  row.defaulted |= traits.defaulted & k_egress;

  const ModelWorkload model_workload{job_seconds,
                                     workload.jobs_per_month,
                                     workload.traffic,
                                     workload.max_utilization,
                                     workload.revenue_per_job};
  ModelOption model_option = row.option;
  Mode model_mode = plan.mode;
  if (plan.serverless_per_job) {
    model_option.idle_timeout_s = 0;
    model_mode = Mode::keep_alive;
  }
  // A serverless platform adds workers once one would be busy half the time (cost-model.md).
  const bool fleet = offer.product == Product::serverless && plan.mode == Mode::keep_alive
                     && needs_fleet(model_option, model_workload);
  auto estimate = fleet ? estimate_fleet(model_option, model_workload)
                        : estimate_cost(model_mode, plan.pricing, model_option, model_workload);
  if (!estimate) {
    return Unexpected{estimate.error()};
  }
  row.option.idle_timeout_s = model_option.idle_timeout_s;
  row.estimate = std::move(*estimate);
  row.estimate.mode = plan.mode;
  if (plan.mode != Mode::always_on && !traits.cold_start_note.empty()) {
    row.estimate.notes.push_back(traits.cold_start_note);
  }
  if (plan.mode == Mode::keep_alive && !traits.timeout_note.empty()) {
    row.estimate.notes.push_back(traits.timeout_note);
  }
  if (plan.pricing == Pricing::spot && !offer.interruptions_per_hour
      && !workload.interruptions_per_hour) {
    row.estimate.notes.emplace_back(
        "interruption rate unknown: reruns are not priced (give --interruptions-per-hour)");
  }
  return row;
}
} // namespace gpucost
