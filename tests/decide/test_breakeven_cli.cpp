// `gpucost breakeven` through the real CLI: R4 of cost-model.md (break-even 2,286 and 3,429 videos
// a month, capacity 6,257 and 5,005 at 80%), JSON pairs and the chart.

#include "cli_runner.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_breakeven_cli {

namespace {

namespace fs = std::filesystem;

const std::string k_cases = std::string(GPUCOST_SOURCE_DIR) + "/tests/golden/cases";

gpucost::test::CliOutcome run(std::vector<std::string> args) {
  const auto cache = fs::temp_directory_path() / "gpucost-breakeven-cache";
  return gpucost::test::run_cli(args, gpucost::test::pinned_env(cache.string()), k_cases);
}

const std::vector<std::string> k_r4 = {
    "breakeven", "--catalog", "r4.catalog.json", "--ref-gpu", "L4", "--job-seconds", "420"};

const nlohmann::json& pair(const nlohmann::json& doc, const std::string& a, const std::string& b) {
  for (const auto& row : doc["pairs"]) {
    if ((row["a"] == a && row["b"] == b) || (row["a"] == b && row["b"] == a)) {
      return row;
    }
  }
  FAIL("no pair " << a << " / " << b);
  static const nlohmann::json none;
  return none;
}

} // namespace

TEST_CASE("R4: break-even of a dedicated L4 against Vertex AI and Cloud Run") {
  auto args = k_r4;
  args.insert(args.end(), {"--format", "json"});
  const auto outcome = run(args);
  INFO(outcome.err);
  REQUIRE(outcome.code == 0);
  const auto doc = nlohmann::json::parse(outcome.out);
  const std::string dedicated = "dedicated-l4 dedicated L4 always-on";
  const auto& vertex = pair(doc, dedicated, "vertex vm L4 per-job");
  CHECK(vertex["jobs_per_month"].get<double>() == doctest::Approx(160.0 / 0.07).epsilon(1e-8));
  CHECK(std::ceil(vertex["jobs_per_month"].get<double>()) == 2286);
  CHECK(vertex["cheaper_below"] == "vertex vm L4 per-job");
  CHECK(vertex["cheaper_above"] == dedicated);
  CHECK(vertex["capacity_jobs_per_month"].get<double>() == 5005);
  CHECK(vertex["capacity_jobs_per_month_full"].get<double>() == 6257);
  CHECK(vertex["servers_needed"] == 1);
  const auto& cloudrun = pair(doc, dedicated, "cloudrun serverless L4 per-job");
  CHECK(std::ceil(cloudrun["jobs_per_month"].get<double>()) == 3429);
  // Two always-on rows of one worker each never cross below capacity: null.
  CHECK(pair(doc, dedicated, "vertex vm L4 always-on")["jobs_per_month"].is_null());
  CHECK(doc["pairs"].size() == 15); // six options, every pair
}

TEST_CASE("R4: the table rounds break-evens up and capacities down") {
  const auto outcome = run(k_r4);
  REQUIRE(outcome.code == 0);
  CHECK(outcome.out.find("2,286") != std::string::npos);
  CHECK(outcome.out.find("3,429") != std::string::npos);
  CHECK(outcome.out.find("5,005 (6,257 at 100%)") != std::string::npos);
}

TEST_CASE("breakeven: margins with --revenue-per-job") {
  auto args = k_r4;
  args.insert(args.end(),
              {"--revenue-per-job", "14", "--jobs-per-month", "1000", "--format", "json"});
  const auto outcome = run(args);
  REQUIRE(outcome.code == 0);
  const auto doc = nlohmann::json::parse(outcome.out);
  bool vertex_seen = false;
  for (const auto& option : doc["options"]) {
    if (option["option"] == "vertex vm L4 per-job") {
      CHECK(option["margin"].get<double>() == doctest::Approx(0.995));
      vertex_seen = true;
    }
    if (option["option"] == "dedicated-l4 dedicated L4 always-on") {
      CHECK(option["pays_for_itself_jobs_per_month"].get<double>()
            == doctest::Approx(160.0 / 14.0));
    }
  }
  CHECK(vertex_seen);
}

TEST_CASE("breakeven: a bad --top exits 1") {
  auto args = k_r4;
  args.insert(args.end(), {"--top", "1"});
  const auto outcome = run(args);
  CHECK(outcome.code == 1);
  CHECK(outcome.err.find("--top") != std::string::npos);
}

} // namespace gpucost_test_breakeven_cli
