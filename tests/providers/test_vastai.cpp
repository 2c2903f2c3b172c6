// Vast.ai adapter: the bundles parser on the project's fixtures and the real sample, the request
// it sends, and fetch against the loopback server.

#include "loopback_server.hpp"
#include "provider_test_util.hpp"

#include <gpucost/sources/providers/vastai.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_vastai {

using namespace std::string_literals;
using gpucost::FetchResult;
using gpucost::Offer;
using gpucost::Product;
using gpucost::test::fixture;
using gpucost::test::has_warning;
using gpucost::test::offers_where;
using gpucost::test::test_context;

namespace {

const std::string k_source = "https://console.vast.ai/api/v0/bundles/";

FetchResult parse_fixture() {
  auto result =
      gpucost::parse_vastai_offers(fixture("vastai/bundles.json"), test_context(k_source));
  REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
  return *result;
}

const Offer& offer_named(const FetchResult& result, const std::string& prefix) {
  const auto found = std::find_if(result.offers.begin(), result.offers.end(), [&](const Offer& o) {
    return o.name.rfind(prefix, 0) == 0;
  });
  REQUIRE_MESSAGE(found != result.offers.end(), "no offer named " << prefix);
  return *found;
}

} // namespace

TEST_SUITE("vastai") {
  TEST_CASE("a plain offer maps every field") {
    const auto result = parse_fixture();
    const auto& offer = offer_named(result, "vast offer 1001 ");
    CHECK(offer.provider == "vastai");
    CHECK(offer.product == Product::pod);
    CHECK(offer.name == "vast offer 1001 (machine 500)");
    CHECK(offer.gpu == "RTX 4090");
    CHECK(offer.gpu_count == 1);
    CHECK(offer.gpu_memory_gb == 24);
    CHECK(offer.vcpus == 8);
    CHECK(offer.ram_gb == doctest::Approx(33.6)); // 32000 MiB
    CHECK(offer.region == "CA");
    CHECK(offer.price_per_hour == doctest::Approx(0.35));
    CHECK(offer.spot_price_per_hour == doctest::Approx(0.2));
    CHECK(offer.reliability == doctest::Approx(0.995)); // reliability2 wins
    CHECK(offer.egress_per_gb == doctest::Approx(0.002));
    CHECK(offer.source == k_source);
    CHECK(offer.fetched_at == "2026-11-23T12:00:00Z");
    CHECK(offer.notes.find("10 GB of disk") != std::string::npos);
    // Traits come from data/providers.json, not from the API.
    CHECK(!offer.billing_granularity_s);
    CHECK(!offer.cold_start_s);
  }

  TEST_CASE("a machine listed twice at one GPU count keeps the cheapest; other counts stay") {
    const auto result = parse_fixture();
    const auto machine500 = offers_where(
        result, [](const Offer& o) { return o.name.find("(machine 500)") != std::string::npos; });
    REQUIRE(machine500.size() == 2);
    CHECK(machine500[0].gpu_count == 1);
    CHECK(machine500[0].price_per_hour == doctest::Approx(0.35));
    CHECK(machine500[1].gpu_count == 2);
    CHECK(machine500[1].price_per_hour == doctest::Approx(0.70));
  }

  TEST_CASE("string prices, null reliability2, zero min_bid and an empty state read sensibly") {
    const auto result = parse_fixture();
    const auto& offer = offer_named(result, "vast offer 1004 ");
    CHECK(offer.gpu == "H100 SXM");
    CHECK(offer.gpu_count == 8);
    CHECK(offer.gpu_memory_gb == 80); // the table's marketed size, not 81559 MiB
    CHECK(offer.price_per_hour == doctest::Approx(17.6));
    CHECK(!offer.spot_price_per_hour); // min_bid 0: no spot price, never a free one
    CHECK(offer.reliability == doctest::Approx(0.97));
    CHECK(offer.region == "US"); // ", US"
    CHECK(!offer.egress_per_gb);
  }

  TEST_CASE("an unknown GPU is kept as is with one warning; null specs stay unknown") {
    const auto result = parse_fixture();
    const auto& offer = offer_named(result, "vast offer 1005 ");
    CHECK(offer.gpu == "Q RTX 9000");
    CHECK(offer.gpu_memory_gb == 48); // 49152 MiB
    CHECK(!offer.vcpus);
    CHECK(!offer.ram_gb);
    CHECK(offer.region.empty());
    CHECK(has_warning(result,
                      "vastai: unknown GPU \"Q RTX 9000\" kept as is (add it to data/gpus.json)"));
  }

  TEST_CASE("the memory check picks the 80 GB card for an 80 GB \"A100 PCIE\"") {
    const auto result = parse_fixture();
    const auto& offer = offer_named(result, "vast offer 1010 ");
    CHECK(offer.gpu == "A100 80GB");
    CHECK(offer.gpu_memory_gb == 80);
    CHECK(offer.region == "DE");
  }

  TEST_CASE("rows without price, GPU or availability are skipped and counted") {
    const auto result = parse_fixture();
    CHECK(result.offers.size() == 6); // 11 rows: 1 duplicate, 2 unpriced, 1 rented, 1 without GPU
    for (const auto& offer : result.offers) {
      CHECK(offer.price_per_hour > 0);
    }
    CHECK(has_warning(result, "vastai: skipped 2 offer(s) without a price (dph_total null or 0)"));
    CHECK(has_warning(result, "vastai: skipped 1 offer(s) already rented or not rentable"));
    CHECK(has_warning(result, "vastai: skipped 1 offer(s) without a GPU name or GPU count"));
    CHECK(result.source_url == k_source);
  }

  TEST_CASE("vastai_region takes the country after the last comma") {
    CHECK(gpucost::vastai_region("Utah, US") == "US");
    CHECK(gpucost::vastai_region(", US") == "US");
    CHECK(gpucost::vastai_region("Guangxi, CN") == "CN");
    CHECK(gpucost::vastai_region("Sweden") == "Sweden");
    CHECK(gpucost::vastai_region("") == "");
  }

  TEST_CASE("error answers and broken JSON fail with located, lower-case messages") {
    const auto context = test_context(k_source);
    SUBCASE("an error answer quotes the server") {
      const auto result = gpucost::parse_vastai_offers(fixture("vastai/no-offers.json"), context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "vastai: " + k_source + " answered with an error: Unknown field: gpu_nmae");
    }
    SUBCASE("a JSON answer without offers") {
      const auto result = gpucost::parse_vastai_offers(R"({"result": []})", context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "vastai: unexpected response from " + k_source + ": missing array \"offers\"");
    }
    SUBCASE("truncated JSON names where it ends") {
      const auto result = gpucost::parse_vastai_offers(fixture("vastai/truncated.json"), context);
      REQUIRE(!result);
      CHECK(result.error().message.rfind(
                "vastai: truncated JSON in " + k_source + ": it ends at line 3, column 30 (", 0)
            == 0);
    }
    SUBCASE("malformed JSON names the line and column") {
      const auto result =
          gpucost::parse_vastai_offers("{\"offers\": [\n  {\"id\": 1,, }]}", context);
      REQUIRE(!result);
      CHECK(result.error().message.rfind(
                "vastai: malformed JSON in " + k_source + " at line 2, column 12 (", 0)
            == 0);
    }
    SUBCASE("an HTML page") {
      const auto result = gpucost::parse_vastai_offers(fixture("vastai/bad-gateway.html"), context);
      REQUIRE(!result);
      CHECK(result.error().message == "vastai: expected JSON, got an HTML page from " + k_source);
    }
    SUBCASE("an empty body") {
      const auto result = gpucost::parse_vastai_offers("  \n", context);
      REQUIRE(!result);
      CHECK(result.error().message
            == "vastai: empty answer from " + k_source + " where JSON was expected");
    }
  }

  TEST_CASE("the search body asks for rentable on-demand offers priced with 10 GB of disk") {
    const auto body = nlohmann::json::parse(gpucost::vastai_search_body());
    CHECK(body["rentable"]["eq"] == true);
    CHECK(body["rented"]["eq"] == false);
    CHECK(body["type"] == "on-demand");
    CHECK(body["allocated_storage"] == 10);
    CHECK(body["limit"] == 10000);
    CHECK(body["order"][0][0] == "dph_total");
  }

  TEST_CASE("the real sample parses: two B300 offers of one machine"
            * doctest::test_suite("samples")) {
    const auto sample = gpucost::test::shared_sample("vastai-bundles.json");
    if (!sample) {
      MESSAGE("skipped: ../shared/samples/vastai-bundles.json not present");
      return;
    }
    const auto result = gpucost::parse_vastai_offers(*sample, test_context(k_source));
    REQUIRE(result);
    REQUIRE(result->offers.size() == 2);
    const auto& two = result->offers[0];
    CHECK(two.gpu == "B300");
    CHECK(two.gpu_count == 2);
    CHECK(two.gpu_memory_gb == 288);
    CHECK(two.price_per_hour == doctest::Approx(15.0021).epsilon(1e-4));
    CHECK(two.spot_price_per_hour == doctest::Approx(11.25));
    CHECK(two.vcpus == 64);
    CHECK(two.region == "US");
    CHECK(two.reliability == doctest::Approx(0.99268).epsilon(1e-4));
    CHECK(result->offers[1].gpu_count == 4);
    CHECK(result->offers[1].price_per_hour == doctest::Approx(30.0021).epsilon(1e-4));
    CHECK(result->warnings.empty());
  }
}

TEST_SUITE("vastai fetch") {
  using gpucost::test::LoopbackServer;
  using gpucost::test::ScriptedResponse;

  ScriptedResponse reply(int status, std::string body) {
    ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }

  TEST_CASE("fetch posts the search to /api/v0/bundles/ and parses the answer") {
    LoopbackServer server;
    server.route("/api/v0/bundles/", reply(200, fixture("vastai/bundles.json")));
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto provider = gpucost::make_vastai_provider();
    CHECK(provider->id() == "vastai");
    CHECK(provider->api_key_env() == "VAST_API_KEY");
    CHECK(!provider->key_required());
    CHECK(provider->default_base_url() == "https://console.vast.ai");

    SUBCASE("without a key no Authorization header is sent") {
      const auto result = provider->fetch(*http, gpucost::test::test_fetch_options(server.url()));
      REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
      CHECK(result->offers.size() == 6);
      CHECK(result->source_url == server.url() + "/api/v0/bundles/");
      CHECK(result->offers[0].source == server.url() + "/api/v0/bundles/");
      const auto requests = server.requests();
      REQUIRE(requests.size() == 1);
      CHECK(requests[0].method == "POST");
      CHECK(requests[0].header("authorization").empty());
      CHECK(requests[0].header("content-type") == "application/json");
      CHECK(nlohmann::json::parse(requests[0].body)["allocated_storage"] == 10);
    }
    SUBCASE("a key goes in a Bearer header") {
      const auto result =
          provider->fetch(*http, gpucost::test::test_fetch_options(server.url(), "vast-secret"));
      REQUIRE(result);
      CHECK(server.requests().at(0).header("authorization") == "Bearer vast-secret");
    }
  }

  TEST_CASE("fetch maps failures to messages naming the provider, URL and status") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(gpucost::test::test_http_options());
    const auto provider = gpucost::make_vastai_provider();
    const auto options = gpucost::test::test_fetch_options(server.url(), "vast-secret");
    const std::string url = server.url() + "/api/v0/bundles/";

    SUBCASE("404 Invalid user key is a bad key") {
      server.route("/api/v0/bundles/", reply(404, fixture("vastai/invalid-key.json")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "vastai: POST " + url
                   + " returned HTTP 404: bad or missing API key (set VAST_API_KEY) (server said "
                     "\"Invalid user key\")");
    }
    SUBCASE("401") {
      server.route("/api/v0/bundles/", reply(401, ""));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "vastai: POST " + url
                   + " returned HTTP 401: bad or missing API key (set VAST_API_KEY)");
    }
    SUBCASE("500") {
      server.route("/api/v0/bundles/", reply(500, R"({"msg": "internal error"})"));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "vastai: POST " + url
                   + " returned HTTP 500: server error; try again later (server said \"internal "
                     "error\")");
    }
    SUBCASE("429") {
      server.route("/api/v0/bundles/", reply(429, ""));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "vastai: POST " + url + " returned HTTP 429: rate limited; try again later");
    }
    SUBCASE("an HTML page") {
      server.route("/api/v0/bundles/", reply(502, fixture("vastai/bad-gateway.html")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message
            == "vastai: POST " + url + ": expected JSON, got an HTML page (HTTP 502)");
    }
    SUBCASE("truncated JSON") {
      server.route("/api/v0/bundles/", reply(200, fixture("vastai/truncated.json")));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message.rfind("vastai: truncated JSON in " + url + ": it ends at line 3",
                                         0)
            == 0);
    }
    SUBCASE("the key never appears in a message") {
      server.route("/api/v0/bundles/", reply(403, "vast-secret"));
      const auto result = provider->fetch(*http, options);
      REQUIRE(!result);
      CHECK(result.error().message.find("vast-secret") == std::string::npos);
    }
  }
}

} // namespace gpucost_test_vastai
