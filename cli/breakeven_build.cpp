#include "breakeven_build.hpp"

#include <fmt/format.h>

#include <set>
#include <tuple>

namespace gpucost::cli {

namespace {

ModelWorkload model_workload(const Workload& workload, double job_seconds) {
  return ModelWorkload{job_seconds,
                       workload.jobs_per_month,
                       workload.traffic,
                       workload.max_utilization,
                       workload.revenue_per_job};
}

} // namespace

std::optional<double>
monthly_cost(const BreakevenOption& option, const Workload& workload, double jobs_per_month) {
  if (option.curve.usd_per_job) {
    const bool carried =
        !option.curve.max_jobs_per_month || jobs_per_month <= *option.curve.max_jobs_per_month;
    return carried ? std::optional<double>(*option.curve.usd_per_job * jobs_per_month)
                   : std::nullopt;
  }
  ModelWorkload at = model_workload(workload, option.row.estimate.job_seconds);
  at.jobs_per_month = jobs_per_month;
  auto estimate = estimate_cost(option.curve.mode, option.curve.pricing, option.curve.option, at);
  if (!estimate || !estimate->monthly_cost) {
    return std::nullopt;
  }
  return estimate->monthly_cost;
}

BreakevenResult compute_breakeven(const PricedSet& set, int top, const CrossingSearch& search) {
  if (top < 2) {
    throw Error(fmt::format("--top: must be at least 2 to compare pairs (got {})", top));
  }
  BreakevenResult result;
  result.search = search;
  std::set<std::tuple<std::string, Product, Mode>> seen;
  for (const auto& row : set.result.options) {
    if (result.options.size() >= static_cast<std::size_t>(top)) {
      break;
    }
    if (!seen.emplace(row.offer.provider, row.offer.product, row.estimate.mode).second) {
      continue;
    }
    BreakevenOption option;
    option.label = option_label(row);
    option.row = row;
    // A per-job row scales out (one worker per job, as a platform adds workers): its cost per job
    // does not depend on the volume, so its monthly cost is a straight line (N* = M / c).
    option.curve = CostCurve{row.estimate.mode == Mode::per_job ? Mode::per_job : row.model_mode,
                             row.estimate.pricing,
                             row.option,
                             row.estimate.job_seconds,
                             std::nullopt,
                             std::nullopt};
    if (row.offer.product == Product::api) {
      // Price x units: the same cost a job at any volume, up to what the rate limit carries.
      option.curve.usd_per_job = row.estimate.cost_per_job;
      option.curve.max_jobs_per_month = row.estimate.capacity_jobs_per_month;
    }
    if (row.model_mode == Mode::always_on) {
      ModelWorkload at = model_workload(set.workload, row.estimate.job_seconds);
      at.jobs_per_month.reset();
      auto estimate = estimate_cost(Mode::always_on, row.estimate.pricing, row.option, at);
      if (estimate) {
        option.capacity_jobs_per_month = estimate->capacity_jobs_per_month;
        option.capacity_jobs_per_month_full = estimate->capacity_jobs_per_month_full;
      }
      if (set.workload.revenue_per_job && *set.workload.revenue_per_job > 0) {
        if (auto server = monthly_cost(option, set.workload, 1.0)) {
          option.pays_for_itself_jobs_per_month = *server / *set.workload.revenue_per_job;
        }
      }
    }
    result.options.push_back(std::move(option));
  }
  const ModelWorkload workload = model_workload(set.workload, 0);
  for (std::size_t a = 0; a < result.options.size(); ++a) {
    for (std::size_t b = a + 1; b < result.options.size(); ++b) {
      const auto& first = result.options[a];
      const auto& second = result.options[b];
      auto crossings = find_crossings(first.curve, second.curve, workload, search);
      if (!crossings) {
        result.warnings.push_back(
            fmt::format("{} against {}: {}", first.label, second.label, crossings.error().message));
        continue;
      }
      BreakevenPair pair;
      pair.a = a;
      pair.b = b;
      pair.crossings = crossings->points;
      const auto low_a = monthly_cost(first, set.workload, search.min_jobs_per_month);
      const auto low_b = monthly_cost(second, set.workload, search.min_jobs_per_month);
      if (low_a && low_b) {
        pair.cheaper_below = *low_a <= *low_b ? first.label : second.label;
      }
      if (!pair.crossings.empty()) {
        const CurveCrossing& crossing = pair.crossings.front();
        pair.jobs_per_month = crossing.jobs_per_month;
        pair.cheaper_above = crossing.first_cheaper_above ? first.label : second.label;
        pair.cheaper_below = crossing.first_cheaper_above ? second.label : first.label;
      }
      const BreakevenOption* server = first.capacity_jobs_per_month
                                          ? &first
                                          : (second.capacity_jobs_per_month ? &second : nullptr);
      if (server != nullptr) {
        pair.capacity_jobs_per_month = server->capacity_jobs_per_month;
        pair.capacity_jobs_per_month_full = server->capacity_jobs_per_month_full;
        const BreakevenOption& other = server == &first ? second : first;
        const auto server_month = monthly_cost(*server, set.workload, 1.0);
        if (pair.jobs_per_month && server_month) {
          const auto other_month = monthly_cost(other, set.workload, *pair.jobs_per_month);
          if (other_month && *other_month > 0) {
            auto dedicated = breakeven_dedicated(*server_month,
                                                 *other_month / *pair.jobs_per_month,
                                                 *server->capacity_jobs_per_month);
            if (dedicated) {
              pair.servers_needed = dedicated->servers;
              pair.second_server_jobs_per_month = dedicated->step_jobs_per_month;
            }
          }
        }
      }
      result.pairs.push_back(std::move(pair));
    }
  }
  return result;
}

} // namespace gpucost::cli
