// Lambda Cloud adapter: the instance-types parser on the project's fixtures and the real sample,
// the GPU description reader, and fetch against the loopback server.

#include "loopback_server.hpp"
#include "provider_test_util.hpp"

#include <gpucost/sources/providers/lambda.hpp>

#include <doctest/doctest.h>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_lambda {

using gpucost::FetchResult;
using gpucost::Offer;
using gpucost::Product;
using gpucost::test::fixture;
using gpucost::test::has_warning;
using gpucost::test::offers_where;
using gpucost::test::test_context;

namespace {

const std::string k_source = "https://cloud.lambda.ai/api/v1/instance-types";

FetchResult parse_fixture() {
  auto result = gpucost::parse_lambda_instance_types(fixture("lambda/instance-types.json"),
                                                     test_context(k_source));
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  return *result;
}

std::vector<Offer> of_type(const FetchResult& result, const std::string& name) {
  return offers_where(result, [&](const Offer& o) { return o.name == name; });
}

} // namespace

TEST_SUITE("lambda") {
  TEST_CASE("parse_lambda_gpu_description splits count, model, memory and form factor") {
    auto h100 = gpucost::parse_lambda_gpu_description("8x H100 (80 GB SXM5)");
    REQUIRE(h100);
    CHECK(h100->count == 8);
    CHECK(h100->model == "H100");
    CHECK(h100->memory_gb == 80);
    CHECK(h100->form_factor == "SXM5");

    auto gh200 = gpucost::parse_lambda_gpu_description("GH200 (96 GB)");
    REQUIRE(gh200);
    CHECK(!gh200->count);
    CHECK(gh200->model == "GH200");
    CHECK(gh200->memory_gb == 96);
    CHECK(gh200->form_factor.empty());

    auto v100 = gpucost::parse_lambda_gpu_description("Tesla V100 (16 GB)");
    REQUIRE(v100);
    CHECK(v100->model == "Tesla V100");

    auto bare = gpucost::parse_lambda_gpu_description("A6000");
    REQUIRE(bare);
    CHECK(bare->model == "A6000");
    CHECK(!bare->memory_gb);

    CHECK(!gpucost::parse_lambda_gpu_description("N/A"));
    CHECK(!gpucost::parse_lambda_gpu_description(""));
    CHECK(!gpucost::parse_lambda_gpu_description("4x CPU General (16 GiB)"));
  }

  TEST_CASE("one vm row per region with capacity, priced per instance from cents") {
    const auto result = parse_fixture();
    const auto h100 = of_type(result, "gpu_1x_h100_sxm5");
    REQUIRE(h100.size() == 2);
    CHECK(h100[0].region == "us-south-2");
    CHECK(h100[1].region == "us-south-3");
    const auto& offer = h100[0];
    CHECK(offer.provider == "lambda");
    CHECK(offer.product == Product::vm);
    CHECK(offer.gpu == "H100 SXM"); // "H100 (80 GB SXM5)" via the "H100 SXM5" alias
    CHECK(offer.gpu_count == 1);
    CHECK(offer.gpu_memory_gb == 80);
    CHECK(offer.vcpus == 26);
    CHECK(offer.ram_gb == doctest::Approx(241.6)); // 225 GiB
    CHECK(offer.price_per_hour == doctest::Approx(3.29));
    CHECK(!offer.spot_price_per_hour);
    CHECK(offer.source == k_source);
    CHECK(offer.fetched_at == "2026-11-23T12:00:00Z");
  }

  TEST_CASE("string cents, and the memory check keeps a 40 GB A100 apart from the 80 GB one") {
    const auto result = parse_fixture();
    const auto a100_40 = of_type(result, "gpu_8x_a100");
    REQUIRE(a100_40.size() == 1);
    CHECK(a100_40[0].gpu == "A100 40GB"); // "A100 SXM4" is an alias of the 80 GB card
    CHECK(a100_40[0].gpu_count == 8);
    CHECK(a100_40[0].price_per_hour == doctest::Approx(10.32)); // "1032"
    const auto a100_80 = of_type(result, "gpu_8x_a100_80gb_sxm4");
    REQUIRE(a100_80.size() == 1);
    CHECK(a100_80[0].gpu == "A100 80GB");
  }

  TEST_CASE("a sold-out type is kept once, without a region, with a note") {
    const auto result = parse_fixture();
    const auto gh200 = of_type(result, "gpu_1x_gh200");
    REQUIRE(gh200.size() == 1);
    CHECK(gh200[0].region.empty());
    CHECK(gh200[0].gpu == "GH200");
    CHECK(gh200[0].price_per_hour == doctest::Approx(1.49));
    CHECK(gh200[0].notes.find("no capacity in any region at fetch time") != std::string::npos);
  }

  TEST_CASE("description stands in for a missing gpu_description") {
    const auto result = parse_fixture();
    const auto v100 = of_type(result, "gpu_8x_v100");
    REQUIRE(v100.size() == 1);
    CHECK(v100[0].gpu == "V100");
    CHECK(v100[0].gpu_memory_gb == 16);
  }

  TEST_CASE("an RTX 6000 of 24 GB is not the 48 GB RTX 6000 Ada: kept as is, with a warning") {
    const auto result = parse_fixture();
    const auto rtx = of_type(result, "gpu_1x_rtx6000");
    REQUIRE(rtx.size() == 1);
    CHECK(rtx[0].gpu == "RTX 6000");
    CHECK(rtx[0].gpu_memory_gb == 24);
    CHECK(rtx[0].price_per_hour == doctest::Approx(0.5));
    CHECK(has_warning(result,
                      "lambda: unknown GPU \"RTX 6000\" kept as is (add it to data/gpus.json)"));
  }

  TEST_CASE("CPU types are skipped silently, unpriced types with a counting warning") {
    const auto result = parse_fixture();
    CHECK(of_type(result, "cpu_4x_general").empty());
    CHECK(of_type(result, "gpu_1x_a10").empty());
    CHECK(result.offers.size() == 2 + 1 + 1 + 1 + 1 + 1);
    CHECK(has_warning(result,
                      "lambda: skipped 1 instance type(s) without a price "
                      "(price_cents_per_hour null or 0)"));
    CHECK(result.warnings.size() == 2);
  }

  TEST_CASE("error answers and broken JSON") {
    const auto context = test_context(k_source);
    SUBCASE("an error object") {
      const auto result =
          gpucost::parse_lambda_instance_types(fixture("lambda/invalid-key.json"), context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "lambda: " + k_source
                   + " answered with an error: API key was invalid, expired, or deleted.");
    }
    SUBCASE("no data") {
      const auto result = gpucost::parse_lambda_instance_types("{}", context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "lambda: unexpected response from " + k_source + ": missing object \"data\"");
    }
    SUBCASE("truncated") {
      const auto result =
          gpucost::parse_lambda_instance_types(fixture("lambda/truncated.json"), context);
      REQUIRE(!result);
      CHECK(result.error().message.rfind(
                "lambda: truncated JSON in " + k_source + ": it ends at line 6, column 1 (", 0)
            == 0);
    }
  }

  TEST_CASE("the real sample parses" * doctest::test_suite("samples")) {
    const auto sample = gpucost::test::shared_sample("lambda-instance-types.json");
    if (!sample) {
      MESSAGE("skipped: ../shared/samples/lambda-instance-types.json not present");
      return;
    }
    const auto result = gpucost::parse_lambda_instance_types(*sample, test_context(k_source));
    REQUIRE(result);
    const auto h100 = of_type(*result, "gpu_8x_h100_sxm5");
    REQUIRE(h100.size() == 3);
    CHECK(h100[0].gpu == "H100 SXM");
    CHECK(h100[0].gpu_count == 8);
    CHECK(h100[0].price_per_hour == doctest::Approx(23.92));
    CHECK(h100[0].ram_gb == doctest::Approx(1932.7)); // 1800 GiB
    const auto pcie = of_type(*result, "gpu_1x_h100_pcie");
    REQUIRE(pcie.size() == 1);
    CHECK(pcie[0].gpu == "H100 PCIe");
    const auto b200 = of_type(*result, "gpu_8x_b200_sxm6");
    REQUIRE(b200.size() == 2);
    CHECK(b200[0].gpu == "B200");
    CHECK(b200[0].gpu_memory_gb == 180); // Lambda's figure
    CHECK(of_type(*result, "cpu_4x_general").empty());
    // One row per region with capacity, one for each of the four sold-out types.
    CHECK(result->offers.size() == 1 + 2 + 3 + 2 + 1 + 3 + 2 + 1 + 3 + 7 + 1 + 1);
    for (const auto& offer : result->offers) {
      CHECK(offer.price_per_hour > 0);
      CHECK(offer.gpu_count >= 1);
    }
  }
}

TEST_SUITE("lambda fetch") {
  using gpucost::test::LoopbackServer;
  using gpucost::test::ScriptedResponse;

  ScriptedResponse reply(int status, std::string body) {
    ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }

  TEST_CASE("fetch sends the key as a Bearer token to /api/v1/instance-types") {
    LoopbackServer server;
    server.route("/api/v1/instance-types", reply(200, fixture("lambda/instance-types.json")));
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto provider = gpucost::make_lambda_provider();
    CHECK(provider->id() == "lambda");
    CHECK(provider->api_key_env() == "LAMBDA_API_KEY");
    CHECK(provider->key_required());
    CHECK(provider->default_base_url() == "https://cloud.lambda.ai");

    const auto result =
        provider->fetch(*http, gpucost::test::test_fetch_options(server.url(), "lambda-secret"));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    CHECK(result->offers.size() == 7);
    CHECK(result->source_url == server.url() + "/api/v1/instance-types");
    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].method == "GET");
    CHECK(requests[0].header("authorization") == "Bearer lambda-secret");
  }

  TEST_CASE("fetch without a key fails before any request") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto result = gpucost::make_lambda_provider()->fetch(
        *http, gpucost::test::test_fetch_options(server.url()));
    REQUIRE(!result);
    CHECK(result.error().message
          == "lambda: LAMBDA_API_KEY is not set (the instance-types API needs a key)");
    CHECK(server.request_count() == 0);
  }

  TEST_CASE("fetch failures") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto provider = gpucost::make_lambda_provider();
    const auto options = gpucost::test::test_fetch_options(server.url(), "lambda-secret");
    const std::string url = server.url() + "/api/v1/instance-types";

    SUBCASE("401 quotes Lambda's message") {
      server.route("/api/v1/instance-types", reply(401, fixture("lambda/invalid-key.json")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "lambda: GET " + url
                   + " returned HTTP 401: bad or missing API key (set LAMBDA_API_KEY) (server "
                     "said \"API key was invalid, expired, or deleted.\")");
    }
    SUBCASE("503") {
      server.route("/api/v1/instance-types", reply(503, ""));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "lambda: GET " + url + " returned HTTP 503: server error; try again later");
    }
    SUBCASE("an HTML page") {
      server.route("/api/v1/instance-types", reply(502, fixture("lambda/bad-gateway.html")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "lambda: GET " + url + ": expected JSON, got an HTML page (HTTP 502)");
    }
    SUBCASE("truncated JSON") {
      server.route("/api/v1/instance-types", reply(200, fixture("lambda/truncated.json")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message.rfind("lambda: truncated JSON in " + url, 0) == 0);
    }
  }
}

} // namespace gpucost_test_lambda
