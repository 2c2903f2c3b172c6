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

// What price_row prices a row with, up to the estimate: the row's option, the model's inputs,
// whether it is a fleet and the cap; fails as price_row does before it estimates.
struct RowSetup {
  PricedRow row;
  ModelWorkload model_workload;
  ModelOption model_option;
  Mode model_mode = Mode::per_job;
  bool fleet = false;
  std::optional<int> cap;
};

Expected<RowSetup> set_up_row(const Offer& offer,
                              const ResolvedTraits& traits,
                              const RowPlan& plan,
                              const Workload& workload,
                              double job_seconds) {
  RowSetup setup;
  PricedRow& row = setup.row;
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

  setup.model_workload = ModelWorkload{job_seconds,
                                       workload.jobs_per_month,
                                       workload.traffic,
                                       workload.max_utilization,
                                       workload.revenue_per_job};
  setup.model_option = row.option;
  setup.model_mode = plan.mode;
  if (plan.serverless_per_job) {
    setup.model_option.idle_timeout_s = 0;
    setup.model_mode = Mode::keep_alive;
  }
  // A serverless platform adds workers once one would be busy half the time (cost-model.md), up
  // to its cap; rows the cap cannot carry are left out, as rows that cannot be priced are.
  const bool serverless = offer.product == Product::serverless;
  setup.fleet = serverless && plan.mode == Mode::keep_alive
                && needs_fleet(setup.model_option, setup.model_workload);
  setup.cap = serverless ? row.option.max_workers : std::nullopt;
  const std::optional<int>& cap = setup.cap;
  if (cap && *cap < 1) {
    return make_error(fmt::format("one worker's {} GPUs are more than the cap allows ({})",
                                  offer.gpu_count,
                                  traits.max_workers_origin));
  }
  if (setup.fleet && cap) {
    if (const auto busy = fleet_busy_workers(setup.model_workload); busy && *busy >= *cap) {
      return make_error(over_cap(traits, workload, *cap));
    }
  }
  return setup;
}

} // namespace

std::optional<double> fleet_row_cost_floor(const Offer& offer,
                                           const ResolvedTraits& traits,
                                           const RowPlan& plan,
                                           const Workload& workload,
                                           double job_seconds) {
  if (offer.product != Product::serverless || plan.mode != Mode::keep_alive) {
    return std::nullopt; // not a fleet, without copying the row's traits to say so
  }
  const auto setup = set_up_row(offer, traits, plan, workload, job_seconds);
  if (!setup || !setup->fleet) {
    return std::nullopt;
  }
  return fleet_cost_floor(setup->model_option, setup->model_workload);
}

Expected<PricedRow> price_row(const Offer& offer,
                              const ResolvedTraits& traits,
                              const RowPlan& plan,
                              const Workload& workload,
                              double job_seconds) {
  GPUCOST_TRY_ASSIGN(RowSetup setup, set_up_row(offer, traits, plan, workload, job_seconds));
  PricedRow& row = setup.row;
  const ModelWorkload& model_workload = setup.model_workload;
  ModelOption& model_option = setup.model_option;
  const Mode model_mode = setup.model_mode;
  const bool fleet = setup.fleet;
  const std::optional<int>& cap = setup.cap;
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
  return std::move(row);
}

} // namespace gpucost
