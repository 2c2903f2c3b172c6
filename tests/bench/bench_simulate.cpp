// Benchmark of the simulator (docs/performance.md): events per second on one core, and wall time
// for 30 days at 1 job/s; also prints R5's rows, simulated against the closed form.
// Run: build/tests/bench/bench_simulate

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/simulate/engine.hpp>
#include <gpucost/model/simulate/rng.hpp>
#include <gpucost/model/units.hpp>

#include <fmt/format.h>

#include <chrono>
#include <ctime>

using namespace gpucost;

namespace {

struct Timed {
  SimResult result;
  double seconds = 0;     // wall
  double cpu_seconds = 0; // this thread's CPU time: the figure on a shared machine
};

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

Timed timed(const SimConfig& config, const SimOption& option, int repeat) {
  Timed best;
  best.seconds = 1e300;
  for (int i = 0; i < repeat; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    SimResult result = simulate_run(config, option, sim_run_key(1, 0));
    const double cpu = thread_cpu_seconds() - cpu_start;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (cpu < best.cpu_seconds || i == 0) {
      best.seconds = seconds;
      best.cpu_seconds = cpu;
      best.result = std::move(result);
    }
  }
  return best;
}

void report(const char* name, const Timed& run) {
  fmt::print("{:<44} {:>9} events {:>7.3f} s CPU {:>7.3f} s wall {:>6.1f} M events/s CPU "
             "({} jobs)\n",
             name,
             run.result.events,
             run.cpu_seconds,
             run.seconds,
             static_cast<double>(run.result.events) / run.cpu_seconds / 1e6,
             run.result.jobs_completed);
}

} // namespace

int main() {
  SimOption unpriced;
  unpriced.priced = false;

  SimConfig r8;
  r8.arrivals.rate_per_s = 0.9;
  r8.service = make_exponential(1.991).value();
  r8.cold_service = make_exponential(2.244).value();
  r8.policy.queue = QueueDiscipline::none;
  r8.policy.idle_timeout_s = 600;
  r8.horizon_s = 1e6;
  report("R8 (SimFaaS, 1e6 s)", timed(r8, unpriced, 5));

  SimOption priced;
  priced.usd_per_hour = 0.74;
  priced.always_on_usd_per_hour = 0.74;
  priced.job_seconds = 0.5;
  priced.cold_start_s = 2;
  priced.idle_timeout_s = 5;
  SimConfig month;
  month.arrivals.rate_per_s = 1;
  month.horizon_s = 30 * 86400.0;
  report("keep-alive, 30 days at 1 job/s", timed(month, priced, 3));

  SimConfig month_exp = month;
  month_exp.service = make_lognormal(0.5, 1.2).value();
  month_exp.policy.kind = PolicyKind::request_count;
  month_exp.policy.tick_s = 1;
  report("request-count (1 s tick), 30 days at 1 job/s", timed(month_exp, priced, 3));

  SimConfig steps = month;
  steps.arrivals.rate_per_s = 5;
  steps.service = make_exponential(4).value();
  steps.policy.kind = PolicyKind::queue_steps;
  report("queue-steps seed002, 30 days at 5 jobs/s", timed(steps, priced, 3));

  fmt::print("\nR5: one keep-alive worker, 300,000 jobs a row (seed 7), against the closed form\n");
  fmt::print("{:>10} {:>5} {:>4} {:>5} | {:>8} {:>8} | {:>9} {:>9}\n",
             "lambda",
             "S",
             "C",
             "T",
             "p_cold",
             "sim",
             "billed/job",
             "sim");
  const double rows[4][4] = {{1.0 / 600, 120, 30, 5},
                             {1.0 / 600, 120, 30, 600},
                             {1.0 / 120, 60, 20, 30},
                             {0.9, 0.5, 2, 5}};
  for (const auto& row : rows) {
    SimConfig config;
    config.arrivals.rate_per_s = row[0];
    config.caps.max_workers = 1;
    config.horizon_s = 300000 / row[0];
    SimOption option;
    option.usd_per_hour = 3600;
    option.always_on_usd_per_hour = 3600;
    option.job_seconds = row[1];
    option.cold_start_s = row[2];
    option.idle_timeout_s = row[3];
    const SimResult sim = simulate_run(config, option, sim_run_key(7, 0));
    ModelOption model;
    model.usd_per_hour = 3600;
    model.cold_start_s = row[2];
    model.idle_timeout_s = row[3];
    ModelWorkload workload;
    workload.job_seconds = row[1];
    workload.jobs_per_month = row[0] * k_seconds_per_month;
    const Estimate exact =
        estimate_cost(Mode::keep_alive, Pricing::on_demand, model, workload).value();
    fmt::print("{:>10.6f} {:>5g} {:>4g} {:>5g} | {:>8.4f} {:>8.4f} | {:>9.2f} {:>9.2f}\n",
               row[0],
               row[1],
               row[2],
               row[3],
               exact.p_cold,
               sim.p_cold,
               exact.billed_seconds_per_job,
               sim.billed_seconds / static_cast<double>(sim.jobs_completed));
    fmt::print(
        "    split per job, s: closed form execution {:.2f} cold {:.2f} idle {:.2f} rounding "
        "{:.2f}; simulated {:.2f} {:.2f} {:.2f} {:.2f}\n",
        exact.split.execution,
        exact.split.cold_start,
        exact.split.idle,
        exact.split.rounding,
        sim.split_execution,
        sim.split_cold_start,
        sim.split_idle,
        sim.split_rounding);
  }
  return 0;
}
