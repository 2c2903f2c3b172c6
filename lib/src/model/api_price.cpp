#include <gpucost/model/api_price.hpp>
#include <gpucost/model/traits.hpp>
#include <gpucost/model/units.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gpucost {

namespace {

// `units` rounded up to a multiple of `increment` (no rounding when unknown).
double round_up_units(double units, const std::optional<double>& increment) {
  if (!increment) {
    return units;
  }
  // A quotient within a part in 1e9 of a whole number is that number (0.3 / 0.1 is 2.9999...).
  const double steps = units / *increment;
  const double nearest = std::round(steps);
  const double whole =
      std::fabs(steps - nearest) <= 1e-9 * std::max(1.0, nearest) ? nearest : std::ceil(steps);
  return whole * *increment;
}

// What one call of `units` costs: its rounded units at the price, and at least the minimum.
double call_cost(const UnitPrice& terms, double units) {
  const double billed = round_up_units(units, terms.unit_increment) * *terms.price_per_unit;
  return std::max(billed, terms.minimum_charge.value_or(0.0));
}

} // namespace

ApiJob api_job(const UnitPrice& terms, double units) {
  ApiJob job;
  job.units = units;
  if (terms.max_units_per_call && units > *terms.max_units_per_call) {
    const double full = std::floor(units / *terms.max_units_per_call);
    const double rest = units - full * *terms.max_units_per_call;
    job.calls = full + (rest > 0 ? 1 : 0);
    job.billed_units = full * round_up_units(*terms.max_units_per_call, terms.unit_increment)
                       + (rest > 0 ? round_up_units(rest, terms.unit_increment) : 0.0);
  } else {
    job.billed_units = round_up_units(units, terms.unit_increment);
  }
  if (terms.rate_limit_per_minute) {
    job.jobs_per_month = *terms.rate_limit_per_minute * 60 * k_hours_per_month / job.calls;
  }
  return job;
}

Expected<Estimate> estimate_api_cost(const UnitPrice& terms,
                                     double units,
                                     const std::optional<double>& jobs_per_month,
                                     const std::optional<double>& revenue_per_job,
                                     double egress_usd) {
  if (!terms.price_per_unit || !terms.unit) {
    return make_error("the api offer has no unit price");
  }
  const ApiJob job = api_job(terms, units);
  if (job.jobs_per_month && jobs_per_month && *jobs_per_month > *job.jobs_per_month) {
    return make_error(fmt::format(
        "the volume needs more calls than the rate limit of {} a minute allows (at most {} jobs a "
        "month at {} call{} a job)",
        *terms.rate_limit_per_minute,
        std::floor(*job.jobs_per_month),
        job.calls,
        job.calls == 1 ? "" : "s"));
  }
  double cost = 0;
  if (terms.max_units_per_call && units > *terms.max_units_per_call) {
    const double full = std::floor(units / *terms.max_units_per_call);
    const double rest = units - full * *terms.max_units_per_call;
    cost = full * call_cost(terms, *terms.max_units_per_call)
           + (rest > 0 ? call_cost(terms, rest) : 0.0);
  } else {
    cost = call_cost(terms, units);
  }
  Estimate estimate;
  estimate.mode = Mode::per_job;
  estimate.pricing = Pricing::on_demand;
  estimate.split.execution = units * *terms.price_per_unit;
  estimate.split.rounding = std::max(0.0, cost - estimate.split.execution);
  estimate.split.egress = egress_usd;
  estimate.cost_per_job = estimate.split.execution + estimate.split.rounding + egress_usd;
  estimate.p_cold = 0;
  if (jobs_per_month) {
    estimate.monthly_cost = estimate.cost_per_job * *jobs_per_month;
  }
  if (job.jobs_per_month) {
    estimate.capacity_jobs_per_month = std::floor(*job.jobs_per_month);
  }
  if (revenue_per_job) {
    estimate.margin = 1 - estimate.cost_per_job / *revenue_per_job;
  }
  return estimate;
}

Expected<PricedRow>
price_api_row(const Offer& offer, const ProviderInfo* provider, const Workload& workload) {
  const UnitPrice& terms = offer.per_unit;
  if (!terms.unit || !terms.price_per_unit) {
    return make_error("the api offer has no unit price");
  }
  const auto given = workload.units_per_job.find(*terms.unit);
  if (given == workload.units_per_job.end()) {
    return make_error(fmt::format("the workload does not say how many {} units a job is",
                                  to_string(*terms.unit)));
  }
  const double units = given->second;
  PricedRow row;
  double egress_usd = 0;
  if (workload.output_gb) {
    std::optional<double> per_gb = offer.egress_per_gb;
    if (!per_gb && provider != nullptr) {
      per_gb = provider->egress_per_gb;
    }
    if (per_gb) {
      egress_usd = *workload.output_gb * *per_gb;
    } else {
      row.defaulted |= k_egress;
    }
    row.option.egress_usd_per_job = egress_usd;
  }
  GPUCOST_TRY_ASSIGN(
      row.estimate,
      estimate_api_cost(
          terms, units, workload.jobs_per_month, workload.revenue_per_job, egress_usd));
  const ApiJob job = api_job(terms, units);
  const std::string_view unit = to_string(*terms.unit);
  std::string priced =
      fmt::format("priced per unit: {} {} x ${}/{}", units, unit, *terms.price_per_unit, unit);
  if (job.calls > 1) {
    priced += fmt::format(" in {} calls of at most {}", job.calls, *terms.max_units_per_call);
  }
  priced += "; no GPU, cold start or idle time priced";
  row.estimate.notes.push_back(std::move(priced));
  if (terms.minimum_charge) {
    row.estimate.notes.push_back(fmt::format("minimum charge ${} a call", *terms.minimum_charge));
  } else {
    row.defaulted |= k_minimum_charge;
  }
  if (terms.unit_increment) {
    row.estimate.notes.push_back(fmt::format(
        "a call's {} units are rounded up to a multiple of {}", unit, *terms.unit_increment));
  } else {
    row.defaulted |= k_unit_increment;
  }
  if (terms.rate_limit_per_minute) {
    row.estimate.notes.push_back(fmt::format(
        "rate limit {} calls a minute: at most {} jobs a month at a steady rate; bursts queue",
        *terms.rate_limit_per_minute,
        std::floor(*job.jobs_per_month)));
  } else {
    row.defaulted |= k_rate_limit;
  }
  return row;
}

} // namespace gpucost
