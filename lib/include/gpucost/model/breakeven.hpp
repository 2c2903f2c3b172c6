#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/util/error.hpp>

#include <optional>
#include <vector>

namespace gpucost {

// Where a dedicated server at a monthly price stops costing more than an option priced per job.
struct DedicatedBreakeven {
  double jobs_per_month = 0;          // N* = M / c: one server costs what the option costs
  double capacity_jobs_per_month = 0; // jobs one server carries a month (as given)
  bool within_capacity = true;        // N* <= capacity: the break-even holds with one server
  int servers = 1;                    // servers needed to carry N*: ceil(N* / capacity), >= 1
  double step_jobs_per_month = 0;     // past this volume (the capacity) one more server is needed
  double second_server_breakeven_jobs_per_month = 0; // 2 M / c: where two servers break even
  double dedicated_usd_per_job_at_capacity = 0; // M / capacity: the cheapest a server gets per job
  bool dedicated_ever_cheaper = true; // false when even a full server costs more per job than c
};

// Break-even volume of a dedicated server at monthly_usd against an option costing cost_per_job
// USD, with the step where one server's capacity runs out; fails naming a non-positive input, or
// when carrying N* would take more than a million servers.
Expected<DedicatedBreakeven>
breakeven_dedicated(double monthly_usd, double cost_per_job, double capacity_jobs_per_month);

// One option in one mode and pricing: a curve of monthly cost over jobs_per_month.
struct CostCurve {
  Mode mode = Mode::per_job;
  Pricing pricing = Pricing::on_demand;
  ModelOption option;
  std::optional<double> job_seconds; // S on this option's GPU; empty: the workload's
  // An api row: the same USD a job at every volume (price x units, docs/cost-model.md "API
  // offers"), so its monthly cost is this times the jobs; empty for GPU rows.
  std::optional<double> usd_per_job;
  // An api row: the most jobs a month its rate limit carries; past it there is no cost.
  std::optional<double> max_jobs_per_month;
};

// Where two monthly-cost curves meet, or (at an always-on step) jump past each other.
struct CurveCrossing {
  double jobs_per_month = 0;        // volume of the crossing, to a relative 1e-9
  double first_monthly_usd = 0;     // the first curve's monthly cost just above the crossing
  double second_monthly_usd = 0;    // the second curve's monthly cost just above the crossing
  bool first_cheaper_above = false; // whether the first curve is the cheaper one past it
};

// The range and resolution of a crossing search: a log grid of jobs_per_month.
struct CrossingSearch {
  double min_jobs_per_month = 1;   // lowest volume searched, > 0
  double max_jobs_per_month = 1e7; // highest volume searched, at most 1e9
  // Grid points per decade, 1 to 10000: two crossings closer than one step may be missed.
  int points_per_decade = 50;
};

// All crossings found, in increasing volume, and how far both curves were feasible.
struct Crossings {
  std::vector<CurveCrossing> points;
  double feasible_up_to_jobs_per_month = 0; // the last grid volume where both curves had a cost
};

// Crossings of two options' monthly-cost curves (estimate_cost at each volume, the rest of
// `workload` fixed), found by bisection between sign changes on a log grid; a volume one option
// cannot carry (a keep-alive worker busier than 100%) ends the search; fails when either curve
// has no cost at the smallest volume, or when the search range is invalid.
Expected<Crossings> find_crossings(const CostCurve& first,
                                   const CostCurve& second,
                                   const ModelWorkload& workload,
                                   const CrossingSearch& search = {});

// The idle timeout that minimises the expected cost of one idle period (cost-model.md, "Choosing
// the idle timeout").
struct IdleTimeoutChoice {
  double best_timeout_s = 0; // with λ: max_timeout_s (keep warm) or 0; without: K / r, capped
  bool keep_warm = false;    // with λ: 1/λ < K/r, so the largest timeout is best
  bool ski_rental = false;   // λ unknown: K / r, within 2x of the best whatever the arrivals
  std::optional<double> usd_per_idle_period_at_user; // f(T_user); empty without λ
  std::optional<double> usd_per_idle_period_at_best; // f(best); empty without λ
};

// Chooses the idle timeout for a worker billed usd_per_second while up, with Poisson arrivals at
// jobs_per_second (empty when unknown), a cold start priced cold_start_usd, the user's timeout and
// the largest the provider allows (may be infinite: an always-on worker); fails naming a bad input.
Expected<IdleTimeoutChoice> best_idle_timeout(double usd_per_second,
                                              std::optional<double> jobs_per_second,
                                              double cold_start_usd,
                                              double user_timeout_s,
                                              double max_timeout_s);

} // namespace gpucost
