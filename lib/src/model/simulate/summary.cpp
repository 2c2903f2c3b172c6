#include <gpucost/model/simulate/engine.hpp>

#include <array>
#include <cmath>

namespace gpucost {

namespace {

// Student t quantile for a two-sided 95% interval, by degrees of freedom (1..30); 1.96 beyond.
double t95(std::size_t degrees) {
  constexpr std::array<double, 30> k_table = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (degrees == 0) {
    return 0;
  }
  return degrees <= k_table.size() ? k_table[degrees - 1] : 1.96;
}

std::optional<double> cost(bool priced, double value) {
  if (!priced || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

} // namespace

std::vector<SimMetric> sim_metrics(const SimResult& r, bool priced) {
  const auto count = [](std::uint64_t value) { return static_cast<double>(value); };
  return {
      {"jobs_arrived", count(r.jobs_arrived)},
      {"jobs_completed", count(r.jobs_completed)},
      {"rejected", count(r.rejected)},
      {"delayed", count(r.delayed)},
      {"total_cost", cost(priced, r.total_cost)},
      {"cost_per_job", cost(priced, r.cost_per_job)},
      {"split_execution", cost(priced, r.split_execution)},
      {"split_cold_start", cost(priced, r.split_cold_start)},
      {"split_idle", cost(priced, r.split_idle)},
      {"split_rounding", cost(priced, r.split_rounding)},
      {"split_always_on", cost(priced, r.split_always_on)},
      {"billed_seconds_per_job",
       r.jobs_completed > 0 ? cost(priced, r.billed_seconds / count(r.jobs_completed))
                            : std::nullopt},
      {"utilization", r.utilization},
      {"p_cold", r.p_cold},
      {"wait_mean", r.wait_mean_s},
      {"wait_p50", r.wait_p50_s},
      {"wait_p95", r.wait_p95_s},
      {"wait_p99", r.wait_p99_s},
      {"latency_mean", r.latency_mean_s},
      {"latency_p50", r.latency_p50_s},
      {"latency_p95", r.latency_p95_s},
      {"latency_p99", r.latency_p99_s},
      {"mean_instances", r.mean_instances},
      {"peak_workers", static_cast<double>(r.peak_workers)},
      {"mean_busy", r.mean_busy},
      {"mean_queue", r.mean_queue},
      {"max_queue", static_cast<double>(r.max_queue)},
      {"hours_at_spend_cap", r.hours_at_spend_cap},
      {"hours_over_budget", r.hours_over_budget},
      {"events", count(r.events)},
  };
}

std::vector<SimSummaryMetric> summarize_runs(const std::vector<SimResult>& runs, bool priced) {
  std::vector<SimSummaryMetric> summary;
  if (runs.empty()) {
    return summary;
  }
  std::vector<std::vector<SimMetric>> all;
  all.reserve(runs.size());
  for (const SimResult& run : runs) {
    all.push_back(sim_metrics(run, priced));
  }
  for (std::size_t m = 0; m < all.front().size(); ++m) {
    SimSummaryMetric metric;
    metric.name = std::string(all.front()[m].name);
    double sum = 0;
    std::size_t n = 0;
    for (const auto& metrics : all) {
      if (metrics[m].value) {
        sum += *metrics[m].value;
        ++n;
      }
    }
    if (n == runs.size()) {
      const double mean = sum / static_cast<double>(n);
      metric.mean = mean;
      if (n >= 2) {
        double squares = 0;
        for (const auto& metrics : all) {
          squares += (*metrics[m].value - mean) * (*metrics[m].value - mean);
        }
        const double sd = std::sqrt(squares / static_cast<double>(n - 1));
        const double half = t95(n - 1) * sd / std::sqrt(static_cast<double>(n));
        metric.ci_low = mean - half;
        metric.ci_high = mean + half;
      }
    }
    summary.push_back(std::move(metric));
  }
  return summary;
}

} // namespace gpucost
