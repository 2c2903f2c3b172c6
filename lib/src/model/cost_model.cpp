#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/numeric.hpp>
#include <gpucost/model/units.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gpucost {

namespace {

constexpr double k_max_always_on_instances = 1e6;

// The billed length of one session of `seconds`: rounded up to g, and at least m.
double billed_session(double seconds, const ModelOption& option) {
  const double quotient = seconds / option.granularity_s;
  // A quotient near a whole number of units is that number (floating-point noise); one near 0 is
  // a session far shorter than a unit, still billed one.
  const bool whole_units = quotient >= 0.5 && near_integer(quotient);
  const double rounded = whole_units ? seconds : option.granularity_s * std::ceil(quotient);
  return std::max(option.minimum_s, rounded);
}

// Extra seconds per job spent redoing work lost to spot interruptions, without checkpoints.
double rerun_seconds(Pricing pricing, const ModelOption& option, double job_seconds) {
  if (pricing != Pricing::spot) {
    return 0;
  }
  return -job_seconds * std::expm1(-option.interruptions_per_hour * job_seconds / 3600.0);
}

std::string spot_note(const ModelOption& option, double rerun_s) {
  return fmt::format("spot: interrupted work reruns from the start (no checkpoints; h = {:g}/h), "
                     "{:.3g} s more per job",
                     option.interruptions_per_hour,
                     rerun_s);
}

Status
validate(Mode mode, Pricing pricing, const ModelOption& option, const ModelWorkload& workload) {
  GPUCOST_TRY(require_positive("job_seconds", workload.job_seconds));
  if (workload.job_seconds > k_seconds_per_year) {
    return make_error(fmt::format("job_seconds must be at most one year, {} s (got {})",
                                  k_seconds_per_year,
                                  workload.job_seconds));
  }
  if (workload.jobs_per_month) {
    const double jobs = *workload.jobs_per_month;
    GPUCOST_TRY(require_finite("jobs_per_month", jobs));
    if (jobs <= 0) {
      return make_error(fmt::format(
          "jobs_per_month must be positive (got {}); leave it out for the sparse-traffic bound",
          jobs));
    }
    if (jobs > k_max_jobs_per_month) {
      return make_error(
          fmt::format("jobs_per_month must be at most {} (got {})", k_max_jobs_per_month, jobs));
    }
  }
  if (!(workload.max_utilization > 0 && workload.max_utilization <= 1)) {
    return make_error(
        fmt::format("max_utilization must be in (0, 1] (got {})", workload.max_utilization));
  }
  if (workload.revenue_per_job) {
    GPUCOST_TRY(require_positive("revenue_per_job", *workload.revenue_per_job));
  }
  GPUCOST_TRY(require_positive("usd_per_hour", option.usd_per_hour));
  GPUCOST_TRY(require_positive("granularity_s", option.granularity_s));
  GPUCOST_TRY(require_non_negative("minimum_s", option.minimum_s));
  GPUCOST_TRY(require_non_negative("cold_start_s", option.cold_start_s));
  GPUCOST_TRY(require_non_negative("idle_timeout_s", option.idle_timeout_s));
  GPUCOST_TRY(require_non_negative("egress_usd_per_job", option.egress_usd_per_job));
  GPUCOST_TRY(require_non_negative("interruptions_per_hour", option.interruptions_per_hour));
  if (option.slots < 1) {
    return make_error(fmt::format("slots must be at least 1 (got {})", option.slots));
  }
  if (mode == Mode::keep_alive && pricing == Pricing::spot) {
    return make_error("spot pricing applies to per-job and always-on rows, not keep-alive");
  }
  return Ok{};
}

// Fills the fields every mode derives the same way from the split and the billed seconds.
void finish(Estimate& estimate, const ModelOption& option, const ModelWorkload& workload) {
  estimate.split.egress = option.egress_usd_per_job;
  const CostSplit& split = estimate.split;
  estimate.cost_per_job =
      split.execution + split.cold_start + split.idle + split.rounding + split.rerun + split.egress;
  if (workload.jobs_per_month) {
    estimate.monthly_cost = estimate.cost_per_job * *workload.jobs_per_month;
  }
  if (workload.revenue_per_job) {
    estimate.margin = 1 - estimate.cost_per_job / *workload.revenue_per_job;
  }
}

Estimate per_job(Pricing pricing, const ModelOption& option, const ModelWorkload& workload) {
  const double r = option.usd_per_hour / 3600.0;
  const double s = workload.job_seconds;
  const double c_billed = option.cold_start_billed ? option.cold_start_s : 0.0;
  const double rerun = rerun_seconds(pricing, option, s);
  const double before = s + c_billed + rerun;
  const double billed = billed_session(before, option);

  Estimate estimate;
  estimate.mode = Mode::per_job;
  estimate.pricing = pricing;
  estimate.job_seconds = s;
  estimate.billed_seconds_before_rounding = before;
  estimate.billed_seconds_per_job = billed;
  estimate.split.execution = r * s;
  estimate.split.cold_start = r * c_billed;
  estimate.split.rerun = r * rerun;
  estimate.split.rounding = r * (billed - before);
  estimate.p_cold = 1;
  estimate.utilization = s / billed;
  estimate.mean_added_latency_s = option.cold_start_s;
  if (pricing == Pricing::spot && option.interruptions_per_hour > 0) {
    estimate.notes.push_back(spot_note(option, rerun));
  }
  finish(estimate, option, workload);
  return estimate;
}

// Sparse-traffic bound: every job starts a worker and pays the full idle timeout.
Estimate keep_alive_sparse(const ModelOption& option, const ModelWorkload& workload) {
  const double r = option.usd_per_hour / 3600.0;
  const double s = workload.job_seconds;
  const double c_billed = option.cold_start_billed ? option.cold_start_s : 0.0;
  const double t = option.idle_timeout_s;
  const double before = s + c_billed + t;
  const double billed = billed_session(before, option);

  Estimate estimate;
  estimate.mode = Mode::keep_alive;
  estimate.pricing = Pricing::on_demand;
  estimate.job_seconds = s;
  estimate.billed_seconds_before_rounding = before;
  estimate.billed_seconds_per_job = billed;
  estimate.split.execution = r * s;
  estimate.split.cold_start = r * c_billed;
  estimate.split.idle = r * t;
  estimate.split.rounding = r * (billed - before);
  estimate.p_cold = 1;
  estimate.utilization = s / billed;
  estimate.mean_added_latency_s = option.cold_start_s;
  if (t > 0) { // with no timeout a job pays no idle: nothing to warn of
    estimate.notes.push_back(fmt::format("sparse-traffic bound: every job starts a worker and "
                                         "pays the full {:g} s idle timeout (the worst case)",
                                         t));
  }
  finish(estimate, option, workload);
  return estimate;
}

// One keep-alive worker fed by Poisson arrivals, FIFO (cost-model.md, exact by PASTA).
Expected<Estimate> keep_alive_poisson(const ModelOption& option, const ModelWorkload& workload) {
  const double r = option.usd_per_hour / 3600.0;
  const double s = workload.job_seconds;
  const double c = option.cold_start_s;
  const double c_billed = option.cold_start_billed ? c : 0.0;
  const double t = option.idle_timeout_s;
  const double jobs = *workload.jobs_per_month;
  const double lambda = jobs / k_seconds_per_month;
  const double rho = lambda * s;

  const double stay = std::exp(-lambda * t);     // P(no arrival within T)
  const double leave = -std::expm1(-lambda * t); // 1 - stay, accurate for small lambda * T
  const double p_cold = (1 - rho) * stay / (1 + lambda * c * stay);
  const double busy = rho + lambda * p_cold * c;
  if (busy >= 1) {
    return make_error(fmt::format("one keep-alive worker cannot carry {} jobs a month: busy share "
                                  "{:.2f} >= 1; use always-on or more workers",
                                  jobs,
                                  busy));
  }
  const double idle = (1 - busy) * leave / lambda;
  const double before = s + p_cold * c_billed + idle;

  // Sessions have random lengths, so the expected round-up to g is g/2 per session; a mean session
  // shorter than m also pays the shortfall. There are p_cold sessions per job.
  double rounding = p_cold * option.granularity_s / 2;
  if (p_cold > 0) {
    const double mean_session = before / p_cold;
    if (mean_session < option.minimum_s) {
      rounding += p_cold * (option.minimum_s - mean_session);
    }
  }
  const double billed = before + rounding;

  Estimate estimate;
  estimate.mode = Mode::keep_alive;
  estimate.pricing = Pricing::on_demand;
  estimate.job_seconds = s;
  estimate.billed_seconds_before_rounding = before;
  estimate.billed_seconds_per_job = billed;
  estimate.split.execution = r * s;
  estimate.split.cold_start = r * p_cold * c_billed;
  estimate.split.idle = r * idle;
  estimate.split.rounding = r * rounding;
  estimate.p_cold = p_cold;
  estimate.busy_share = busy;
  estimate.utilization = s / billed;
  // Queueing wait: an approximation, M/D/1 Pollaczek-Khinchine with deterministic service S that
  // ignores the longer service of cold jobs.
  const double queue_wait = lambda * s * s / (2 * (1 - rho));
  estimate.mean_added_latency_s = p_cold * c + queue_wait;
  if (busy > 0.5) {
    estimate.notes.push_back(
        fmt::format("one worker is busy {:.0f}% of the time and queues jobs; a real platform would "
                    "add workers",
                    busy * 100));
  }
  if (option.slots > 1) {
    estimate.notes.push_back(
        fmt::format("keep-alive treats the instance as one worker running one job at a time "
                    "(conservative; it has {} slots)",
                    option.slots));
  }
  finish(estimate, option, workload);
  return estimate;
}

Expected<Estimate>
always_on(Pricing pricing, const ModelOption& option, const ModelWorkload& workload) {
  const double r = option.usd_per_hour / 3600.0;
  const double s = workload.job_seconds;
  const double rerun = rerun_seconds(pricing, option, s);
  const double effective_s = s + rerun;
  const double slots = option.slots;
  // Jobs one instance carries a month at 100% and at u_max: continuous rates.
  const double full_one = slots * k_seconds_per_month / effective_s;
  const double usable_one = full_one * workload.max_utilization;

  Estimate estimate;
  estimate.mode = Mode::always_on;
  estimate.pricing = pricing;
  estimate.job_seconds = s;
  estimate.p_cold = 0;

  double jobs = 0;
  double instances = 1;
  if (workload.jobs_per_month) {
    jobs = *workload.jobs_per_month;
    instances = std::max(1.0, tolerant_ceil(jobs / usable_one));
    if (instances > k_max_always_on_instances) {
      return make_error(fmt::format("always-on would need {} instances to carry {} jobs a month; "
                                    "the job is too long for this option",
                                    instances,
                                    jobs));
    }
  } else {
    jobs = usable_one;
    estimate.best_case = true;
    estimate.notes.push_back(fmt::format("no volume given: cost per job at full usable capacity "
                                         "({:g}% busy), a best case",
                                         workload.max_utilization * 100));
  }
  estimate.workers = static_cast<int>(instances);
  estimate.capacity_jobs_per_month = tolerant_floor(instances * usable_one);
  estimate.capacity_jobs_per_month_full = tolerant_floor(instances * full_one);

  // Slots share the instance, so one job's own time costs r * S / slots; the rest of the paid
  // month is the unused share, booked as idle.
  const double billed = instances * k_seconds_per_month / jobs;
  estimate.billed_seconds_before_rounding = billed;
  estimate.billed_seconds_per_job = billed;
  estimate.split.execution = r * s / slots;
  estimate.split.rerun = r * rerun / slots;
  estimate.split.idle = std::max(0.0, r * billed - estimate.split.execution - estimate.split.rerun);
  estimate.utilization = s / slots / billed;
  // No cold starts; queueing across n * slots workers kept below u_max is not modelled.
  estimate.mean_added_latency_s = 0;
  if (pricing == Pricing::spot && option.interruptions_per_hour > 0) {
    estimate.notes.push_back(spot_note(option, rerun));
  }
  finish(estimate, option, workload);
  return estimate;
}

} // namespace

std::string_view to_string(Mode mode) {
  switch (mode) {
  case Mode::per_job:
    return "per-job";
  case Mode::keep_alive:
    return "keep-alive";
  case Mode::always_on:
    return "always-on";
  }
  return "unknown";
}

std::string_view to_string(Pricing pricing) {
  switch (pricing) {
  case Pricing::on_demand:
    return "on-demand";
  case Pricing::spot:
    return "spot";
  }
  return "unknown";
}

std::string_view to_string(Traffic traffic) {
  switch (traffic) {
  case Traffic::poisson:
    return "poisson";
  case Traffic::sparse:
    return "sparse";
  }
  return "unknown";
}

std::optional<Mode> parse_mode(std::string_view text) {
  for (Mode mode : {Mode::per_job, Mode::keep_alive, Mode::always_on}) {
    if (text == to_string(mode)) {
      return mode;
    }
  }
  return std::nullopt;
}

std::optional<Pricing> parse_pricing(std::string_view text) {
  for (Pricing pricing : {Pricing::on_demand, Pricing::spot}) {
    if (text == to_string(pricing)) {
      return pricing;
    }
  }
  return std::nullopt;
}

std::optional<Traffic> parse_traffic(std::string_view text) {
  for (Traffic traffic : {Traffic::poisson, Traffic::sparse}) {
    if (text == to_string(traffic)) {
      return traffic;
    }
  }
  return std::nullopt;
}

Expected<Estimate> estimate_cost(Mode mode,
                                 Pricing pricing,
                                 const ModelOption& option,
                                 const ModelWorkload& workload) {
  GPUCOST_TRY(validate(mode, pricing, option, workload));
  switch (mode) {
  case Mode::per_job:
    return per_job(pricing, option, workload);
  case Mode::keep_alive:
    if (!workload.jobs_per_month || workload.traffic == Traffic::sparse) {
      return keep_alive_sparse(option, workload);
    }
    return keep_alive_poisson(option, workload);
  case Mode::always_on:
    return always_on(pricing, option, workload);
  }
  return make_error(fmt::format("unknown mode {}", static_cast<int>(mode)));
}

} // namespace gpucost
