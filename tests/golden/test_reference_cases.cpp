// The reference cases of docs/cost-model.md, run through the real CLI (`compare --format json`)
// and checked against the specification's numbers, independently of the golden files.

#include "cli_runner.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_reference_cases {

namespace {

namespace fs = std::filesystem;

const std::string k_cases = std::string(GPUCOST_SOURCE_DIR) + "/tests/golden/cases";

nlohmann::json compare_json(const std::vector<std::string>& args) {
  const gpucost::test::TempDir cache; // its own, so two test runs at once do not collide
  std::vector<std::string> full = {"compare"};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"--format", "json"});
  const auto outcome =
      gpucost::test::run_cli(full, gpucost::test::pinned_env(cache.path().string()), k_cases);
  INFO(outcome.err);
  REQUIRE(outcome.code == 0);
  return nlohmann::json::parse(outcome.out);
}

const nlohmann::json&
row(const nlohmann::json& result, const std::string& provider, const std::string& mode) {
  for (const auto& option : result["options"]) {
    if (option["provider"] == provider && option["mode"] == mode) {
      return option;
    }
  }
  FAIL("no row for " << provider << " " << mode);
  static const nlohmann::json none;
  return none;
}

} // namespace

TEST_CASE("R1: RunPod RTX 4090 pod, per-job, 15 s") {
  const auto result = compare_json({"--catalog",
                                    "r1.catalog.json",
                                    "--ref-gpu",
                                    "RTX 4090",
                                    "--job-seconds",
                                    "15",
                                    "--mode",
                                    "per-job"});
  REQUIRE(result["options"].size() == 1);
  CHECK(result["options"][0]["cost_per_job"].get<double>()
        == doctest::Approx(0.0030833).epsilon(1e-4));
  CHECK(result["options"][0]["billed_seconds_per_job"].get<double>() == doctest::Approx(15));
}

TEST_CASE("R2: destroy after each job") {
  const auto result = compare_json({"--catalog",
                                    "r2.catalog.json",
                                    "--ref-gpu",
                                    "RTX 3060",
                                    "--job-seconds",
                                    "60",
                                    "--mode",
                                    "per-job"});
  const auto& vast = row(result, "vastai", "per-job");
  CHECK(vast["billed_seconds_per_job"].get<double>() == doctest::Approx(80));
  CHECK(vast["cost_per_job"].get<double>() == doctest::Approx(0.0044444).epsilon(1e-4));
  const auto& runpod = row(result, "runpod", "per-job");
  CHECK(runpod["billed_seconds_per_job"].get<double>() == doctest::Approx(61));
  CHECK(runpod["cost_per_job"].get<double>() == doctest::Approx(0.0030500).epsilon(1e-4));
}

TEST_CASE("R3: idle timeout 300 s, sparse bound and Poisson") {
  const std::vector<std::string> base = {"--catalog",
                                         "r3.catalog.json",
                                         "--ref-gpu",
                                         "RTX 3060",
                                         "--job-seconds",
                                         "60",
                                         "--mode",
                                         "keep-alive",
                                         "--idle-timeout",
                                         "300"};
  SUBCASE("sparse bound without volume") {
    const auto result = compare_json(base);
    CHECK(row(result, "vastai", "keep-alive")["billed_seconds_per_job"].get<double>()
          == doctest::Approx(360));
    CHECK(row(result, "vastai", "keep-alive")["cost_per_job"].get<double>()
          == doctest::Approx(0.02));
    CHECK(row(result, "runpod", "keep-alive")["cost_per_job"].get<double>()
          == doctest::Approx(0.018));
  }
  SUBCASE("sparse bound at 1000 jobs a month") {
    auto args = base;
    args.insert(args.end(), {"--traffic", "sparse", "--jobs-per-month", "1000"});
    const auto result = compare_json(args);
    CHECK(row(result, "vastai", "keep-alive")["monthly_cost"].get<double>()
          == doctest::Approx(20.0));
    CHECK(row(result, "runpod", "keep-alive")["monthly_cost"].get<double>()
          == doctest::Approx(18.0));
  }
  SUBCASE("Poisson at 1000 jobs a month") {
    auto args = base;
    args.insert(args.end(), {"--jobs-per-month", "1000"});
    const auto result = compare_json(args);
    const auto& vast = row(result, "vastai", "keep-alive");
    CHECK(vast["p_cold"].get<double>() == doctest::Approx(0.871751).epsilon(1e-5));
    CHECK(vast["split"]["idle"].get<double>() / (0.20 / 3600)
          == doctest::Approx(277.04).epsilon(1e-4));
    CHECK(vast["billed_seconds_per_job"].get<double>() == doctest::Approx(337.47).epsilon(1e-4));
    CHECK(vast["cost_per_job"].get<double>() == doctest::Approx(0.018749).epsilon(1e-4));
    CHECK(vast["monthly_cost"].get<double>() == doctest::Approx(18.75).epsilon(1e-3));
    const auto& runpod = row(result, "runpod", "keep-alive");
    CHECK(runpod["cost_per_job"].get<double>() == doctest::Approx(0.016874).epsilon(1e-4));
    CHECK(runpod["monthly_cost"].get<double>() == doctest::Approx(16.87).epsilon(1e-3));
  }
}

TEST_CASE("R4: transcription per video, margin") {
  const auto result = compare_json({"--catalog",
                                    "r4.catalog.json",
                                    "--ref-gpu",
                                    "L4",
                                    "--job-seconds",
                                    "420",
                                    "--mode",
                                    "per-job",
                                    "--revenue-per-job",
                                    "14"});
  const auto& vertex = row(result, "vertex", "per-job");
  CHECK(vertex["cost_per_job"].get<double>() == doctest::Approx(0.07));
  CHECK(vertex["margin"].get<double>() == doctest::Approx(0.995));
  CHECK(row(result, "cloudrun", "per-job")["cost_per_job"].get<double>()
        == doctest::Approx(0.046667).epsilon(1e-4));
}

TEST_CASE("R4: dedicated L4 capacity") {
  const auto result = compare_json({"--catalog",
                                    "r4.catalog.json",
                                    "--ref-gpu",
                                    "L4",
                                    "--job-seconds",
                                    "420",
                                    "--mode",
                                    "always-on",
                                    "--provider",
                                    "dedicated-l4",
                                    "--jobs-per-month",
                                    "1000"});
  const auto& dedicated = row(result, "dedicated-l4", "always-on");
  CHECK(dedicated["monthly_cost"].get<double>() == doctest::Approx(160));
  CHECK(dedicated["capacity_jobs_per_month"].get<double>() == doctest::Approx(5005));
  CHECK(dedicated["capacity_jobs_per_month_full"].get<double>() == doctest::Approx(6257));
}

TEST_CASE("R5: keep-alive closed form") {
  struct Row {
    const char* jobs;
    const char* seconds;
    const char* timeout;
    const char* cold_start;
    double p_cold;
    double billed;
  };
  const Row rows[] = {{"4380", "120", "5", "30", 0.7559, 146.85},
                      {"4380", "120", "600", "30", 0.2890, 426.75},
                      {"21900", "60", "30", "20", 0.3447, 78.81},
                      {"2365200", "0.5", "5", "2", 0.0060, 1.11}};
  for (const auto& r : rows) {
    CAPTURE(r.jobs);
    CAPTURE(r.timeout);
    const auto result = compare_json({"--catalog",
                                      "r5.catalog.json",
                                      "--ref-gpu",
                                      "L4",
                                      "--job-seconds",
                                      r.seconds,
                                      "--mode",
                                      "keep-alive",
                                      "--idle-timeout",
                                      r.timeout,
                                      "--cold-start",
                                      r.cold_start,
                                      "--jobs-per-month",
                                      r.jobs});
    const auto& option = row(result, "example", "keep-alive");
    CHECK(option["p_cold"].get<double>() == doctest::Approx(r.p_cold).epsilon(1e-3).scale(1));
    CHECK(option["billed_seconds_per_job"].get<double>()
          == doctest::Approx(r.billed).epsilon(5e-3));
  }
}

TEST_CASE("R6: AWS 60 s billing minimum") {
  const auto result = compare_json({"--catalog",
                                    "r6.catalog.json",
                                    "--ref-gpu",
                                    "A10G",
                                    "--job-seconds",
                                    "15",
                                    "--mode",
                                    "per-job"});
  const auto& aws = row(result, "aws", "per-job");
  CHECK(aws["billed_seconds_per_job"].get<double>() == doctest::Approx(60));
  CHECK(aws["cost_per_job"].get<double>() == doctest::Approx(0.0167667).epsilon(1e-4));
}

} // namespace gpucost_test_reference_cases
