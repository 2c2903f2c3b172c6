// RunPod adapter: the GraphQL gpuTypes and REST catalog parsers on the project's fixtures and the
// real samples, and fetch against the loopback server.

#include "loopback_server.hpp"
#include "provider_test_util.hpp"

#include <gpucost/sources/providers/runpod.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_runpod {

using gpucost::FetchResult;
using gpucost::Offer;
using gpucost::Product;
using gpucost::test::fixture;
using gpucost::test::has_warning;
using gpucost::test::offers_where;
using gpucost::test::test_context;

namespace {

const std::string k_graphql = "https://api.runpod.io/graphql";
const std::string k_catalog = "https://api.runpod.io/v2/catalog/gpus?product=SERVERLESS";

FetchResult parse_gpu_types_fixture() {
  auto result =
      gpucost::parse_runpod_gpu_types(fixture("runpod/gputypes.json"), test_context(k_graphql));
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  return *result;
}

std::vector<Offer>
rows(const FetchResult& result, const std::string& gpu, const std::string& name) {
  return offers_where(result, [&](const Offer& o) { return o.gpu == gpu && o.name == name; });
}

} // namespace

TEST_SUITE("runpod") {
  TEST_CASE("per-GPU prices become whole-pod prices for 1, 2, 4 and 8 GPUs up to the cloud's max") {
    const auto result = parse_gpu_types_fixture();
    const auto secure = rows(result, "RTX 4090", "RunPod secure cloud");
    REQUIRE(secure.size() == 4);
    CHECK(secure[0].gpu_count == 1);
    CHECK(secure[0].price_per_hour == doctest::Approx(0.69));
    CHECK(secure[0].spot_price_per_hour == doctest::Approx(0.5));
    CHECK(secure[3].gpu_count == 8);
    CHECK(secure[3].price_per_hour == doctest::Approx(5.52));
    CHECK(secure[3].spot_price_per_hour == doctest::Approx(4.0));
    CHECK(secure[0].product == Product::pod);
    CHECK(secure[0].provider == "runpod");
    CHECK(secure[0].gpu_memory_gb == 24);
    CHECK(secure[0].region.empty());
    CHECK(secure[0].source == k_graphql);
    CHECK(secure[0].fetched_at == "2026-11-23T12:00:00Z");

    const auto community = rows(result, "RTX 4090", "RunPod community cloud");
    REQUIRE(community.size() == 2); // maxGpuCountCommunityCloud 2
    CHECK(community[1].gpu_count == 2);
    CHECK(community[1].price_per_hour == doctest::Approx(0.68));
    CHECK(community[1].spot_price_per_hour == doctest::Approx(0.5)); // "0.25" string x 2
  }

  TEST_CASE("a 0 or null price means not offered in that cloud, never free") {
    const auto result = parse_gpu_types_fixture();
    CHECK(rows(result, "RTX 3070", "RunPod secure cloud").empty());
    CHECK(rows(result, "RTX 3070", "RunPod community cloud").size() == 3); // 1, 2, 4
    CHECK(offers_where(result, [](const Offer& o) { return o.gpu == "A100 40GB"; }).empty());
    CHECK(rows(result, "H100 SXM", "RunPod community cloud").empty());
    for (const auto& offer : result.offers) {
      CHECK(offer.price_per_hour > 0);
      CHECK((!offer.spot_price_per_hour || *offer.spot_price_per_hour > 0));
    }
  }

  TEST_CASE("maxGpuCount stands in for a missing per-cloud maximum; none at all means 1 GPU") {
    const auto result = parse_gpu_types_fixture();
    const auto h100 = rows(result, "H100 SXM", "RunPod secure cloud");
    REQUIRE(h100.size() == 4);
    CHECK(!h100[0].spot_price_per_hour); // secureSpotPrice 0
    CHECK(h100[3].price_per_hour == doctest::Approx(23.92));
    const auto mi300x = rows(result, "MI300X", "RunPod secure cloud");
    REQUIRE(mi300x.size() == 1);
    CHECK(mi300x[0].gpu_memory_gb == 192);
  }

  TEST_CASE("an unknown GPU is kept under its display name with one warning") {
    const auto result = parse_gpu_types_fixture();
    CHECK(rows(result, "Q RTX 9000", "RunPod community cloud").size() == 1);
    CHECK(has_warning(result,
                      "runpod: unknown GPU \"Q RTX 9000\" kept as is (add it to data/gpus.json)"));
    CHECK(result.warnings.size() == 1);
    CHECK(result.offers.size() == 4 + 2 + 3 + 4 + 1 + 1);
  }

  TEST_CASE("GraphQL errors in a 200 answer") {
    const auto context = test_context(k_graphql);
    SUBCASE("without data they are the error") {
      const auto result =
          gpucost::parse_runpod_gpu_types(fixture("runpod/graphql-error.json"), context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "runpod: GraphQL error from " + k_graphql
                   + ": Cannot query field \"maxGpuCountSecureCloud\" on type \"GpuType\".");
    }
    SUBCASE("with data they are a warning") {
      const auto result =
          gpucost::parse_runpod_gpu_types(fixture("runpod/graphql-partial.json"), context);
      REQUIRE(result);
      CHECK(result->offers.size() == 2);
      CHECK(has_warning(*result,
                        "runpod: GraphQL answered with data and an error: lowestPrice is "
                        "temporarily unavailable"));
    }
    SUBCASE("a JSON answer without data.gpuTypes") {
      const auto result = gpucost::parse_runpod_gpu_types(R"({"data": {}})", context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "runpod: unexpected response from " + k_graphql
                   + ": missing array \"data.gpuTypes\"");
    }
    SUBCASE("an HTML page") {
      const auto result =
          gpucost::parse_runpod_gpu_types(fixture("runpod/bad-gateway.html"), context);
      REQUIRE(!result);
      CHECK(result.error().message == "runpod: expected JSON, got an HTML page from " + k_graphql);
    }
  }

  TEST_CASE("the REST catalog gives serverless rows per GPU; zero and null prices are skipped") {
    const auto result =
        gpucost::parse_runpod_catalog(fixture("runpod/catalog-gpus.json"), test_context(k_catalog));
    REQUIRE(result);
    REQUIRE(result->offers.size() == 2);
    const auto& rtx = result->offers[0];
    CHECK(rtx.product == Product::serverless);
    CHECK(rtx.name == "RunPod serverless");
    CHECK(rtx.gpu == "RTX 4090");
    CHECK(rtx.gpu_count == 1);
    CHECK(rtx.price_per_hour == doctest::Approx(1.1));
    CHECK(rtx.source == k_catalog);
    CHECK(result->offers[1].gpu == "H100 SXM");
    CHECK(result->offers[1].price_per_hour == doctest::Approx(4.18)); // "4.18"
  }

  TEST_CASE("the REST catalog can also give pod rows") {
    const auto result = gpucost::parse_runpod_catalog(
        fixture("runpod/catalog-gpus.json"),
        test_context(k_catalog),
        gpucost::RunpodCatalogParts{.pods = true, .serverless = false});
    REQUIRE(result);
    CHECK(rows(*result, "RTX 4090", "RunPod secure cloud").size() == 4);
    CHECK(rows(*result, "RTX 4090", "RunPod community cloud").size() == 3); // maxCount 4
    CHECK(rows(*result, "H100 SXM", "RunPod secure cloud").size() == 4);
    CHECK(rows(*result, "H100 SXM", "RunPod community cloud").empty());
    CHECK(rows(*result, "RTX 3070", "RunPod community cloud").size() == 3);
    CHECK(offers_where(*result, [](const Offer& o) { return o.product != Product::pod; }).empty());
  }

  TEST_CASE("the GraphQL request asks for prices and per-cloud maxima") {
    const auto body = nlohmann::json::parse(gpucost::runpod_gpu_types_request_body());
    const std::string query = body["query"];
    for (const char* field : {"securePrice",
                              "communityPrice",
                              "secureSpotPrice",
                              "communitySpotPrice",
                              "memoryInGb",
                              "maxGpuCountSecureCloud",
                              "maxGpuCountCommunityCloud"}) {
      CHECK_MESSAGE(query.find(field) != std::string::npos, field);
    }
  }

  TEST_CASE("the real samples parse" * doctest::test_suite("samples")) {
    if (const auto sample = gpucost::test::shared_sample("runpod-gputypes.json")) {
      const auto result = gpucost::parse_runpod_gpu_types(*sample, test_context(k_graphql));
      REQUIRE(result);
      // No maxGpuCount in the capture: one 1-GPU row per offered cloud; A100 SXM 40GB and RTX
      // 3070 have securePrice 0.
      CHECK(result->offers.size() == 16);
      const auto h100 = rows(*result, "H100 SXM", "RunPod secure cloud");
      REQUIRE(h100.size() == 1);
      CHECK(h100[0].price_per_hour == doctest::Approx(3.29));
      CHECK(rows(*result, "A100 40GB", "RunPod secure cloud").empty());
      CHECK(rows(*result, "A100 40GB", "RunPod community cloud").size() == 1);
      const auto b200 = rows(*result, "B200", "RunPod community cloud");
      REQUIRE(b200.size() == 1);
      CHECK(b200[0].gpu_memory_gb == 180); // RunPod's own figure
    } else {
      MESSAGE("skipped: ../shared/samples/runpod-gputypes.json not present");
    }
    if (const auto sample = gpucost::test::shared_sample("runpod-v2-catalog-gpus.json")) {
      const auto result = gpucost::parse_runpod_catalog(*sample, test_context(k_catalog));
      REQUIRE(result);
      REQUIRE(result->offers.size() == 1);
      CHECK(result->offers[0].price_per_hour == doctest::Approx(1.1));
      CHECK(result->offers[0].gpu == "RTX 4090");
    } else {
      MESSAGE("skipped: ../shared/samples/runpod-v2-catalog-gpus.json not present");
    }
  }
}

TEST_SUITE("runpod fetch") {
  using gpucost::test::LoopbackServer;
  using gpucost::test::ScriptedResponse;

  ScriptedResponse reply(int status, std::string body) {
    ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }

  TEST_CASE("with a key, fetch reads pods from /graphql and serverless from /v2/catalog/gpus") {
    LoopbackServer server;
    server.route("/graphql", reply(200, fixture("runpod/gputypes.json")));
    server.route("/v2/catalog/gpus", reply(200, fixture("runpod/catalog-gpus.json")));
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto provider = gpucost::make_runpod_provider();
    CHECK(provider->id() == "runpod");
    CHECK(provider->api_key_env() == "RUNPOD_API_KEY");
    CHECK(!provider->key_required());
    CHECK(provider->default_base_url() == "https://api.runpod.io");

    const auto result =
        provider->fetch(*http, gpucost::test::test_fetch_options(server.url(), "rp-secret"));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    CHECK(offers_where(*result, [](const Offer& o) { return o.product == Product::pod; }).size()
          == 15);
    const auto serverless =
        offers_where(*result, [](const Offer& o) { return o.product == Product::serverless; });
    REQUIRE(serverless.size() == 2);
    CHECK(serverless[0].source == server.url() + "/v2/catalog/gpus?product=SERVERLESS");
    CHECK(result->source_url == server.url() + "/graphql");
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].method == "POST");
    CHECK(requests[0].path() == "/graphql");
    CHECK(requests[0].header("authorization") == "Bearer rp-secret");
    CHECK(nlohmann::json::parse(requests[0].body).contains("query"));
    CHECK(requests[1].method == "GET");
    CHECK(requests[1].target == "/v2/catalog/gpus?product=SERVERLESS");
    CHECK(requests[1].header("authorization") == "Bearer rp-secret");
  }

  TEST_CASE("without a key, pods are fetched and serverless is skipped with a warning") {
    LoopbackServer server;
    server.route("/graphql", reply(200, fixture("runpod/gputypes.json")));
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto result = gpucost::make_runpod_provider()->fetch(
        *http, gpucost::test::test_fetch_options(server.url()));
    REQUIRE(result);
    CHECK(result->offers.size() == 15);
    CHECK(has_warning(*result,
                      "runpod: RUNPOD_API_KEY is not set; serverless prices skipped (GET "
                      "/v2/catalog/gpus needs a key)"));
    REQUIRE(server.request_count() == 1);
    CHECK(server.requests()[0].header("authorization").empty());
  }

  TEST_CASE("a failing serverless catalog is a warning, the pods stay") {
    LoopbackServer server;
    server.route("/graphql", reply(200, fixture("runpod/gputypes.json")));
    server.route("/v2/catalog/gpus", reply(401, fixture("runpod/unauthorized.json")));
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto result = gpucost::make_runpod_provider()->fetch(
        *http, gpucost::test::test_fetch_options(server.url(), "rp-secret"));
    REQUIRE(result);
    CHECK(result->offers.size() == 15);
    CHECK(has_warning(*result,
                      "runpod: GET " + server.url()
                          + "/v2/catalog/gpus?product=SERVERLESS returned HTTP 401: bad or "
                            "missing API key (set RUNPOD_API_KEY) (server said \"Unauthorized: "
                            "invalid or missing API key\"); serverless prices skipped"));
  }

  TEST_CASE("pod failures fail the fetch") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto provider = gpucost::make_runpod_provider();
    const auto options = gpucost::test::test_fetch_options(server.url(), "rp-secret");
    const std::string url = server.url() + "/graphql";

    SUBCASE("401") {
      server.route("/graphql", reply(401, fixture("runpod/unauthorized.json")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "runpod: POST " + url
                   + " returned HTTP 401: bad or missing API key (set RUNPOD_API_KEY) (server "
                     "said \"Unauthorized: invalid or missing API key\")");
    }
    SUBCASE("500") {
      server.route("/graphql", reply(500, ""));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "runpod: POST " + url + " returned HTTP 500: server error; try again later");
    }
    SUBCASE("an HTML page with status 200") {
      server.route("/graphql", reply(200, fixture("runpod/bad-gateway.html")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "runpod: POST " + url + ": expected JSON, got an HTML page (HTTP 200)");
    }
    SUBCASE("a GraphQL error") {
      server.route("/graphql", reply(200, fixture("runpod/graphql-error.json")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message.rfind("runpod: GraphQL error from " + url + ": Cannot query", 0)
            == 0);
    }
    SUBCASE("truncated JSON") {
      const auto full = fixture("runpod/gputypes.json");
      server.route("/graphql", reply(200, full.substr(0, full.size() / 2)));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(
          result.error().message.rfind("runpod: truncated JSON in " + url + ": it ends at line", 0)
          == 0);
    }
  }
}

} // namespace gpucost_test_runpod
