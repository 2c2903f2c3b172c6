// The decision matrix: R7 of cost-model.md through the real CLI, the closed-form flip weights
// against a direct evaluation, normalisation, weights parsing, bad score files and sampling.

#include "cli_runner.hpp"

#include <gpucost/model/matrix.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_matrix {

namespace {

namespace fs = std::filesystem;

const std::string k_fixtures = std::string(GPUCOST_TEST_FIXTURES) + "/matrix";
const std::string k_levels = "startup_speed=critical,native_autoscaling=critical,"
                             "idle_timeout=critical,ease_of_use=high,cost_without_idle=high,"
                             "cost_with_idle=high,reliability=high,api_quality=medium,"
                             "documentation=medium,absolute_price=medium";

gpucost::test::CliOutcome run(std::vector<std::string> args) {
  const auto cache = fs::temp_directory_path() / "gpucost-matrix-cache";
  args.insert(args.begin(), "matrix");
  return gpucost::test::run_cli(args, gpucost::test::pinned_env(cache.string()), k_fixtures);
}

nlohmann::json run_json(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json"});
  const auto outcome = run(args);
  INFO(outcome.err);
  REQUIRE(outcome.code == 0);
  return nlohmann::json::parse(outcome.out);
}

const nlohmann::json& option(const nlohmann::json& doc, const std::string& name) {
  for (const auto& row : doc["options"]) {
    if (row["option"] == name) {
      return row;
    }
  }
  FAIL("no option " << name);
  static const nlohmann::json none;
  return none;
}

const nlohmann::json& flip(const nlohmann::json& doc, const std::string& criterion) {
  for (const auto& row : doc["sensitivity"]) {
    if (row["criterion"] == criterion) {
      return row;
    }
  }
  FAIL("no sensitivity row for " << criterion);
  static const nlohmann::json none;
  return none;
}

} // namespace

TEST_CASE("R7: seed 003's matrix with equal weights gives RunPod 91 and Vast.ai 55") {
  const auto doc = run_json({"--scores", "r7_seed003.csv"});
  CHECK(option(doc, "RunPod")["total"].get<double>() == doctest::Approx(91.0));
  CHECK(option(doc, "Vast.ai")["total"].get<double>() == doctest::Approx(55.0));
  CHECK(option(doc, "RunPod")["rank"] == 1);
  CHECK(option(doc, "Vast.ai")["distance_to_first"].get<double>() == doctest::Approx(36.0));
  CHECK(option(doc, "RunPod")["contributions"]["startup_speed"].get<double>()
        == doctest::Approx(10.0));
  // The winner flips only if absolute price weighs about 68% (from 10%), cost without idle 80%.
  CHECK(flip(doc, "absolute_price")["weight"].get<double>() == doctest::Approx(0.1));
  CHECK(flip(doc, "absolute_price")["flip_weight"].get<double>() == doctest::Approx(38.0 / 56.0));
  CHECK(flip(doc, "cost_without_idle")["flip_weight"].get<double>()
        == doctest::Approx(37.0 / 46.0));
  CHECK(flip(doc, "startup_speed")["flip_weight"].is_null());
}

TEST_CASE("R7: the seed's levels critical, high, medium = 3, 2, 1 give 93 and 46") {
  const auto doc = run_json({"--scores", "r7_seed003.csv", "--weights", k_levels});
  CHECK(option(doc, "RunPod")["total"].get<double>() == doctest::Approx(93.0));
  CHECK(option(doc, "Vast.ai")["total"].get<double>() == doctest::Approx(46.0));
  // A criterion an explicit list leaves out weighs 1 (medium): the same totals.
  const auto partial =
      run_json({"--scores",
                "r7_seed003.csv",
                "--weights",
                "startup_speed=3,native_autoscaling=3,idle_timeout=critical,ease_of_use=high,"
                "cost_without_idle=2,cost_with_idle=high,reliability=high"});
  CHECK(option(partial, "Vast.ai")["total"].get<double>() == doctest::Approx(46.0));
}

TEST_CASE("matrix: the table shows the totals and the flip weights") {
  const auto outcome = run({"--scores", "r7_seed003.csv"});
  REQUIRE(outcome.code == 0);
  CHECK(outcome.out.find("91.0") != std::string::npos);
  CHECK(outcome.out.find("67.9%") != std::string::npos);
  CHECK(outcome.out.find("80.4%") != std::string::npos);
}

TEST_CASE("matrix: a bad score file names the file, line and field; exit 1") {
  const auto outcome = run({"--scores", "bad_score.csv"});
  CHECK(outcome.code == 1);
  CHECK(outcome.err.find("bad_score.csv:2: field \"price\"") != std::string::npos);
  const auto unknown = run({"--scores", "r7_seed003.csv", "--weights", "startup_sped=3"});
  CHECK(unknown.code == 1);
  CHECK(unknown.err.find("did you mean \"startup_speed\"") != std::string::npos);
}

TEST_CASE("matrix: closed-form flip weights tie the two options exactly") {
  gpucost::MatrixInput input;
  input.options = {"a", "b", "c"};
  input.criteria = {{"x", "", true, {9, 2, 5}, gpucost::Normalisation::given},
                    {"y", "", true, {3, 8, 4}, gpucost::Normalisation::given},
                    {"z", "", true, {7, 6, 9}, gpucost::Normalisation::given}};
  input.weights = {2, 1, 1};
  const auto result = gpucost::evaluate_matrix(input, {});
  REQUIRE(result);
  REQUIRE(result->rows.front().option == "a");
  int checked = 0;
  for (const auto& f : result->flips) {
    if (!f.flip_weight) {
      continue;
    }
    // Re-weight: the criterion at the flip weight, the others rescaled in proportion.
    std::vector<double> w = result->weights;
    std::size_t k = 0;
    while (result->criteria[k] != f.criterion) {
      ++k;
    }
    for (std::size_t c = 0; c < w.size(); ++c) {
      w[c] = c == k ? *f.flip_weight : w[c] * (1 - *f.flip_weight) / (1 - result->weights[k]);
    }
    const auto total = [&](std::size_t o) {
      double sum = 0;
      for (std::size_t c = 0; c < w.size(); ++c) {
        sum += w[c] * input.criteria[c].values[o];
      }
      return sum;
    };
    const std::size_t rival = f.rival == "b" ? 1 : 2;
    CHECK(total(0) == doctest::Approx(total(rival)));
    ++checked;
  }
  CHECK(checked > 0);
}

TEST_CASE("matrix: min-max and fixed bounds") {
  gpucost::MatrixInput input;
  input.options = {"cheap", "mid", "dear"};
  input.criteria = {{"cost", "USD", false, {1, 2, 3}, gpucost::Normalisation::min_max}};
  input.weights = {1};
  auto result = gpucost::evaluate_matrix(input, {});
  REQUIRE(result);
  CHECK(result->rows[0].scores[0] == doctest::Approx(10));
  CHECK(result->rows[1].scores[0] == doctest::Approx(5));
  CHECK(result->rows[2].scores[0] == doctest::Approx(0));
  input.criteria[0].normalisation = gpucost::Normalisation::bounds;
  input.criteria[0].lower = 0;
  input.criteria[0].upper = 4;
  result = gpucost::evaluate_matrix(input, {});
  REQUIRE(result);
  CHECK(result->rows[0].scores[0] == doctest::Approx(7.5));
  CHECK(result->rows[2].scores[0] == doctest::Approx(2.5));
  input.criteria[0].values = {2, 2, 2};
  input.criteria[0].normalisation = gpucost::Normalisation::min_max;
  result = gpucost::evaluate_matrix(input, {});
  REQUIRE(result);
  CHECK(result->rows[2].scores[0] == doctest::Approx(10)); // all equal: all 10
}

TEST_CASE("matrix: weight sampling is reproducible and sums to one") {
  gpucost::MatrixInput input;
  input.options = {"a", "b"};
  input.criteria = {{"x", "", true, {10, 0}, gpucost::Normalisation::given},
                    {"y", "", true, {0, 9}, gpucost::Normalisation::given}};
  input.weights = {1, 1};
  const auto first = gpucost::evaluate_matrix(input, {2000, 7, 50});
  const auto again = gpucost::evaluate_matrix(input, {2000, 7, 50});
  REQUIRE(first);
  REQUIRE(again);
  CHECK(*first->rows[0].chance_first == *again->rows[0].chance_first);
  CHECK(*first->rows[0].chance_first + *first->rows[1].chance_first == doctest::Approx(1));
  // a leads by 0.5 of 10 at equal weights: it wins most but not all draws.
  CHECK(*first->rows[0].chance_first > 0.5);
  CHECK(*first->rows[0].chance_first < 1.0);
}

TEST_CASE("matrix: computed criteria from a catalog joined with --scores by option label") {
  const auto doc = run_json({"--catalog",
                             "r4.catalog.json",
                             "--ref-gpu",
                             "L4",
                             "--job-seconds",
                             "420",
                             "--top",
                             "2",
                             "--scores",
                             "r4_support.csv",
                             "--criteria",
                             "cost_per_job",
                             "--weights",
                             "support=3"});
  REQUIRE(doc["options"].size() == 2);
  // Min-max on two options: the cheaper per job scores 10, the other 0; support as given.
  const auto& dedicated = option(doc, "dedicated-l4 dedicated L4 always-on");
  const auto& cloudrun = option(doc, "cloudrun serverless L4 per-job");
  CHECK(dedicated["scores"]["cost_per_job"].get<double>() == doctest::Approx(10));
  CHECK(cloudrun["scores"]["cost_per_job"].get<double>() == doctest::Approx(0));
  CHECK(dedicated["total"].get<double>() == doctest::Approx((10 * 1 + 2 * 3) / 4.0 * 10));
  CHECK(cloudrun["total"].get<double>() == doctest::Approx((0 * 1 + 9 * 3) / 4.0 * 10));
  CHECK(cloudrun["rank"] == 1);
  CHECK(doc["criteria"][0]["normalisation"] == "min-max");
  CHECK(doc["criteria"][1]["normalisation"] == "given");
}

} // namespace gpucost_test_matrix
