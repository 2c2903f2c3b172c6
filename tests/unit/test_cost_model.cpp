#include <gpucost/model/cost_model.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_cost_model {

using gpucost::Estimate;
using gpucost::estimate_cost;
using gpucost::Mode;
using gpucost::ModelOption;
using gpucost::ModelWorkload;
using gpucost::Pricing;
using gpucost::Traffic;

namespace {

constexpr double k_seconds_per_month = 730.0 * 3600.0;

// Matches a value printed as `value` with `last_digit` the unit of its last digit (cost-model.md
// gives its reference values "exact to the digits shown").
doctest::Approx shown(double value, double last_digit) {
  return doctest::Approx(value).scale(0).epsilon(last_digit / 2 / std::abs(value) * (1 + 1e-9));
}

// Matches a value to a relative 1e-12: for figures the model computes, not rounds.
doctest::Approx exactly(double value) {
  return doctest::Approx(value).scale(0).epsilon(1e-12);
}

ModelOption option_at(double usd_per_hour) {
  ModelOption option;
  option.usd_per_hour = usd_per_hour;
  return option;
}

ModelWorkload workload_of(double job_seconds, std::optional<double> jobs_per_month = std::nullopt) {
  ModelWorkload workload;
  workload.job_seconds = job_seconds;
  workload.jobs_per_month = jobs_per_month;
  return workload;
}

Estimate
estimate(Mode mode, Pricing pricing, const ModelOption& option, const ModelWorkload& workload) {
  auto result = estimate_cost(mode, pricing, option, workload);
  REQUIRE_MESSAGE(result.has_value(), (result ? std::string() : result.error().message));
  return *result;
}

Estimate estimate(Mode mode, const ModelOption& option, const ModelWorkload& workload) {
  return estimate(mode, Pricing::on_demand, option, workload);
}

std::string
error_of(Mode mode, Pricing pricing, const ModelOption& option, const ModelWorkload& workload) {
  auto result = estimate_cost(mode, pricing, option, workload);
  REQUIRE(!result.has_value());
  return result.error().message;
}

std::string error_of(Mode mode, const ModelOption& option, const ModelWorkload& workload) {
  return error_of(mode, Pricing::on_demand, option, workload);
}

double split_sum(const Estimate& e) {
  return e.split.execution + e.split.cold_start + e.split.idle + e.split.rounding + e.split.rerun
         + e.split.egress;
}

bool has_note_containing(const Estimate& e, const std::string& text) {
  return std::any_of(e.notes.begin(), e.notes.end(), [&](const std::string& note) {
    return note.find(text) != std::string::npos;
  });
}

// The invariants every estimate keeps (cost-model.md "Outputs of one option").
void check_consistent(const Estimate& e, const ModelOption& option) {
  const double r = option.usd_per_hour / 3600.0;
  CHECK(split_sum(e) == exactly(e.cost_per_job));
  CHECK(e.cost_per_job == exactly(r * e.billed_seconds_per_job + option.egress_usd_per_job));
  CHECK(e.split.execution >= 0);
  CHECK(e.split.cold_start >= 0);
  CHECK(e.split.idle >= 0);
  CHECK(e.split.rounding >= 0);
  CHECK(e.split.rerun >= 0);
  CHECK(e.billed_seconds_per_job >= e.billed_seconds_before_rounding);
  CHECK(e.utilization > 0);
  CHECK(e.utilization <= 1);
}

} // namespace

TEST_SUITE("cost_model") {
  TEST_CASE("mode, pricing and traffic spellings round-trip") {
    for (Mode mode : {Mode::per_job, Mode::keep_alive, Mode::always_on}) {
      CHECK(gpucost::parse_mode(gpucost::to_string(mode)) == mode);
    }
    for (Pricing pricing : {Pricing::on_demand, Pricing::spot}) {
      CHECK(gpucost::parse_pricing(gpucost::to_string(pricing)) == pricing);
    }
    for (Traffic traffic : {Traffic::poisson, Traffic::sparse}) {
      CHECK(gpucost::parse_traffic(gpucost::to_string(traffic)) == traffic);
    }
    CHECK(gpucost::to_string(Mode::per_job) == "per-job");
    CHECK(gpucost::to_string(Mode::keep_alive) == "keep-alive");
    CHECK(gpucost::to_string(Mode::always_on) == "always-on");
    CHECK(gpucost::to_string(Pricing::on_demand) == "on-demand");
    CHECK(gpucost::to_string(Pricing::spot) == "spot");
    CHECK(gpucost::to_string(Traffic::poisson) == "poisson");
    CHECK(gpucost::to_string(Traffic::sparse) == "sparse");
    CHECK(!gpucost::parse_mode("per_job"));
    CHECK(!gpucost::parse_mode("Per-Job"));
    CHECK(!gpucost::parse_pricing("ondemand"));
    CHECK(!gpucost::parse_traffic(""));
  }

  TEST_CASE("R1: RunPod RTX 4090 pod per job") {
    const auto option = option_at(0.74);
    const auto e = estimate(Mode::per_job, option, workload_of(15));
    CHECK(e.billed_seconds_per_job == 15);
    CHECK(e.cost_per_job == shown(0.0030833, 1e-7));
    CHECK(e.p_cold == 1);
    CHECK(e.utilization == 1);
    CHECK(e.split.rounding == 0);
    CHECK(!e.monthly_cost);
    CHECK(!e.margin);
    check_consistent(e, option);
  }

  TEST_CASE("R2: destroy after each job") {
    SUBCASE("Vast.ai RTX 3060") {
      auto option = option_at(0.20);
      option.cold_start_s = 20;
      const auto e = estimate(Mode::per_job, option, workload_of(60));
      CHECK(e.billed_seconds_per_job == 80);
      CHECK(e.cost_per_job == shown(0.0044444, 1e-7));
      CHECK(e.split.cold_start == exactly(0.20 / 3600 * 20));
      CHECK(e.mean_added_latency_s == 20);
      check_consistent(e, option);
    }
    SUBCASE("RunPod serverless RTX 3060") {
      auto option = option_at(0.18);
      option.cold_start_s = 1;
      const auto e = estimate(Mode::per_job, option, workload_of(60));
      CHECK(e.billed_seconds_per_job == 61);
      CHECK(e.cost_per_job == shown(0.0030500, 1e-7));
      check_consistent(e, option);
    }
  }

  TEST_CASE("R3: keep-alive with a 300 s idle timeout") {
    auto vast = option_at(0.20);
    vast.idle_timeout_s = 300;
    auto runpod = option_at(0.18);
    runpod.idle_timeout_s = 300;

    SUBCASE("sparse-traffic bound without volume") {
      const auto e = estimate(Mode::keep_alive, vast, workload_of(60));
      CHECK(e.billed_seconds_per_job == 360);
      CHECK(e.cost_per_job == shown(0.0200000, 1e-7));
      CHECK(e.split.idle == exactly(0.20 / 3600 * 300));
      CHECK(e.p_cold == 1);
      CHECK(!e.busy_share);
      CHECK(!e.monthly_cost);
      CHECK(has_note_containing(e, "sparse-traffic bound"));
      check_consistent(e, vast);
      CHECK(estimate(Mode::keep_alive, runpod, workload_of(60)).cost_per_job
            == shown(0.0180000, 1e-7));
    }
    SUBCASE("--traffic sparse --jobs-per-month 1000") {
      auto workload = workload_of(60, 1000);
      workload.traffic = Traffic::sparse;
      const auto e = estimate(Mode::keep_alive, vast, workload);
      REQUIRE(e.monthly_cost);
      CHECK(*e.monthly_cost == shown(20.00, 0.01));
      CHECK(*estimate(Mode::keep_alive, runpod, workload).monthly_cost == shown(18.00, 0.01));
      check_consistent(e, vast);
    }
    SUBCASE("Poisson at 1000 jobs a month") {
      const auto workload = workload_of(60, 1000);
      const auto e = estimate(Mode::keep_alive, vast, workload);
      CHECK(e.p_cold == shown(0.871751, 1e-6));
      CHECK(e.split.idle / (0.20 / 3600) == shown(277.04, 0.01));
      CHECK(e.billed_seconds_before_rounding == shown(337.04, 0.01));
      CHECK(e.billed_seconds_per_job == shown(337.47, 0.01));
      CHECK(e.split.rounding / (0.20 / 3600) == exactly(e.p_cold * 0.5));
      CHECK(e.cost_per_job == shown(0.018749, 1e-6));
      REQUIRE(e.monthly_cost);
      CHECK(*e.monthly_cost == shown(18.75, 0.01));
      REQUIRE(e.busy_share);
      CHECK(*e.busy_share == exactly(1000 * 60 / k_seconds_per_month));
      check_consistent(e, vast);

      const auto r = estimate(Mode::keep_alive, runpod, workload);
      CHECK(r.cost_per_job == shown(0.016874, 1e-6));
      CHECK(*r.monthly_cost == shown(16.87, 0.01));
    }
  }

  TEST_CASE("R4: per-video cost and margin on an L4") {
    const auto vertex = option_at(0.60);
    const auto cloud_run = option_at(0.40);
    auto workload = workload_of(420);
    workload.revenue_per_job = 14;
    const auto v = estimate(Mode::per_job, vertex, workload);
    CHECK(v.cost_per_job == shown(0.070000, 1e-6));
    REQUIRE(v.margin);
    CHECK(*v.margin == shown(0.995, 0.001));
    CHECK(*v.margin == exactly(1 - v.cost_per_job / 14));
    CHECK(estimate(Mode::per_job, cloud_run, workload).cost_per_job == shown(0.046667, 1e-6));
  }

  TEST_CASE("R4: dedicated server capacity") {
    const auto dedicated = option_at(160.0 / 730);
    const auto e = estimate(Mode::always_on, dedicated, workload_of(420, 2000));
    REQUIRE(e.capacity_jobs_per_month);
    REQUIRE(e.capacity_jobs_per_month_full);
    CHECK(*e.capacity_jobs_per_month == 5005);
    CHECK(*e.capacity_jobs_per_month_full == 6257);
    REQUIRE(e.workers);
    CHECK(*e.workers == 1);
    REQUIRE(e.monthly_cost);
    CHECK(*e.monthly_cost == exactly(160));
    CHECK(e.cost_per_job == exactly(160.0 / 2000));
    CHECK(e.p_cold == 0);
    CHECK(e.mean_added_latency_s == 0);
    CHECK(!e.best_case);
    check_consistent(e, dedicated);
  }

  TEST_CASE("R5: keep-alive closed form") {
    struct Row {
      double lambda, jobs, s, c, t, p_cold, busy, before, billed;
    };
    const std::vector<Row> rows = {
        {1.0 / 600, 4380, 120, 30, 5, 0.7559, 0.238, 146.47, 146.85},
        {1.0 / 600, 4380, 120, 30, 600, 0.2890, 0.214, 426.61, 426.75},
        {1.0 / 120, 21900, 60, 20, 30, 0.3447, 0.557, 78.64, 78.81},
        {0.9, 2365200, 0.5, 2, 5, 0.0060, 0.461, 1.10, 1.11},
    };
    for (const Row& row : rows) {
      CAPTURE(row.jobs);
      CAPTURE(row.t);
      CHECK(row.jobs == exactly(row.lambda * k_seconds_per_month));
      auto option = option_at(1.0);
      option.cold_start_s = row.c;
      option.idle_timeout_s = row.t;
      const auto e = estimate(Mode::keep_alive, option, workload_of(row.s, row.jobs));
      CHECK(e.p_cold == shown(row.p_cold, 1e-4));
      REQUIRE(e.busy_share);
      CHECK(*e.busy_share == shown(row.busy, 1e-3));
      CHECK(e.billed_seconds_before_rounding == shown(row.before, 0.01));
      CHECK(e.billed_seconds_per_job == shown(row.billed, 0.01));
      check_consistent(e, option);
    }
  }

  TEST_CASE("R6: AWS g5.xlarge 60 s billing minimum") {
    auto option = option_at(1.006);
    option.minimum_s = 60;
    const auto e = estimate(Mode::per_job, option, workload_of(15));
    CHECK(e.billed_seconds_per_job == 60);
    CHECK(e.cost_per_job == shown(0.0167667, 1e-7));
    CHECK(e.split.rounding == exactly(1.006 / 3600 * 45));
    CHECK(e.utilization == exactly(0.25));
    check_consistent(e, option);
  }

  TEST_CASE("per-job rounds up to the granularity without floating-point noise") {
    auto option = option_at(0.40);
    option.granularity_s = 0.1;
    SUBCASE("420 s at 100 ms") {
      const auto e = estimate(Mode::per_job, option, workload_of(420));
      CHECK(e.billed_seconds_per_job == 420);
      CHECK(e.split.rounding == 0);
    }
    SUBCASE("0.1 + 0.2 s at 100 ms") {
      option.cold_start_s = 0.1;
      const auto e = estimate(Mode::per_job, option, workload_of(0.2));
      CHECK(e.billed_seconds_per_job == exactly(0.3));
    }
    SUBCASE("a job far shorter than the granularity is billed one whole unit") {
      // 1e-6 s of an hour is a quotient of 3e-10: within the tolerance of 0, never "whole".
      option.granularity_s = 3600;
      const auto e = estimate(Mode::per_job, option, workload_of(1e-6));
      CHECK(e.billed_seconds_per_job == 3600);
    }
    SUBCASE("a true fraction still rounds up") {
      option.granularity_s = 60;
      const auto e = estimate(Mode::per_job, option, workload_of(61));
      CHECK(e.billed_seconds_per_job == 120);
      CHECK(e.split.rounding == exactly(0.40 / 3600 * 59));
      check_consistent(e, option);
    }
  }

  TEST_CASE("an unbilled cold start is waited for but not paid") {
    auto option = option_at(0.20);
    option.cold_start_s = 20;
    option.cold_start_billed = false;
    const auto e = estimate(Mode::per_job, option, workload_of(60));
    CHECK(e.billed_seconds_per_job == 60);
    CHECK(e.split.cold_start == 0);
    CHECK(e.mean_added_latency_s == 20);
    check_consistent(e, option);
  }

  TEST_CASE("per-job with volume has a monthly cost") {
    const auto e = estimate(Mode::per_job, option_at(0.74), workload_of(15, 1000));
    REQUIRE(e.monthly_cost);
    CHECK(*e.monthly_cost == exactly(e.cost_per_job * 1000));
  }

  TEST_CASE("keep-alive Poisson: minimum shortfall, latency and split") {
    auto option = option_at(1.006);
    option.minimum_s = 60;
    option.cold_start_s = 10;
    option.idle_timeout_s = 5;
    const double jobs = 1000;
    const double s = 10;
    const auto e = estimate(Mode::keep_alive, option, workload_of(s, jobs));
    const double lambda = jobs / k_seconds_per_month;
    const double mean_session = e.billed_seconds_before_rounding / e.p_cold;
    REQUIRE(mean_session < 60);
    CHECK(e.billed_seconds_per_job
          == exactly(e.billed_seconds_before_rounding + e.p_cold * 0.5
                     + e.p_cold * (60 - mean_session)));
    const double rho = lambda * s;
    CHECK(e.mean_added_latency_s == exactly(e.p_cold * 10 + lambda * s * s / (2 * (1 - rho))));
    CHECK(e.split.cold_start == exactly(1.006 / 3600 * e.p_cold * 10));
    CHECK(e.notes.empty());
    check_consistent(e, option);
  }

  TEST_CASE("keep-alive with a zero timeout idles for nothing") {
    auto option = option_at(1.0);
    option.cold_start_s = 2;
    const auto e = estimate(Mode::keep_alive, option, workload_of(30, 10000));
    CHECK(e.split.idle == 0);
    const double lambda = 10000 / k_seconds_per_month;
    CHECK(e.p_cold == exactly((1 - lambda * 30) / (1 + lambda * 2)));
    check_consistent(e, option);
  }

  TEST_CASE("keep-alive busier than half the time says a platform would add workers") {
    auto option = option_at(1.0);
    option.cold_start_s = 20;
    option.idle_timeout_s = 30;
    const auto busy = estimate(Mode::keep_alive, option, workload_of(60, 21900));
    CHECK(*busy.busy_share > 0.5);
    CHECK(has_note_containing(busy, "queues jobs; a real platform would add workers"));
    const auto quiet = estimate(Mode::keep_alive, option, workload_of(60, 4380));
    CHECK(*quiet.busy_share < 0.5);
    CHECK(!has_note_containing(quiet, "queues jobs"));
  }

  TEST_CASE("one keep-alive worker cannot be busier than 100%") {
    CHECK(error_of(Mode::keep_alive, option_at(1.0), workload_of(265, 12000))
          == "one keep-alive worker cannot carry 12000 jobs a month: busy share 1.21 >= 1; use "
             "always-on or more workers");
    // The sparse bound makes no claim about queueing, so it still prices the job.
    auto sparse = workload_of(265, 12000);
    sparse.traffic = Traffic::sparse;
    CHECK(estimate_cost(Mode::keep_alive, Pricing::on_demand, option_at(1.0), sparse));
  }

  TEST_CASE("keep-alive with several slots is one worker, and says so") {
    auto option = option_at(2.0);
    option.slots = 2;
    option.idle_timeout_s = 60;
    const auto e = estimate(Mode::keep_alive, option, workload_of(60, 1000));
    CHECK(has_note_containing(e, "one worker running one job at a time (conservative"));
    auto single = option;
    single.slots = 1;
    CHECK(e.cost_per_job
          == exactly(estimate(Mode::keep_alive, single, workload_of(60, 1000)).cost_per_job));
  }

  TEST_CASE("always-on sizing, idle share and capacity") {
    const auto dedicated = option_at(160.0 / 730);
    SUBCASE("just past one server's capacity needs two") {
      const auto e = estimate(Mode::always_on, dedicated, workload_of(420, 5006));
      CHECK(*e.workers == 2);
      CHECK(*e.capacity_jobs_per_month == 10011);
      CHECK(*e.capacity_jobs_per_month_full == 12514);
      CHECK(*e.monthly_cost == exactly(320));
      CHECK(e.cost_per_job == exactly(320.0 / 5006));
      CHECK(e.billed_seconds_per_job == exactly(2 * k_seconds_per_month / 5006));
      CHECK(e.split.execution == exactly(160.0 / k_seconds_per_month * 420));
      CHECK(e.utilization == exactly(420 * 5006 / (2 * k_seconds_per_month)));
      check_consistent(e, dedicated);
    }
    SUBCASE("exactly at capacity one server is enough") {
      auto workload = workload_of(600, 4380);
      workload.max_utilization = 1;
      const auto e = estimate(Mode::always_on, dedicated, workload);
      CHECK(*e.workers == 1);
      CHECK(e.split.idle == doctest::Approx(0).scale(1e-12));
      CHECK(e.utilization == exactly(1));
    }
    SUBCASE("slots multiply capacity and share the instance") {
      auto option = dedicated;
      option.slots = 2;
      const auto e = estimate(Mode::always_on, option, workload_of(420, 10000));
      CHECK(*e.workers == 1);
      CHECK(*e.capacity_jobs_per_month == 10011);
      CHECK(e.split.execution == exactly(160.0 / k_seconds_per_month * 420 / 2));
      check_consistent(e, option);
    }
  }

  TEST_CASE("always-on without volume is a flagged best case") {
    const auto dedicated = option_at(160.0 / 730);
    const auto e = estimate(Mode::always_on, dedicated, workload_of(420));
    CHECK(e.best_case);
    CHECK(has_note_containing(e, "best case"));
    CHECK(*e.workers == 1);
    CHECK(*e.capacity_jobs_per_month == 5005);
    // At full usable capacity the paid month is S / u_max per job.
    CHECK(e.billed_seconds_per_job == exactly(420 / 0.8));
    CHECK(e.cost_per_job == exactly(160.0 / k_seconds_per_month * 420 / 0.8));
    CHECK(e.utilization == exactly(0.8));
    CHECK(!e.monthly_cost);
    check_consistent(e, dedicated);
  }

  TEST_CASE("spot reruns lost work and says what it assumes") {
    auto option = option_at(1.0);
    option.interruptions_per_hour = 0.05;
    const double rerun = 3600 * (1 - std::exp(-0.05));
    SUBCASE("per-job") {
      const auto e = estimate(Mode::per_job, Pricing::spot, option, workload_of(3600));
      CHECK(e.pricing == Pricing::spot);
      CHECK(e.split.rerun == exactly(rerun / 3600));
      CHECK(e.billed_seconds_before_rounding == exactly(3600 + rerun));
      CHECK(e.billed_seconds_per_job == std::ceil(3600 + rerun));
      CHECK(has_note_containing(e, "no checkpoints; h = 0.05/h"));
      check_consistent(e, option);
    }
    SUBCASE("always-on: reruns shrink capacity") {
      const auto e = estimate(Mode::always_on, Pricing::spot, option, workload_of(3600, 100));
      CHECK(*e.capacity_jobs_per_month_full == std::floor(k_seconds_per_month / (3600 + rerun)));
      CHECK(e.split.rerun == exactly(rerun / 3600));
      CHECK(has_note_containing(e, "no checkpoints"));
      check_consistent(e, option);
    }
    SUBCASE("on-demand rows ignore interruptions") {
      const auto e = estimate(Mode::per_job, Pricing::on_demand, option, workload_of(3600));
      CHECK(e.split.rerun == 0);
      CHECK(e.notes.empty());
    }
    SUBCASE("keep-alive has no spot pricing") {
      CHECK(error_of(Mode::keep_alive, Pricing::spot, option, workload_of(60))
            == "spot pricing applies to per-job and always-on rows, not keep-alive");
    }
  }

  TEST_CASE("egress is added to every mode's cost and split") {
    auto option = option_at(1.0);
    option.egress_usd_per_job = 0.01;
    option.idle_timeout_s = 60;
    option.cold_start_s = 5;
    for (Mode mode : {Mode::per_job, Mode::keep_alive, Mode::always_on}) {
      CAPTURE(gpucost::to_string(mode));
      auto without = option;
      without.egress_usd_per_job = 0;
      const auto e = estimate(mode, option, workload_of(60, 1000));
      const auto base = estimate(mode, without, workload_of(60, 1000));
      CHECK(e.split.egress == 0.01);
      CHECK(e.cost_per_job == exactly(base.cost_per_job + 0.01));
      CHECK(e.billed_seconds_per_job == base.billed_seconds_per_job);
      check_consistent(e, option);
    }
  }

  TEST_CASE("the split adds up in every mode, pricing and traffic") {
    auto option = option_at(2.5);
    option.granularity_s = 10;
    option.minimum_s = 60;
    option.cold_start_s = 17;
    option.idle_timeout_s = 45;
    option.egress_usd_per_job = 0.003;
    option.interruptions_per_hour = 0.2;
    for (Mode mode : {Mode::per_job, Mode::keep_alive, Mode::always_on}) {
      for (Pricing pricing : {Pricing::on_demand, Pricing::spot}) {
        if (mode == Mode::keep_alive && pricing == Pricing::spot) {
          continue;
        }
        for (Traffic traffic : {Traffic::poisson, Traffic::sparse}) {
          for (std::optional<double> jobs :
               {std::optional<double>{}, std::optional<double>{3000}}) {
            CAPTURE(gpucost::to_string(mode));
            CAPTURE(gpucost::to_string(pricing));
            CAPTURE(gpucost::to_string(traffic));
            auto workload = workload_of(33, jobs);
            workload.traffic = traffic;
            workload.revenue_per_job = 1;
            const auto e = estimate(mode, pricing, option, workload);
            CHECK(e.mode == mode);
            CHECK(e.pricing == pricing);
            CHECK(e.job_seconds == 33);
            CHECK(*e.margin == exactly(1 - e.cost_per_job));
            check_consistent(e, option);
          }
        }
      }
    }
  }

  TEST_CASE("invalid inputs are rejected, naming the field") {
    const auto option = option_at(1.0);
    const auto workload = workload_of(60, 1000);
    auto with_option = [&](auto change) {
      auto changed = option;
      change(changed);
      return error_of(Mode::per_job, changed, workload);
    };
    auto with_workload = [&](auto change) {
      auto changed = workload;
      change(changed);
      return error_of(Mode::per_job, option, changed);
    };

    CHECK(with_workload([](ModelWorkload& w) { w.job_seconds = 0; })
          == "job_seconds must be positive (got 0)");
    CHECK(with_workload([](ModelWorkload& w) { w.job_seconds = -3; })
          == "job_seconds must be positive (got -3)");
    CHECK(with_workload([](ModelWorkload& w) { w.job_seconds = std::nan(""); })
          == "job_seconds must be a finite number (got nan)");
    CHECK(with_workload([](ModelWorkload& w) { w.job_seconds = HUGE_VAL; })
          == "job_seconds must be a finite number (got inf)");
    CHECK(with_workload([](ModelWorkload& w) { w.job_seconds = 4e7; })
          == "job_seconds must be at most one year, 31536000 s (got 40000000)");
    CHECK(with_workload([](ModelWorkload& w) { w.jobs_per_month = 0; })
          == "jobs_per_month must be positive (got 0); leave it out for the sparse-traffic bound");
    CHECK(with_workload([](ModelWorkload& w) { w.jobs_per_month = 2e9; })
          == "jobs_per_month must be at most 1000000000 (got 2000000000)");
    CHECK(with_workload([](ModelWorkload& w) { w.jobs_per_month = std::nan(""); })
          == "jobs_per_month must be a finite number (got nan)");
    CHECK(with_workload([](ModelWorkload& w) { w.max_utilization = 0; })
          == "max_utilization must be in (0, 1] (got 0)");
    CHECK(with_workload([](ModelWorkload& w) { w.max_utilization = 1.5; })
          == "max_utilization must be in (0, 1] (got 1.5)");
    CHECK(with_workload([](ModelWorkload& w) { w.max_utilization = std::nan(""); })
          == "max_utilization must be in (0, 1] (got nan)");
    CHECK(with_workload([](ModelWorkload& w) { w.revenue_per_job = 0; })
          == "revenue_per_job must be positive (got 0)");
    CHECK(with_option([](ModelOption& o) { o.usd_per_hour = 0; })
          == "usd_per_hour must be positive (got 0)");
    CHECK(with_option([](ModelOption& o) { o.usd_per_hour = HUGE_VAL; })
          == "usd_per_hour must be a finite number (got inf)");
    CHECK(with_option([](ModelOption& o) { o.granularity_s = 0; })
          == "granularity_s must be positive (got 0)");
    CHECK(with_option([](ModelOption& o) { o.minimum_s = -1; })
          == "minimum_s must not be negative (got -1)");
    CHECK(with_option([](ModelOption& o) { o.minimum_s = std::nan(""); })
          == "minimum_s must be a finite number (got nan)");
    CHECK(with_option([](ModelOption& o) { o.cold_start_s = -0.5; })
          == "cold_start_s must not be negative (got -0.5)");
    CHECK(with_option([](ModelOption& o) { o.idle_timeout_s = -1; })
          == "idle_timeout_s must not be negative (got -1)");
    CHECK(with_option([](ModelOption& o) { o.idle_timeout_s = HUGE_VAL; })
          == "idle_timeout_s must be a finite number (got inf)");
    CHECK(with_option([](ModelOption& o) { o.egress_usd_per_job = -0.01; })
          == "egress_usd_per_job must not be negative (got -0.01)");
    CHECK(with_option([](ModelOption& o) { o.interruptions_per_hour = -1; })
          == "interruptions_per_hour must not be negative (got -1)");
    CHECK(with_option([](ModelOption& o) { o.slots = 0; }) == "slots must be at least 1 (got 0)");
  }

  TEST_CASE("always-on refuses a job too long to size") {
    auto workload = workload_of(31536000, 1e9);
    CHECK(error_of(Mode::always_on, option_at(1.0), workload)
          == "always-on would need 15000000000 instances to carry 1000000000 jobs a month; the job "
             "is too long for this option");
  }
}

} // namespace gpucost_test_cost_model
