#include <gpucost/model/breakeven.hpp>
#include <gpucost/model/numeric.hpp>
#include <gpucost/model/units.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

namespace gpucost {

namespace {

constexpr double k_max_servers = 1e6;
constexpr int k_max_points_per_decade = 10000;
// Bisection stops when the bracket is this narrow, relative to its ends.
constexpr double k_bisection_tolerance = 1e-10;
// Two monthly costs closer than this, relative to the larger, count as equal.
constexpr double k_equal_cost_tolerance = 1e-12;

// The monthly cost of `curve` at `jobs_per_month`, or why it has none.
Expected<double>
monthly_cost_at(const CostCurve& curve, const ModelWorkload& workload, double jobs_per_month) {
  if (curve.usd_per_job) {
    if (curve.max_jobs_per_month && jobs_per_month > *curve.max_jobs_per_month) {
      return make_error(
          fmt::format("the rate limit carries at most {} jobs a month", *curve.max_jobs_per_month));
    }
    return *curve.usd_per_job * jobs_per_month;
  }
  ModelWorkload at = workload;
  at.jobs_per_month = jobs_per_month;
  if (curve.job_seconds) {
    at.job_seconds = *curve.job_seconds;
  }
  GPUCOST_TRY_ASSIGN(const auto estimate,
                     estimate_cost(curve.mode, curve.pricing, curve.option, at));
  return *estimate.monthly_cost;
}

// -1 when the first cost is lower, 1 when the second is, 0 when they are equal up to noise.
int compare_costs(double first, double second) {
  const double scale = std::max(std::abs(first), std::abs(second));
  if (std::abs(first - second) <= k_equal_cost_tolerance * scale) {
    return 0;
  }
  return first < second ? -1 : 1;
}

} // namespace

Expected<DedicatedBreakeven>
breakeven_dedicated(double monthly_usd, double cost_per_job, double capacity_jobs_per_month) {
  GPUCOST_TRY(require_positive("monthly_usd", monthly_usd));
  GPUCOST_TRY(require_positive("cost_per_job", cost_per_job));
  GPUCOST_TRY(require_positive("capacity_jobs_per_month", capacity_jobs_per_month));

  DedicatedBreakeven result;
  result.jobs_per_month = monthly_usd / cost_per_job;
  result.capacity_jobs_per_month = capacity_jobs_per_month;
  const double servers =
      std::max(1.0, tolerant_ceil(result.jobs_per_month / capacity_jobs_per_month));
  if (!(servers <= k_max_servers)) {
    return make_error(fmt::format("dedicated server at {} USD a month never breaks even against {} "
                                  "USD per job: it carries only {} jobs a month",
                                  monthly_usd,
                                  cost_per_job,
                                  capacity_jobs_per_month));
  }
  result.servers = static_cast<int>(servers);
  result.within_capacity = result.servers == 1;
  result.step_jobs_per_month = capacity_jobs_per_month;
  result.second_server_breakeven_jobs_per_month = 2 * result.jobs_per_month;
  result.dedicated_usd_per_job_at_capacity = monthly_usd / capacity_jobs_per_month;
  // k servers are cheaper on [k N*, k capacity], an empty range for every k once N* > capacity.
  result.dedicated_ever_cheaper = result.jobs_per_month < capacity_jobs_per_month;
  return result;
}

Expected<Crossings> find_crossings(const CostCurve& first,
                                   const CostCurve& second,
                                   const ModelWorkload& workload,
                                   const CrossingSearch& search) {
  GPUCOST_TRY(require_positive("min_jobs_per_month", search.min_jobs_per_month));
  GPUCOST_TRY(require_positive("max_jobs_per_month", search.max_jobs_per_month));
  if (search.max_jobs_per_month <= search.min_jobs_per_month
      || search.max_jobs_per_month > k_max_jobs_per_month) {
    return make_error(fmt::format("max_jobs_per_month must be above min_jobs_per_month ({}) and at "
                                  "most {} (got {})",
                                  search.min_jobs_per_month,
                                  k_max_jobs_per_month,
                                  search.max_jobs_per_month));
  }
  if (search.points_per_decade < 1 || search.points_per_decade > k_max_points_per_decade) {
    return make_error(fmt::format("points_per_decade must be between 1 and {} (got {})",
                                  k_max_points_per_decade,
                                  search.points_per_decade));
  }

  // Validation errors show at the smallest volume; later failures only mean "cannot carry this".
  const double lowest = search.min_jobs_per_month;
  GPUCOST_TRY_ASSIGN(const double first_lowest, monthly_cost_at(first, workload, lowest));
  GPUCOST_TRY_ASSIGN(const double second_lowest, monthly_cost_at(second, workload, lowest));

  const double span = search.max_jobs_per_month / lowest;
  const int step_count =
      std::max(1, static_cast<int>(std::ceil(search.points_per_decade * std::log10(span))));

  Crossings result;
  result.feasible_up_to_jobs_per_month = lowest;
  int last_sign = compare_costs(first_lowest, second_lowest);
  double last_nonzero_x = lowest;

  for (int i = 1; i <= step_count; ++i) {
    const double x = i == step_count ? search.max_jobs_per_month
                                     : lowest * std::pow(span, static_cast<double>(i) / step_count);
    auto first_cost = monthly_cost_at(first, workload, x);
    auto second_cost = monthly_cost_at(second, workload, x);
    if (!first_cost || !second_cost) {
      break;
    }
    result.feasible_up_to_jobs_per_month = x;
    const int sign = compare_costs(*first_cost, *second_cost);
    if (sign == 0) {
      continue;
    }
    if (last_sign != 0 && sign != last_sign) {
      // Bisect in log space; `hi` keeps the new sign, so it lies just past the crossing.
      double lo = last_nonzero_x;
      double hi = x;
      double first_hi = *first_cost;
      double second_hi = *second_cost;
      while (hi / lo - 1 > k_bisection_tolerance) {
        const double mid = std::sqrt(lo * hi);
        GPUCOST_TRY_ASSIGN(const double first_mid, monthly_cost_at(first, workload, mid));
        GPUCOST_TRY_ASSIGN(const double second_mid, monthly_cost_at(second, workload, mid));
        const int mid_sign = compare_costs(first_mid, second_mid);
        if (mid_sign == last_sign) {
          lo = mid;
        } else {
          hi = mid;
          first_hi = first_mid;
          second_hi = second_mid;
          if (mid_sign == 0) {
            break;
          }
        }
      }
      result.points.push_back(CurveCrossing{.jobs_per_month = hi,
                                            .first_monthly_usd = first_hi,
                                            .second_monthly_usd = second_hi,
                                            .first_cheaper_above = sign < 0});
    }
    last_sign = sign;
    last_nonzero_x = x;
  }
  return result;
}

Expected<IdleTimeoutChoice> best_idle_timeout(double usd_per_second,
                                              std::optional<double> jobs_per_second,
                                              double cold_start_usd,
                                              double user_timeout_s,
                                              double max_timeout_s) {
  GPUCOST_TRY(require_positive("usd_per_second", usd_per_second));
  if (jobs_per_second) {
    GPUCOST_TRY(require_positive("jobs_per_second", *jobs_per_second));
  }
  GPUCOST_TRY(require_non_negative("cold_start_usd", cold_start_usd));
  GPUCOST_TRY(require_non_negative("user_timeout_s", user_timeout_s));
  // An infinite largest timeout stands for an always-on worker.
  if (std::isnan(max_timeout_s) || max_timeout_s < 0) {
    return make_error(fmt::format("max_timeout_s must not be negative (got {})", max_timeout_s));
  }

  const double r = usd_per_second;
  const double k = cold_start_usd;
  IdleTimeoutChoice choice;
  if (!jobs_per_second) {
    // Ski rental: stay warm as long as a cold start would have cost.
    choice.ski_rental = true;
    choice.best_timeout_s = std::min(k / r, max_timeout_s);
    return choice;
  }

  const double lambda = *jobs_per_second;
  // f(T) = r (1 - e^(-λT)) / λ + K e^(-λT); f'(T) = e^(-λT) (r - λK) has one sign, so the best T
  // is 0 or the largest allowed. On a tie every T costs the same and 0 frees the worker.
  const auto idle_period_cost = [&](double timeout_s) {
    return r * -std::expm1(-lambda * timeout_s) / lambda + k * std::exp(-lambda * timeout_s);
  };
  choice.keep_warm = lambda * k > r;
  choice.best_timeout_s = choice.keep_warm ? max_timeout_s : 0;
  choice.usd_per_idle_period_at_user = idle_period_cost(user_timeout_s);
  choice.usd_per_idle_period_at_best = idle_period_cost(choice.best_timeout_s);
  return choice;
}

} // namespace gpucost
