#pragma once

// Break-even volumes between the cheapest option of each provider, product and mode, as
// `breakeven` and `report` compute them (cost-model.md "Break-even").

#include "decision_inputs.hpp"

#include <gpucost/model/breakeven.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gpucost::cli {

// One compared option and its monthly-cost curve.
struct BreakevenOption {
  std::string label;
  RankedOption row;
  CostCurve curve;
  std::optional<double> capacity_jobs_per_month;        // always-on: one worker at u_max
  std::optional<double> capacity_jobs_per_month_full;   // always-on: one worker at 100%
  std::optional<double> pays_for_itself_jobs_per_month; // always-on with revenue: M / revenue
};

// One pair: where their monthly costs cross and which is cheaper on each side.
struct BreakevenPair {
  std::size_t a = 0; // index into BreakevenResult::options
  std::size_t b = 0;
  std::vector<CurveCrossing> crossings; // in increasing volume
  std::optional<double> jobs_per_month; // the first crossing; empty: they never cross
  std::string cheaper_below;            // label cheaper below it (at the smallest volume)
  std::string cheaper_above;            // label cheaper above it (empty without a crossing)
  std::optional<double> capacity_jobs_per_month;      // the always-on side's, at u_max
  std::optional<double> capacity_jobs_per_month_full; // at 100%
  std::optional<int> servers_needed;                  // always-on workers to carry the crossing
  std::optional<double> second_server_jobs_per_month; // past this volume one more is needed
};

// Every pair among the options, with the volume range searched.
struct BreakevenResult {
  std::vector<BreakevenOption> options;
  std::vector<BreakevenPair> pairs;
  CrossingSearch search;
  std::vector<std::string> warnings;
};

// The cheapest row of each provider, product and mode (at most `top`), every pair's crossings;
// throws Error on bad input.
BreakevenResult compute_breakeven(const PricedSet& set, int top, const CrossingSearch& search);

// One option's monthly cost at `jobs_per_month`; empty when it cannot carry that volume.
std::optional<double>
monthly_cost(const BreakevenOption& option, const Workload& workload, double jobs_per_month);

} // namespace gpucost::cli
