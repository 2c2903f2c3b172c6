#include <gpucost/model/price_row.hpp>
#include <gpucost/model/simulate/fleet.hpp>

#include <fmt/format.h>

namespace gpucost {

namespace {

// Why a serverless row cannot run under its worker cap, in the words every such row of the same
// provider and cap shares, so that compare groups them in one "left out" warning.
std::string over_cap(const ResolvedTraits& traits, const Workload& workload, int cap) {
  return fmt::format("the load needs more workers at once than the cap of {} ({}{})",
                     cap,
                     traits.max_workers_origin,
                     workload.max_workers ? "" : "; give --max-workers N if yours allows more");
}

} // namespace

Expected<PricedRow> price_row(const Offer& offer,
                              const ResolvedTraits& traits,
                              const RowPlan& plan,
                              const Workload& workload,
                              double job_seconds) {
  PricedRow row;
  row.option = traits.option;
  row.max_workers_origin = traits.max_workers_origin;
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
  // A serverless platform adds workers once one would be busy half the time (cost-model.md), up
  // to its cap; rows the cap cannot carry are left out, as rows that cannot be priced are.
  const bool serverless = offer.product == Product::serverless;
  const bool fleet =
      serverless && plan.mode == Mode::keep_alive && needs_fleet(model_option, model_workload);
  const std::optional<int> cap = serverless ? row.option.max_workers : std::nullopt;
  if (cap && *cap < 1) {
    return make_error(fmt::format("one worker's {} GPUs are more than the cap allows ({})",
                                  offer.gpu_count,
                                  traits.max_workers_origin));
  }
  if (fleet && cap) {
    if (const auto busy = fleet_busy_workers(model_workload); busy && *busy >= *cap) {
      return make_error(over_cap(traits, workload, *cap));
    }
  }
  GPUCOST_TRY_ASSIGN(auto estimate,
                     fleet ? estimate_fleet(model_option, model_workload)
                           : estimate_cost(model_mode, plan.pricing, model_option, model_workload));
  if (cap && plan.mode == Mode::always_on && estimate.workers && *estimate.workers > *cap) {
    return make_error(over_cap(traits, workload, *cap));
  }
  row.option.idle_timeout_s = model_option.idle_timeout_s;
  row.estimate = std::move(estimate);
  row.estimate.mode = plan.mode;
  if (plan.mode != Mode::always_on && !traits.cold_start_note.empty()) {
    row.estimate.notes.push_back(traits.cold_start_note);
  }
  if (plan.mode == Mode::keep_alive && !traits.timeout_note.empty()) {
    row.estimate.notes.push_back(traits.timeout_note);
  }
  if (fleet && cap) {
    row.estimate.notes.push_back(
        fmt::format("worker cap {}: {}{}",
                    *cap,
                    traits.max_workers_origin,
                    workload.max_workers ? "" : "; give --max-workers N if yours allows more"));
  } else if (fleet) {
    row.defaulted |= k_max_workers;
    row.estimate.notes.push_back(
        fmt::format("no worker cap known for {} serverless: the fleet is priced uncapped (give "
                    "--max-workers N)",
                    offer.provider));
  }
  if (plan.pricing == Pricing::spot && !offer.interruptions_per_hour
      && !workload.interruptions_per_hour) {
    row.estimate.notes.emplace_back(
        "interruption rate unknown: reruns are not priced (give --interruptions-per-hour)");
  }
  return row;
}
} // namespace gpucost
