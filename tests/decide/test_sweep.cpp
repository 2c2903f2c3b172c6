// `gpucost sweep` through the real CLI on R4's catalog: steps, log volumes, winner ranges.

#include "cli_runner.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_sweep {

namespace {

namespace fs = std::filesystem;

gpucost::test::CliOutcome run(std::vector<std::string> args) {
  const auto cache = fs::temp_directory_path() / "gpucost-sweep-cache";
  args.insert(args.begin(),
              {"sweep", "--catalog", "r4.catalog.json", "--ref-gpu", "L4", "--job-seconds", "420"});
  return gpucost::test::run_cli(args,
                                gpucost::test::pinned_env(cache.string()),
                                std::string(GPUCOST_SOURCE_DIR) + "/tests/golden/cases");
}

} // namespace

TEST_CASE("sweep: jobs a month in log steps; the dedicated server wins past R4's break-even") {
  const auto outcome =
      run({"--vary", "jobs-per-month=10..100000", "--steps", "5", "--format", "json"});
  INFO(outcome.err);
  REQUIRE(outcome.code == 0);
  const auto doc = nlohmann::json::parse(outcome.out);
  REQUIRE(doc["steps"].size() == 5);
  CHECK(doc["steps"][2]["value"].get<double>() == doctest::Approx(1000));
  CHECK(doc["steps"][0]["options"][0]["provider"] == "cloudrun");
  CHECK(doc["steps"][4]["options"][0]["provider"] == "dedicated-l4");
  REQUIRE(doc["winner_ranges"].size() == 2);
  CHECK(doc["winner_ranges"][0]["to"].get<double>() == doctest::Approx(1000));
  CHECK(doc["winner_ranges"][1]["from"].get<double>() == doctest::Approx(10000));
  CHECK(doc["winner_ranges"][1]["mode"] == "always-on");
}

TEST_CASE("sweep: job seconds in percent scale the cost per job") {
  const auto outcome = run({"--vary",
                            "job-seconds=-50%..+50%",
                            "--steps",
                            "3",
                            "--provider",
                            "vertex",
                            "--mode",
                            "per-job",
                            "--format",
                            "json"});
  REQUIRE(outcome.code == 0);
  const auto doc = nlohmann::json::parse(outcome.out);
  CHECK(doc["steps"][0]["options"][0]["cost_per_job"].get<double>() == doctest::Approx(0.035));
  CHECK(doc["steps"][2]["options"][0]["cost_per_job"].get<double>() == doctest::Approx(0.105));
}

TEST_CASE("sweep: one provider's price moves only its rows; bad specs exit 1") {
  const auto outcome = run(
      {"--vary", "price:vertex=-50%..0%", "--steps", "2", "--mode", "per-job", "--format", "json"});
  REQUIRE(outcome.code == 0);
  const auto doc = nlohmann::json::parse(outcome.out);
  // At -50% Vertex AI costs 0.035 a video, below Cloud Run's 0.046667.
  CHECK(doc["steps"][0]["options"][0]["provider"] == "vertex");
  CHECK(doc["steps"][1]["options"][0]["provider"] == "cloudrun");
  CHECK(run({"--vary", "nonsense=1..2"}).code == 1);
  CHECK(run({"--vary", "price=1..2"}).code == 1);
  CHECK(run({"--vary", "job-seconds=-30%..+30%", "--steps", "1"}).code == 1);
}

} // namespace gpucost_test_sweep
