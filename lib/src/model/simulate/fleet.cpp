#include <gpucost/model/simulate/arrivals.hpp>
#include <gpucost/model/simulate/engine.hpp>
#include <gpucost/model/simulate/fleet.hpp>
#include <gpucost/model/simulate/rng.hpp>
#include <gpucost/model/units.hpp>

#include <fmt/format.h>

#include <cmath>

namespace gpucost {

std::optional<double> one_worker_busy_share(const ModelOption& option,
                                            const ModelWorkload& workload) {
  if (!workload.jobs_per_month || workload.traffic != Traffic::poisson) {
    return std::nullopt;
  }
  const double lambda = *workload.jobs_per_month / k_seconds_per_month;
  const double rho = lambda * workload.job_seconds;
  const double stay = std::exp(-lambda * option.idle_timeout_s);
  const double p_cold = (1 - rho) * stay / (1 + lambda * option.cold_start_s * stay);
  return rho + lambda * std::max(0.0, p_cold) * option.cold_start_s;
}

bool needs_fleet(const ModelOption& option, const ModelWorkload& workload) {
  const auto busy = one_worker_busy_share(option, workload);
  return busy && *busy >= 0.5;
}

std::optional<double> fleet_busy_workers(const ModelWorkload& workload) {
  if (!workload.jobs_per_month || workload.traffic != Traffic::poisson) {
    return std::nullopt;
  }
  return *workload.jobs_per_month / k_seconds_per_month * workload.job_seconds;
}

namespace {

// The simulation estimate_fleet runs for the option, checked; fails as estimate_fleet does before
// it simulates.
struct FleetRun {
  SimConfig config;
  SimOption sim;
};

Expected<FleetRun> prepare_fleet(const ModelOption& option, const ModelWorkload& workload) {
  if (!workload.jobs_per_month || !(*workload.jobs_per_month > 0)) {
    return make_error("a fleet needs a volume (jobs_per_month)");
  }
  const double lambda = *workload.jobs_per_month / k_seconds_per_month;
  const std::optional<int> max_workers = option.max_workers;
  if (max_workers && lambda * workload.job_seconds >= *max_workers) {
    // The queue would grow without bound: there is no steady state to price.
    return make_error(
        fmt::format("the load needs more workers at once than the cap of {}", *max_workers));
  }
  FleetRun run;
  SimConfig& config = run.config;
  config.arrivals.rate_per_s = lambda;
  config.policy.kind = PolicyKind::keep_alive;
  config.caps.max_workers = max_workers;
  config.horizon_s = k_fleet_jobs / lambda;
  SimOption& sim = run.sim;
  sim.usd_per_hour = option.usd_per_hour;
  sim.always_on_usd_per_hour = option.usd_per_hour;
  sim.billing_granularity_s = option.granularity_s;
  sim.billing_minimum_s = option.minimum_s;
  sim.cold_start_s = option.cold_start_s;
  sim.cold_start_billed = option.cold_start_billed;
  sim.idle_timeout_s = option.idle_timeout_s;
  sim.job_seconds = workload.job_seconds;
  GPUCOST_TRY(validate_simulation(config, sim));
  return run;
}

} // namespace

std::optional<double> fleet_cost_floor(const ModelOption& option, const ModelWorkload& workload) {
  const auto run = prepare_fleet(option, workload);
  if (!run || (run->config.caps.max_workers && *run->config.caps.max_workers < 1)) {
    return std::nullopt;
  }
  // The only failure left is a run that completes no job. The first job arrives at an empty
  // fleet, which starts a worker at once (the cap is at least 1): it is done C + S later. Half
  // the horizon leaves room to spare.
  const double first =
      ArrivalStream(run->config.arrivals, sim_run_key(k_fleet_seed, 0)).peek().at_s;
  if (!(first + run->sim.cold_start_s + run->sim.job_seconds <= run->config.horizon_s / 2)) {
    return std::nullopt;
  }
  // Every completed job ran S seconds at the rate; cold starts, idle time and rounding only add.
  // The margin covers the rounding of the simulation's sums (relative 1e-15 a term).
  const double rate_s = run->sim.priced ? run->sim.usd_per_hour / 3600 : 0;
  return rate_s * run->sim.job_seconds * (1 - 1e-9) + option.egress_usd_per_job;
}

Expected<Estimate> estimate_fleet(const ModelOption& option, const ModelWorkload& workload) {
  GPUCOST_TRY_ASSIGN(const FleetRun run, prepare_fleet(option, workload));
  const SimConfig& config = run.config;
  const SimOption& sim = run.sim;
  const std::optional<int> max_workers = option.max_workers;
  const SimResult r = simulate_run(config, sim, sim_run_key(k_fleet_seed, 0));
  if (r.jobs_completed == 0) {
    return make_error("the fleet simulation completed no job");
  }
  const double jobs = static_cast<double>(r.jobs_completed);
  Estimate estimate;
  estimate.mode = Mode::keep_alive;
  estimate.pricing = Pricing::on_demand;
  estimate.job_seconds = workload.job_seconds;
  estimate.billed_seconds_per_job = r.billed_seconds / jobs;
  const double r_s = option.usd_per_hour / 3600;
  estimate.billed_seconds_before_rounding =
      estimate.billed_seconds_per_job - (r_s > 0 ? r.split_rounding / r_s : 0);
  estimate.split.execution = r.split_execution;
  estimate.split.cold_start = r.split_cold_start;
  estimate.split.idle = r.split_idle;
  estimate.split.rounding = r.split_rounding;
  estimate.split.egress = option.egress_usd_per_job;
  estimate.cost_per_job = r.cost_per_job + option.egress_usd_per_job;
  estimate.monthly_cost = estimate.cost_per_job * *workload.jobs_per_month;
  if (workload.revenue_per_job) {
    estimate.margin = 1 - estimate.cost_per_job / *workload.revenue_per_job;
  }
  estimate.p_cold = r.p_cold;
  estimate.utilization = r.utilization;
  estimate.mean_added_latency_s = r.wait_mean_s;
  estimate.mean_workers = r.mean_instances;
  estimate.peak_workers = r.peak_workers;
  std::string capped;
  if (max_workers) {
    capped = fmt::format(" (cap {})", *max_workers);
    if (r.delayed > 0) {
      capped += fmt::format(
          "; at the cap {} jobs ({:.1f}%) waited for a worker, mean wait {:.3g} s a job",
          r.delayed,
          100.0 * static_cast<double>(r.delayed) / static_cast<double>(r.jobs_started),
          r.wait_mean_s);
    }
  }
  estimate.notes.push_back(fmt::format(
      "priced as a fleet: the platform adds workers; simulated {:g} jobs (seed {}, FIFO, newest "
      "idle worker first): mean {:.2f} workers, peak {}{}",
      k_fleet_jobs,
      k_fleet_seed,
      r.mean_instances,
      r.peak_workers,
      capped));
  return estimate;
}

} // namespace gpucost
