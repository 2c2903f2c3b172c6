#pragma once

// The discrete-event simulator: one replication of a workload on one option under a policy.
// Pure and single-threaded; the replication runner lives in the CLI.

#include <gpucost/model/simulate/arrivals.hpp>
#include <gpucost/model/simulate/distribution.hpp>
#include <gpucost/model/simulate/policy.hpp>
#include <gpucost/util/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpucost {

// One option's resolved traits, the simulator's only view of the catalog. Seconds and USD.
struct SimOption {
  bool priced = true;                // false: the queue alone, cost fields are null
  double usd_per_hour = 0;           // a per-session worker's rate
  double always_on_usd_per_hour = 0; // an always-on worker's rate (fixed-pool, hybrid)
  double billing_granularity_s = 1;  // a session is rounded up to a multiple of this
  double billing_minimum_s = 0;      // and billed at least this long
  double cold_start_s = 0;           // default start-up time of a new worker
  bool cold_start_billed = true;     // whether start-up is billed
  double idle_timeout_s = 0;         // default keep-alive after a worker's last job
  std::optional<int> max_workers;    // the provider's limit, if any
  double job_seconds = 0;            // default service time (fixed), the job on this GPU
};

// Everything one simulation needs besides the option.
struct SimConfig {
  ArrivalSpec arrivals;
  std::optional<SimDistribution> service;      // default: fixed at the option's job_seconds
  std::optional<SimDistribution> cold_start;   // default: fixed at the option's cold_start_s
  std::optional<SimDistribution> cold_service; // a cold job's whole service time (SimFaaS)
  SimPolicy policy;
  SimCaps caps;
  double horizon_s = 30 * 86400.0;
  bool timeline = false; // record one TimelineMinute a simulated minute
};

// The state at one minute boundary and the peaks within the minute before it.
struct TimelineMinute {
  double t_s = 0;                     // end of the minute
  int workers = 0;                    // alive at t_s (starting, idle, busy, always-on)
  int peak_workers = 0;               // the most alive during the minute
  int busy = 0;                       // running a job at t_s
  std::int64_t queue = 0;             // waiting at t_s
  double spend_usd_per_hour = 0;      // rate of the workers alive at t_s
  double peak_spend_usd_per_hour = 0; // the highest rate during the minute
};

// What one replication measured. Costs are USD; per-job figures divide by completed jobs.
struct SimResult {
  std::uint64_t jobs_arrived = 0;
  std::uint64_t jobs_started = 0;
  std::uint64_t jobs_completed = 0;
  std::uint64_t rejected = 0; // by queue none at the cap, or by the budget
  std::uint64_t delayed = 0;  // started late because a cap held the fleet
  std::uint64_t cold_jobs = 0;
  double total_cost = 0;
  double cost_per_job = 0;
  double split_execution = 0; // per job, USD
  double split_cold_start = 0;
  double split_idle = 0;
  double split_rounding = 0;
  double split_always_on = 0;
  double billed_seconds = 0;    // every charged second, always-on time included
  double execution_seconds = 0; // service seconds run (cold starts excluded)
  double utilization = 0;       // execution_seconds / billed_seconds
  double p_cold = 0;            // share of started jobs that waited for a worker to start
  double wait_mean_s = 0;
  double wait_p50_s = 0;
  double wait_p95_s = 0;
  double wait_p99_s = 0;
  double latency_mean_s = 0;
  double latency_p50_s = 0;
  double latency_p95_s = 0;
  double latency_p99_s = 0;
  double mean_instances = 0; // time-average of alive workers
  double mean_busy = 0;      // time-average of busy workers
  double mean_queue = 0;
  int peak_workers = 0;
  std::int64_t max_queue = 0;
  double hours_at_spend_cap = 0;        // hours the hourly cap held the fleet at its limit
  double hours_over_budget = 0;         // hours the monthly budget was spent
  std::uint64_t events = 0;             // events processed
  std::vector<TimelineMinute> timeline; // when asked for
};

// Checks the configuration for `option`: a zero horizon, bad rates, a missing service time, an
// unfittable distribution; the message names the flag.
Status validate_simulation(const SimConfig& config, const SimOption& option);

// Runs one replication under `key` (see sim_run_key). The configuration must have passed
// validate_simulation. Pure, deterministic in its inputs.
SimResult simulate_run(const SimConfig& config, const SimOption& option, std::uint64_t key);

// One named figure of a result: the value, or empty when it does not apply (costs of an unpriced
// run). The names are the JSON names (p_cold, mean_instances, cost_per_job, wait_p95, ...).
struct SimMetric {
  std::string_view name;
  std::optional<double> value;
};

// The figures of `result` in output order.
std::vector<SimMetric> sim_metrics(const SimResult& result, bool priced);

// A figure over replications: the mean and its 95% interval (Student t); no interval with one run.
struct SimSummaryMetric {
  std::string name;
  std::optional<double> mean;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
};

// The mean and 95% interval of every figure over `runs` (in run order, so the result does not
// depend on which thread ran which run).
std::vector<SimSummaryMetric> summarize_runs(const std::vector<SimResult>& runs, bool priced);

} // namespace gpucost
