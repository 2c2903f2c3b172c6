// The simulator (model/simulate) against closed forms and the reference cases of cost-model.md:
// R5 (one keep-alive worker), Erlang C (M/M/c), R8 (SimFaaS), R9 (seed 002's step table), caps,
// common random numbers and thread independence, and bad input through the CLI.

#include "cli_runner.hpp"
#include "sim_runner.hpp"
#include "temp_dir.hpp"

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/simulate/engine.hpp>
#include <gpucost/model/simulate/fleet.hpp>
#include <gpucost/model/simulate/rng.hpp>
#include <gpucost/model/units.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_model_simulate {

using namespace gpucost;

namespace {

// One keep-alive worker (max 1, FIFO) at Poisson rate `lambda`, fixed S and C, timeout T, g = 1;
// priced at 3600 $/h so that a USD is a billed second.
struct OneWorker {
  SimConfig config;
  SimOption option;
};

OneWorker one_worker(double lambda, double s, double c, double t, double jobs) {
  OneWorker w;
  w.config.arrivals.rate_per_s = lambda;
  w.config.policy.kind = PolicyKind::keep_alive;
  w.config.caps.max_workers = 1;
  w.config.horizon_s = jobs / lambda;
  w.option.usd_per_hour = 3600;
  w.option.always_on_usd_per_hour = 3600;
  w.option.job_seconds = s;
  w.option.cold_start_s = c;
  w.option.idle_timeout_s = t;
  return w;
}

Estimate closed_form(double lambda, double s, double c, double t) {
  ModelOption option;
  option.usd_per_hour = 3600;
  option.cold_start_s = c;
  option.idle_timeout_s = t;
  ModelWorkload workload;
  workload.job_seconds = s;
  workload.jobs_per_month = lambda * k_seconds_per_month;
  return estimate_cost(Mode::keep_alive, Pricing::on_demand, option, workload).value();
}

nlohmann::json simulate_json(const std::vector<std::string>& args, int expect_code = 0) {
  const test::TempDir cache;
  std::vector<std::string> full = {"simulate"};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"--format", "json"});
  const auto outcome = test::run_cli(full, test::pinned_env(cache.path().string()));
  INFO(outcome.err);
  REQUIRE(outcome.code == expect_code);
  return nlohmann::json::parse(outcome.out);
}

test::CliOutcome simulate_fails(const std::vector<std::string>& args) {
  const test::TempDir cache;
  std::vector<std::string> full = {"simulate"};
  full.insert(full.end(), args.begin(), args.end());
  return test::run_cli(full, test::pinned_env(cache.path().string()));
}

} // namespace

TEST_CASE("R5: one keep-alive worker matches the closed form (300,000 jobs a row)") {
  struct Row {
    double lambda, s, c, t, p_cold, billed;
  };
  // cost-model.md R5: p_cold and billed_seconds_per_job as the specification states them.
  const std::vector<Row> rows = {{1.0 / 600, 120, 30, 5, 0.7559, 146.85},
                                 {1.0 / 600, 120, 30, 600, 0.2890, 426.75},
                                 {1.0 / 120, 60, 20, 30, 0.3447, 78.81},
                                 {0.9, 0.5, 2, 5, 0.0060, 1.11}};
  for (const Row& row : rows) {
    CAPTURE(row.lambda);
    CAPTURE(row.t);
    const OneWorker w = one_worker(row.lambda, row.s, row.c, row.t, 300000);
    REQUIRE(validate_simulation(w.config, w.option).has_value());
    const SimResult r = simulate_run(w.config, w.option, sim_run_key(7, 0));
    const Estimate exact = closed_form(row.lambda, row.s, row.c, row.t);
    const double billed = r.billed_seconds / static_cast<double>(r.jobs_completed);
    // The closed form reproduces the table.
    CHECK(exact.p_cold == doctest::Approx(row.p_cold).epsilon(0.001));
    CHECK(exact.billed_seconds_per_job == doctest::Approx(row.billed).epsilon(0.005));
    // The simulation agrees within its sampling error: p_cold within 0.01 absolute (about 5
    // standard errors at 300,000 jobs), billed seconds within 1.5%.
    CHECK(std::abs(r.p_cold - exact.p_cold) < 0.01);
    CHECK(billed == doctest::Approx(exact.billed_seconds_per_job).epsilon(0.015));
    CHECK(r.cost_per_job == doctest::Approx(billed).epsilon(1e-9)); // 3600 $/h: 1 USD a second
  }
}

TEST_CASE("Erlang C: a fixed pool of c workers is an M/M/c queue") {
  const int c = 3;
  const double lambda = 2.0;
  const double mean_service = 1.0;
  const double a = lambda * mean_service;
  double sum = 0;
  double term = 1;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a); // a^c / c! * c / (c - a)
  const double erlang_c = top / (sum + top);
  const double expected_wait = erlang_c / (c / mean_service - lambda);

  SimConfig config;
  config.arrivals.rate_per_s = lambda;
  config.service = make_exponential(mean_service).value();
  config.policy.kind = PolicyKind::fixed_pool;
  config.policy.workers = c;
  config.horizon_s = 1e6;
  SimOption option;
  option.priced = false;
  REQUIRE(validate_simulation(config, option).has_value());
  const SimResult r = simulate_run(config, option, sim_run_key(3, 0));
  CHECK(r.wait_mean_s == doctest::Approx(expected_wait).epsilon(0.03));
  CHECK(r.mean_busy == doctest::Approx(a).epsilon(0.01));
  CHECK(r.mean_instances == doctest::Approx(c));
  CHECK(r.p_cold == 0);
}

TEST_CASE("R8: the SimFaaS reference through the CLI") {
  const auto json = simulate_json({"--arrivals",
                                   "poisson:0.9",
                                   "--service",
                                   "exp:1.991",
                                   "--cold-service",
                                   "exp:2.244",
                                   "--policy",
                                   "keep-alive",
                                   "--queue",
                                   "none",
                                   "--routing",
                                   "newest",
                                   "--idle-timeout",
                                   "600",
                                   "--horizon",
                                   "1000000s",
                                   "--seed",
                                   "1"});
  const auto& row = json["options"][0];
  CHECK(row["option"].is_null());
  CHECK(row["cost_per_job"].is_null());
  CHECK(row["total_cost"].is_null());
  const double p_cold = row["p_cold"];
  CHECK(p_cold >= 0.0011);
  CHECK(p_cold <= 0.0016);
  CHECK(row["mean_instances"].get<double>() == doctest::Approx(7.7).epsilon(0.03));
  CHECK(row["mean_busy"].get<double>() == doctest::Approx(1.79).epsilon(0.02));
  CHECK(row["rejected"].get<double>() == 0);
}

TEST_CASE("R9: seed 002's step table") {
  const StepTable table = seed002_step_table();
  REQUIRE(validate_step_table(table).has_value());
  const std::vector<std::pair<std::int64_t, int>> cases = {{0, 0},
                                                           {1, 1},
                                                           {10, 1},
                                                           {11, 2},
                                                           {50, 5},
                                                           {51, 5},
                                                           {200, 20},
                                                           {201, 21},
                                                           {210, 21},
                                                           {211, 22},
                                                           {500, 50},
                                                           {5000, 50}};
  for (const auto& [q, workers] : cases) {
    const auto& queue = q; // clang 14 cannot capture a structured binding in doctest's lambda
    CAPTURE(queue);
    CHECK(step_workers(table, q) == workers);
  }
  int last = 0;
  for (std::int64_t q = 0; q < 1000; ++q) {
    const int workers = step_workers(table, q);
    CHECK(workers >= last); // monotone
    last = workers;
  }
}

TEST_CASE("step tables: a CSV parses, and a table that is not monotone fails naming the band") {
  const auto parsed =
      parse_step_table("q_low,q_high,workers_low,workers_high,per_worker\n0,0,0,0\n1,9,1,2\n"
                       "10,+,2,8,5\n",
                       "steps.csv");
  REQUIRE(parsed.has_value());
  CHECK(step_workers(*parsed, 5) == 2);
  CHECK(step_workers(*parsed, 10) == 3);
  const auto falling = parse_step_table("0,0,0,0\n1,10,3,3\n11,20,2,2\n", "steps.csv");
  REQUIRE_FALSE(falling.has_value());
  CHECK(falling.error().message.find("band 3") != std::string::npos);
  const auto gap = parse_step_table("0,0,0,0\n2,10,1,1\n", "steps.csv");
  REQUIRE_FALSE(gap.has_value());
  const auto bad = parse_step_table("0,0,0,0\n1,x,1,1\n", "steps.csv");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.find("steps.csv:2") != std::string::npos);
}

TEST_CASE("an hourly spend cap is never exceeded in any simulated minute") {
  SimConfig config;
  config.arrivals.rate_per_s = 2;
  config.service = make_fixed(10).value(); // needs 20 workers; the cap allows 4
  config.policy.kind = PolicyKind::request_count;
  config.caps.max_usd_per_hour = 2.0;
  config.horizon_s = 6 * 3600;
  config.timeline = true;
  SimOption option;
  option.usd_per_hour = 0.5;
  option.always_on_usd_per_hour = 0.5;
  option.cold_start_s = 5;
  option.idle_timeout_s = 30;
  REQUIRE(validate_simulation(config, option).has_value());
  const SimResult r = simulate_run(config, option, sim_run_key(11, 0));
  REQUIRE(r.timeline.size() == 360);
  double highest = 0;
  for (const TimelineMinute& minute : r.timeline) {
    highest = std::max(highest, minute.peak_spend_usd_per_hour);
  }
  CHECK(highest <= 2.0 + 1e-9);
  CHECK(highest == doctest::Approx(2.0)); // the cap binds
  CHECK(r.peak_workers == 4);
  CHECK(r.hours_at_spend_cap > 5);
  CHECK(r.delayed > 0);
}

TEST_CASE("a monthly budget stops spending; reject turns arrivals away") {
  SimConfig config;
  config.arrivals.rate_per_s = 0.5;
  config.service = make_fixed(1).value();
  config.policy.kind = PolicyKind::keep_alive;
  config.caps.budget_usd_per_month = 10;
  config.caps.over_budget = OverBudget::reject;
  config.horizon_s = k_seconds_per_month;
  SimOption option;
  option.usd_per_hour = 1;
  option.always_on_usd_per_hour = 1;
  option.idle_timeout_s = 60; // one worker kept warm: about 1 USD an hour
  REQUIRE(validate_simulation(config, option).has_value());
  const SimResult r = simulate_run(config, option, sim_run_key(5, 0));
  // At most the budget plus the last running job and the session's rounding (a few seconds).
  CHECK(r.total_cost <= 10 + 0.01);
  CHECK(r.total_cost >= 9.9);
  CHECK(r.rejected > 0);
  CHECK(r.hours_over_budget > 600);
}

TEST_CASE("replications: the same results on 1 and 3 threads, the same arrivals for every option") {
  SimConfig config;
  config.arrivals.rate_per_s = 0.2;
  config.service = make_lognormal(3, 6).value();
  config.policy.kind = PolicyKind::queue_rules;
  config.horizon_s = 86400;
  SimOption cheap;
  cheap.usd_per_hour = 0.4;
  cheap.always_on_usd_per_hour = 0.4;
  cheap.cold_start_s = 20;
  SimOption dear = cheap;
  dear.usd_per_hour = 1.2;
  dear.cold_start_s = 2;
  const std::vector<SimOption> options = {cheap, dear};
  const auto one = cli::run_replications(config, options, 42, 5, 1);
  const auto three = cli::run_replications(config, options, 42, 5, 3);
  for (std::size_t o = 0; o < options.size(); ++o) {
    for (std::size_t run = 0; run < 5; ++run) {
      CHECK(one[o][run].total_cost == three[o][run].total_cost);
      CHECK(one[o][run].wait_p95_s == three[o][run].wait_p95_s);
      CHECK(one[o][run].events == three[o][run].events);
    }
  }
  for (std::size_t run = 0; run < 5; ++run) {
    CHECK(one[0][run].jobs_arrived == one[1][run].jobs_arrived); // common random numbers
  }
  CHECK(one[0][0].jobs_arrived != one[0][1].jobs_arrived); // runs differ
  const auto summary = summarize_runs(one[0], true);
  for (const auto& metric : summary) {
    if (metric.name == "cost_per_job") {
      REQUIRE(metric.ci_low.has_value());
      CHECK(*metric.ci_low <= *metric.mean);
      CHECK(*metric.mean <= *metric.ci_high);
    }
  }
}

TEST_CASE("lognormal MEAN,P95: the smaller sigma that fits, and an error when none does") {
  const auto fitted = make_lognormal(10, 25);
  REQUIRE(fitted.has_value());
  CHECK(std::exp(fitted->mu + fitted->sigma * fitted->sigma / 2) == doctest::Approx(10));
  CHECK(std::exp(fitted->mu + 1.6448536269514722 * fitted->sigma) == doctest::Approx(25));
  CHECK(fitted->sigma < 1.6448536269514722); // the smaller root
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    sum += sample(*fitted,
                  sim_uniform(9, static_cast<std::uint64_t>(i), 0),
                  sim_uniform(9, static_cast<std::uint64_t>(i), 1));
  }
  CHECK(sum / n == doctest::Approx(10).epsilon(0.02));
  const auto impossible = make_lognormal(1, 4);
  REQUIRE_FALSE(impossible.has_value());
  CHECK(impossible.error().message.find("too large") != std::string::npos);
}

TEST_CASE("bursts and daily profiles shape the arrivals") {
  ArrivalSpec spec;
  spec.rate_per_s = 0.01;
  spec.hourly = daily_profile_preset("business-hours").value();
  spec.has_profile = true;
  spec.bursts.push_back({3600, 100});
  ArrivalStream stream(spec, sim_run_key(1, 0));
  std::array<double, 24> per_hour{};
  int at_burst = 0;
  while (stream.peek().at_s < 30 * 86400.0) {
    const double at = stream.peek().at_s;
    if (at == 3600) {
      ++at_burst;
    }
    per_hour[static_cast<std::size_t>(std::fmod(at, 86400) / 3600)] += 1;
    stream.pop();
  }
  CHECK(at_burst == 100);
  // Busy hours are weighted 3 and quiet ones 0.5: six times the rate.
  CHECK(per_hour[12] / per_hour[3] == doctest::Approx(6).epsilon(0.2));
}

TEST_CASE("traces: bad rows are named by line, an empty trace fails") {
  const auto good = parse_trace("t,seconds\n0,5\n1.5,7\n", "trace.csv");
  REQUIRE(good.has_value());
  CHECK(good->at_s.size() == 2);
  CHECK(good->service_s[1] == 7);
  const auto backwards = parse_trace("5\n3\n", "trace.csv");
  REQUIRE_FALSE(backwards.has_value());
  CHECK(backwards.error().message.find("trace.csv:2") != std::string::npos);
  const auto empty = parse_trace("# nothing\n", "trace.csv");
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().message.find("no arrivals") != std::string::npos);
}

TEST_CASE("simulate: bad input gets a clear message and exit 1") {
  const test::TempDir dir;
  const std::string empty_trace = (dir.path() / "empty.csv").string();
  std::ofstream(empty_trace) << "# no rows\n";
  const std::string steps = (dir.path() / "steps.csv").string();
  std::ofstream(steps) << "0,0,0,0\n1,10,4,4\n11,20,2,2\n";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--arrivals", "poisson:-1", "--service", "fixed:1"}, "rate must be positive"},
      {{"--arrivals", "trace:" + empty_trace, "--service", "fixed:1"}, "no arrivals"},
      {{"--arrivals",
        "poisson:1",
        "--service",
        "fixed:1",
        "--policy",
        "queue-steps",
        "--step-table",
        steps},
       "not monotone"},
      {{"--arrivals", "poisson:1", "--service", "fixed:1", "--horizon", "0"},
       "--horizon: must be a positive duration"},
      {{"--arrivals", "poisson:1", "--service", "lognormal:1,10"}, "too large"},
      {{"--arrivals", "poisson:1"}, "nothing to simulate"},
  };
  for (const auto& [args, message] : cases) {
    const auto outcome = simulate_fails(args);
    INFO(outcome.err);
    CHECK(outcome.code == 1);
    CHECK(outcome.err.find(message) != std::string::npos);
    CHECK(outcome.err.rfind("gpucost: error: ", 0) == 0);
  }
}

TEST_CASE("simulate: an option from the catalog is priced; its row names its traits") {
  const auto json =
      simulate_json({"--catalog",
                     std::string(GPUCOST_SOURCE_DIR) + "/tests/golden/cases/r2.catalog.json",
                     "--ref-gpu",
                     "RTX 3060",
                     "--job-seconds",
                     "60",
                     "--jobs-per-month",
                     "20000",
                     "--provider",
                     "runpod",
                     "--horizon",
                     "7d",
                     "--runs",
                     "3"});
  REQUIRE(json["options"].size() >= 1);
  const auto& row = json["options"][0];
  CHECK(row["option"].is_string());
  CHECK(row["traits"]["usd_per_hour"].get<double>() > 0);
  CHECK(row["cost_per_job"].get<double>() > 0);
  CHECK(row["cost_per_job_ci95"].size() == 2);
  const double split = row["split_execution"].get<double>() + row["split_cold_start"].get<double>()
                       + row["split_idle"].get<double>() + row["split_rounding"].get<double>()
                       + row["split_always_on"].get<double>();
  CHECK(split == doctest::Approx(row["cost_per_job"].get<double>()));
}

TEST_CASE("fleets: a serverless option one worker cannot carry is priced with as many workers as "
          "the load needs") {
  ModelOption option;
  option.usd_per_hour = 0.18;
  option.cold_start_s = 1;
  option.idle_timeout_s = 5;
  ModelWorkload workload;
  workload.job_seconds = 60;
  workload.jobs_per_month = 100000; // rho = 2.28: one worker cannot carry it
  REQUIRE(needs_fleet(option, workload));
  REQUIRE_FALSE(estimate_cost(Mode::keep_alive, Pricing::on_demand, option, workload).has_value());
  const Estimate fleet = estimate_fleet(option, workload).value();
  const double rho = 100000 / k_seconds_per_month * 60;
  REQUIRE(fleet.mean_workers.has_value());
  CHECK(*fleet.mean_workers >= rho);
  CHECK(*fleet.mean_workers < rho + 2);
  CHECK(*fleet.peak_workers >= 5);
  CHECK(fleet.split.execution == doctest::Approx(0.18 / 3600 * 60).epsilon(1e-6));
  CHECK(fleet.cost_per_job > fleet.split.execution);
  CHECK(fleet.cost_per_job
        == doctest::Approx(fleet.split.execution + fleet.split.cold_start + fleet.split.idle
                           + fleet.split.rounding));
  CHECK(fleet.notes.back().find("priced as a fleet") != std::string::npos);

  // The stated precision: another seed moves cost per job by under 1%.
  SimConfig config;
  config.arrivals.rate_per_s = 100000 / k_seconds_per_month;
  config.horizon_s = k_fleet_jobs / config.arrivals.rate_per_s;
  SimOption sim;
  sim.usd_per_hour = 0.18;
  sim.always_on_usd_per_hour = 0.18;
  sim.cold_start_s = 1;
  sim.idle_timeout_s = 5;
  sim.job_seconds = 60;
  for (std::uint64_t seed = 2; seed < 5; ++seed) {
    const SimResult other = simulate_run(config, sim, sim_run_key(seed, 0));
    CHECK(other.cost_per_job == doctest::Approx(fleet.cost_per_job).epsilon(0.01));
  }

  // Light load keeps the one-worker closed form.
  workload.jobs_per_month = 1000;
  CHECK_FALSE(needs_fleet(option, workload));
}

TEST_CASE("fleets in compare: the serverless keep-alive row is kept, with workers and peak") {
  const test::TempDir cache;
  const auto outcome =
      test::run_cli({"compare",
                     "--catalog",
                     std::string(GPUCOST_SOURCE_DIR) + "/tests/golden/cases/r2.catalog.json",
                     "--ref-gpu",
                     "RTX 3060",
                     "--job-seconds",
                     "60",
                     "--jobs-per-month",
                     "100000",
                     "--max-workers", // above RunPod's default of 3 (test_fleet_cap.cpp: capped)
                     "50",
                     "--format",
                     "json"},
                    test::pinned_env(cache.path().string()));
  INFO(outcome.err);
  REQUIRE(outcome.code == 0);
  const auto json = nlohmann::json::parse(outcome.out);
  bool found = false;
  for (const auto& row : json["options"]) {
    if (row["product"] == "serverless" && row["mode"] == "keep-alive") {
      found = true;
      CHECK(row["workers"].get<double>() > 2.28);
      CHECK(row["peak_workers"].get<int>() >= 5);
    }
    if (row["product"] != "serverless") {
      CHECK_FALSE(row.contains("peak_workers")); // pods keep the one-worker forms
    }
  }
  CHECK(found);
}

} // namespace gpucost_test_model_simulate
