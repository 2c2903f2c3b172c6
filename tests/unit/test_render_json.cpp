#include "sample_result.hpp"

#include <gpucost/render/render.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_render_json {

using gpucost::CompareResult;
using gpucost::render_compare_json;
using gpucost::test::sample_result;
using Json = nlohmann::ordered_json;

namespace {

// The sample's rendering, checked in so that tests/schema/validate_compare_json.py can check it
// against docs/compare.schema.json. GPUCOST_UPDATE_GOLDEN=1 rewrites it.
const std::string k_fixture = GPUCOST_TEST_FIXTURES "/render/sample_compare.json";

Json parse(const std::string& text) {
  Json document = Json::parse(text, nullptr, false);
  REQUIRE(!document.is_discarded());
  return document;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

} // namespace

TEST_SUITE("render_json") {
  TEST_CASE("the document parses back, keys in order, with a trailing newline") {
    const std::string text = render_compare_json(sample_result());
    CHECK(text.substr(text.size() - 2) == "}\n");
    const Json document = parse(text);
    CHECK(document.begin().key() == "schema");
    CHECK(document["schema"] == "gpucost/compare");
    CHECK(document["schemaVersion"] == 1);
    CHECK(document["tool_version"] == "0.1.0");
    CHECK(document["generatedAt"] == "2026-11-23T12:00:00Z");
    CHECK(document["currency"] == "USD");
    CHECK(document["workload"]["name"] == "render-60s");
    CHECK(document["workload"]["traffic"] == "poisson");
    CHECK(document["catalog"]["sources"].size() == 3);
    CHECK(document["catalog"]["sources"][1]["offers"] == 340);
    CHECK(document["warnings"][0] == "lambda: no offer has an RTX 4090; left out");
    REQUIRE(document["options"].size() == 4);
    const Json& spot = document["options"][2];
    CHECK(spot["rank"] == 3);
    CHECK(spot["mode"] == "per-job");
    CHECK(spot["pricing"] == "spot");
    CHECK(spot["price_per_hour"] == 1.006);
    CHECK(spot["split"]["rounding"] == 0.012575);
    CHECK(spot["defaulted"] == Json::array({"interruptions_per_hour", "cold_start_billed"}));
    CHECK(spot["notes"].size() == 2);
    CHECK(spot["best_case"] == false);
  }

  TEST_CASE("full precision: the exact double comes back") {
    const std::string text = render_compare_json(sample_result());
    CHECK(text.find("\"cost_per_job\": 0.0030833333333333333,") != std::string::npos);
    const Json document = parse(text);
    CHECK(document["options"][0]["cost_per_job"].get<double>() == 0.0030833333333333333);
    CHECK(document["options"][3]["price_per_hour"].get<double>() == 0.25205479452054796);
    CHECK(document["options"][2]["margin"].get<double>() == -3.1916666666666664);
  }

  TEST_CASE("unknown values are null") {
    const Json document = parse(render_compare_json(sample_result()));
    CHECK(document["workload"]["idle_timeout_s"].is_null());
    CHECK(document["workload"]["output_gb"].is_null());
    CHECK(document["catalog"]["sources"][2]["provider"].is_null());
    CHECK(document["catalog"]["sources"][2]["fetched_at"].is_null());
    const Json& pod = document["options"][0];
    CHECK(pod["workers"].is_null());
    CHECK(pod["busy_share"].is_null());
    CHECK(pod["capacity_jobs_per_month"].is_null());
    const Json& dedicated = document["options"][3];
    CHECK(dedicated["fetched_at"].is_null());
    CHECK(dedicated["price_age_s"].is_null());
    CHECK(dedicated["workers"] == 1);
    CHECK(dedicated["capacity_jobs_per_month_full"] == 87600);
  }

  TEST_CASE("NaN and infinity never reach the output") {
    CompareResult result = sample_result();
    result.options[0].estimate.utilization = std::numeric_limits<double>::quiet_NaN();
    result.options[0].estimate.monthly_cost = -std::numeric_limits<double>::infinity();
    result.workload.max_utilization = std::numeric_limits<double>::infinity();
    const std::string text = render_compare_json(result);
    CHECK(text.find("NaN") == std::string::npos);
    CHECK(text.find("nan") == std::string::npos);
    CHECK(text.find("inf") == std::string::npos);
    const Json document = parse(text);
    CHECK(document["options"][0]["utilization"].is_null());
    CHECK(document["options"][0]["monthly_cost"].is_null());
    CHECK(document["workload"]["max_utilization"].is_null());
  }

  TEST_CASE("an empty result is still a whole document") {
    const Json document = parse(render_compare_json(CompareResult{}));
    CHECK(document["options"] == Json::array());
    CHECK(document["warnings"] == Json::array());
    CHECK(document["generatedAt"].is_null());
    CHECK(document["catalog"]["sha256"].is_null());
    CHECK(document["workload"]["job_seconds"].is_null());
    CHECK(document["workload"]["measured_seconds"] == Json::object());
  }

  TEST_CASE("invalid UTF-8 from a provider is replaced, not thrown") {
    CompareResult result = sample_result();
    result.options[0].offer.name = "bad\xff";
    const Json document = parse(render_compare_json(result));
    CHECK(document["options"][0]["name"] == "bad\xef\xbf\xbd");
  }

  TEST_CASE("the sample matches tests/fixtures/render/sample_compare.json") {
    const std::string text = render_compare_json(sample_result());
    const char* update = std::getenv("GPUCOST_UPDATE_GOLDEN");
    if (update != nullptr && std::string(update) == "1") {
      std::ofstream(k_fixture, std::ios::binary) << text;
    }
    CHECK(read_file(k_fixture) == text);
  }
}

} // namespace gpucost_test_render_json
