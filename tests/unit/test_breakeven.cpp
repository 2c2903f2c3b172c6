#include <gpucost/model/breakeven.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_breakeven {

using gpucost::best_idle_timeout;
using gpucost::breakeven_dedicated;
using gpucost::CostCurve;
using gpucost::CrossingSearch;
using gpucost::find_crossings;
using gpucost::Mode;
using gpucost::ModelWorkload;
using gpucost::Pricing;

namespace {

constexpr double k_seconds_per_month = 730.0 * 3600.0;

// Matches a value printed as `value` with `last_digit` the unit of its last digit.
doctest::Approx shown(double value, double last_digit) {
  return doctest::Approx(value).scale(0).epsilon(last_digit / 2 / std::abs(value) * (1 + 1e-9));
}

// Matches a value to a relative `tolerance`.
doctest::Approx near(double value, double tolerance = 1e-9) {
  return doctest::Approx(value).scale(0).epsilon(tolerance);
}

CostCurve curve(Mode mode, double usd_per_hour) {
  CostCurve result;
  result.mode = mode;
  result.option.usd_per_hour = usd_per_hour;
  return result;
}

ModelWorkload workload_of(double job_seconds) {
  ModelWorkload workload;
  workload.job_seconds = job_seconds;
  return workload;
}

// R4's per-video cost of a per-job option at `usd_per_hour` with S = 420 s.
double r4_cost_per_video(double usd_per_hour) {
  gpucost::ModelOption option;
  option.usd_per_hour = usd_per_hour;
  auto estimate =
      gpucost::estimate_cost(Mode::per_job, Pricing::on_demand, option, workload_of(420));
  REQUIRE(estimate);
  return estimate->cost_per_job;
}

// R4's dedicated L4 server: 160 USD a month, S = 420 s, capacity at the default 80%.
double r4_dedicated_capacity() {
  gpucost::ModelOption option;
  option.usd_per_hour = 160.0 / 730;
  auto estimate =
      gpucost::estimate_cost(Mode::always_on, Pricing::on_demand, option, workload_of(420));
  REQUIRE(estimate);
  return *estimate->capacity_jobs_per_month;
}

} // namespace

TEST_SUITE("breakeven") {
  TEST_CASE("R4: dedicated L4 at 160 USD a month against Vertex AI and Cloud Run") {
    const double capacity = r4_dedicated_capacity();
    CHECK(capacity == 5005);

    auto vertex = breakeven_dedicated(160, r4_cost_per_video(0.60), capacity);
    REQUIRE(vertex);
    CHECK(vertex->jobs_per_month == shown(2285.714, 0.001));
    CHECK(std::ceil(vertex->jobs_per_month) == 2286);
    CHECK(vertex->within_capacity);
    CHECK(vertex->servers == 1);
    CHECK(vertex->dedicated_ever_cheaper);
    CHECK(vertex->step_jobs_per_month == 5005);
    CHECK(vertex->capacity_jobs_per_month == 5005);
    CHECK(vertex->dedicated_usd_per_job_at_capacity == near(160.0 / 5005));

    auto cloud_run = breakeven_dedicated(160, r4_cost_per_video(0.40), capacity);
    REQUIRE(cloud_run);
    CHECK(cloud_run->jobs_per_month == shown(3428.571, 0.001));
    CHECK(std::ceil(cloud_run->jobs_per_month) == 3429);
    CHECK(cloud_run->within_capacity);
    // Past the step two servers are needed, and they only break even again at 2 N*.
    CHECK(cloud_run->second_server_breakeven_jobs_per_month == shown(6857.143, 0.001));
  }

  TEST_CASE("a break-even past one server's capacity reports the step") {
    auto result = breakeven_dedicated(160, 0.01, 5005);
    REQUIRE(result);
    CHECK(result->jobs_per_month == near(16000));
    CHECK(!result->within_capacity);
    CHECK(result->servers == 4);
    CHECK(result->step_jobs_per_month == 5005);
    CHECK(!result->dedicated_ever_cheaper);
    CHECK(result->dedicated_usd_per_job_at_capacity > 0.01);
  }

  TEST_CASE("a break-even exactly at capacity needs one server") {
    auto result = breakeven_dedicated(100, 0.1, 1000);
    REQUIRE(result);
    CHECK(result->servers == 1);
    CHECK(result->within_capacity);
  }

  TEST_CASE("breakeven_dedicated rejects bad inputs") {
    CHECK(breakeven_dedicated(0, 0.07, 5005).error().message
          == "monthly_usd must be positive (got 0)");
    CHECK(breakeven_dedicated(160, -0.07, 5005).error().message
          == "cost_per_job must be positive (got -0.07)");
    CHECK(breakeven_dedicated(160, 0.07, std::nan("")).error().message
          == "capacity_jobs_per_month must be a finite number (got nan)");
    CHECK(breakeven_dedicated(1e9, 1e-9, 1).error().message
          == "dedicated server at 1000000000 USD a month never breaks even against 1e-09 USD per "
             "job: it carries only 1 jobs a month");
  }

  TEST_CASE("crossings: per-job Vertex AI against a dedicated server") {
    auto crossings = find_crossings(
        curve(Mode::per_job, 0.60), curve(Mode::always_on, 160.0 / 730), workload_of(420));
    REQUIRE(crossings);
    REQUIRE(crossings->points.size() == 1);
    const auto& point = crossings->points[0];
    CHECK(point.jobs_per_month == near(160 / 0.07, 1e-8));
    CHECK(!point.first_cheaper_above);
    CHECK(point.first_monthly_usd == near(160, 1e-8));
    CHECK(point.second_monthly_usd == near(160));
    CHECK(crossings->feasible_up_to_jobs_per_month == 1e7);
  }

  TEST_CASE("crossings: Cloud Run against a dedicated server, across its steps") {
    CrossingSearch search;
    search.max_jobs_per_month = 1e5;
    search.points_per_decade = 200;
    auto crossings = find_crossings(
        curve(Mode::per_job, 0.40), curve(Mode::always_on, 160.0 / 730), workload_of(420), search);
    REQUIRE(crossings);
    // One server pays from N* = 3428.6 to its capacity 5005.7; two from 2 N* to 2 capacities;
    // three from 3 N* on, after which the option never wins again.
    const double n_star = 160 / (0.40 / 3600 * 420);
    const double capacity = k_seconds_per_month * 0.8 / 420;
    const std::vector<double> expected = {n_star, capacity, 2 * n_star, 2 * capacity, 3 * n_star};
    REQUIRE(crossings->points.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CAPTURE(i);
      CHECK(crossings->points[i].jobs_per_month == near(expected[i], 1e-8));
      CHECK(crossings->points[i].first_cheaper_above == (i % 2 == 1));
    }
  }

  TEST_CASE("crossings: keep-alive against per-job, and where one worker runs out") {
    CostCurve per_job = curve(Mode::per_job, 0.20);
    per_job.option.cold_start_s = 20;
    CostCurve keep_alive = curve(Mode::keep_alive, 0.20);
    keep_alive.option.cold_start_s = 20;
    keep_alive.option.idle_timeout_s = 300;
    CrossingSearch search;
    search.max_jobs_per_month = 1e6;
    auto crossings = find_crossings(per_job, keep_alive, workload_of(60), search);
    REQUIRE(crossings);
    REQUIRE(crossings->points.size() == 1);
    const auto& point = crossings->points[0];
    CHECK(!point.first_cheaper_above); // keep-alive gets cheaper as the volume grows
    CHECK(point.first_monthly_usd == near(point.second_monthly_usd, 1e-8));
    // One worker is full at S = 60 s: 43,800 jobs a month.
    CHECK(crossings->feasible_up_to_jobs_per_month < k_seconds_per_month / 60);
    CHECK(crossings->feasible_up_to_jobs_per_month > 0.9 * k_seconds_per_month / 60);
  }

  TEST_CASE("identical curves never cross") {
    auto crossings =
        find_crossings(curve(Mode::per_job, 0.40), curve(Mode::per_job, 0.40), workload_of(420));
    REQUIRE(crossings);
    CHECK(crossings->points.empty());
  }

  TEST_CASE("find_crossings reports invalid options and ranges") {
    auto invalid =
        find_crossings(curve(Mode::per_job, 0.40), curve(Mode::per_job, 0), workload_of(420));
    REQUIRE(!invalid);
    CHECK(invalid.error().message == "usd_per_hour must be positive (got 0)");

    CrossingSearch search;
    search.min_jobs_per_month = 0;
    CHECK(find_crossings(curve(Mode::per_job, 1), curve(Mode::per_job, 2), workload_of(1), search)
              .error()
              .message
          == "min_jobs_per_month must be positive (got 0)");
    search = {};
    search.max_jobs_per_month = 0.5;
    CHECK(find_crossings(curve(Mode::per_job, 1), curve(Mode::per_job, 2), workload_of(1), search)
              .error()
              .message
          == "max_jobs_per_month must be above min_jobs_per_month (1) and at most 1000000000 "
             "(got 0.5)");
    search = {};
    search.points_per_decade = 0;
    CHECK(find_crossings(curve(Mode::per_job, 1), curve(Mode::per_job, 2), workload_of(1), search)
              .error()
              .message
          == "points_per_decade must be between 1 and 10000 (got 0)");
  }

  TEST_CASE("best idle timeout with Poisson arrivals is all or nothing") {
    const double r = 0.0001; // USD per second
    const double k = 0.01;   // USD per cold start: K / r = 100 s
    const auto f = [&](double lambda, double t) {
      return r * (1 - std::exp(-lambda * t)) / lambda + k * std::exp(-lambda * t);
    };

    SUBCASE("jobs closer than K / r apart: keep warm") {
      auto choice = best_idle_timeout(r, 1.0 / 60, k, 5, 600);
      REQUIRE(choice);
      CHECK(choice->keep_warm);
      CHECK(!choice->ski_rental);
      CHECK(choice->best_timeout_s == 600);
      CHECK(*choice->usd_per_idle_period_at_user == near(f(1.0 / 60, 5)));
      CHECK(*choice->usd_per_idle_period_at_best == near(f(1.0 / 60, 600)));
      CHECK(*choice->usd_per_idle_period_at_best < *choice->usd_per_idle_period_at_user);
    }
    SUBCASE("jobs further apart than K / r: stop at once") {
      auto choice = best_idle_timeout(r, 1.0 / 3600, k, 300, 600);
      REQUIRE(choice);
      CHECK(!choice->keep_warm);
      CHECK(choice->best_timeout_s == 0);
      CHECK(*choice->usd_per_idle_period_at_best == near(k));
      CHECK(*choice->usd_per_idle_period_at_user == near(f(1.0 / 3600, 300)));
      CHECK(*choice->usd_per_idle_period_at_best < *choice->usd_per_idle_period_at_user);
    }
    SUBCASE("an always-on worker is the infinite timeout") {
      auto choice = best_idle_timeout(r, 1.0 / 60, k, 5, std::numeric_limits<double>::infinity());
      REQUIRE(choice);
      CHECK(std::isinf(choice->best_timeout_s));
      CHECK(*choice->usd_per_idle_period_at_best == near(r * 60));
    }
  }

  TEST_CASE("best idle timeout without an arrival model is the ski-rental K / r") {
    auto choice = best_idle_timeout(0.0001, std::nullopt, 0.01, 5, 600);
    REQUIRE(choice);
    CHECK(choice->ski_rental);
    CHECK(choice->best_timeout_s == near(100));
    CHECK(!choice->usd_per_idle_period_at_user);
    CHECK(!choice->usd_per_idle_period_at_best);

    auto capped = best_idle_timeout(0.0001, std::nullopt, 0.01, 5, 60);
    REQUIRE(capped);
    CHECK(capped->best_timeout_s == 60);
  }

  TEST_CASE("best_idle_timeout rejects bad inputs") {
    CHECK(best_idle_timeout(0, 0.1, 0.01, 5, 600).error().message
          == "usd_per_second must be positive (got 0)");
    CHECK(best_idle_timeout(0.001, 0.0, 0.01, 5, 600).error().message
          == "jobs_per_second must be positive (got 0)");
    CHECK(best_idle_timeout(0.001, 0.1, -1, 5, 600).error().message
          == "cold_start_usd must not be negative (got -1)");
    CHECK(best_idle_timeout(0.001, 0.1, 0.01, -5, 600).error().message
          == "user_timeout_s must not be negative (got -5)");
    CHECK(best_idle_timeout(0.001, 0.1, 0.01, 5, -1).error().message
          == "max_timeout_s must not be negative (got -1)");
    CHECK(best_idle_timeout(0.001, 0.1, 0.01, 5, std::nan("")).error().message
          == "max_timeout_s must not be negative (got nan)");
  }
}

} // namespace gpucost_test_breakeven
