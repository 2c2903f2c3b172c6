// GCP Cloud Billing Catalog adapter: SKU descriptions, tiers, machine price composition, paging.

#include "loopback_server.hpp"

#include <gpucost/data/data_set.hpp>
#include <gpucost/sources/providers/gcp.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_gcp {

namespace {

gpucost::GpuSpec spec(std::string name, double memory_gb, std::vector<std::string> aliases = {}) {
  gpucost::GpuSpec gpu;
  gpu.name = std::move(name);
  gpu.memory_gb = memory_gb;
  gpu.aliases = std::move(aliases);
  return gpu;
}

const gpucost::GpuDatabase& test_gpus() {
  static const gpucost::GpuDatabase gpus({spec("T4", 16),
                                          spec("L4", 24),
                                          spec("V100", 16),
                                          spec("A100 80GB", 80, {"A100 SXM4 80GB"}),
                                          spec("A100 40GB", 40, {"A100 SXM4 40GB"}),
                                          spec("H100", 80, {"H100 SXM"}),
                                          spec("H200", 141)});
  return gpus;
}

gpucost::ParseContext context() {
  gpucost::ParseContext ctx;
  ctx.gpus = &test_gpus();
  ctx.now = "2026-11-23T00:00:00Z";
  ctx.source_url =
      "https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus?key=REDACTED";
  return ctx;
}

std::string fixture(const std::string& name) {
  return gpucost::value_or_throw(
      gpucost::read_text_file(std::string(GPUCOST_TEST_FIXTURES) + "/gcp/" + name));
}

const gpucost::GcpMachineTable& table() {
  static const gpucost::GcpMachineTable loaded = gpucost::value_or_throw(
      gpucost::load_gcp_machine_table(std::string(GPUCOST_SOURCE_DIR) + "/data"));
  return loaded;
}

const gpucost::Offer* find_offer(const std::vector<gpucost::Offer>& offers,
                                 const std::string& name,
                                 const std::string& region) {
  const auto it = std::find_if(offers.begin(), offers.end(), [&](const gpucost::Offer& offer) {
    return offer.name == name && offer.region == region;
  });
  return it == offers.end() ? nullptr : &*it;
}

nlohmann::json tiers(const std::string& text) {
  return nlohmann::json::parse(text);
}

} // namespace

TEST_SUITE("gcp") {
  TEST_CASE("component names drop the spot wording and the location") {
    CHECK(gpucost::gcp_component_name("Nvidia Tesla A100 GPU running in Americas")
          == "nvidia tesla a100 gpu");
    CHECK(gpucost::gcp_component_name(
              "Nvidia H100 80GB Mega GPU attached to Spot Preemptible VMs running in Tokyo")
          == "nvidia h100 80gb mega gpu");
    CHECK(gpucost::gcp_component_name("Spot Preemptible A2 Instance Ram running in Japan")
          == "a2 instance ram");
    CHECK(gpucost::gcp_component_name("Preemptible Nvidia Tesla T4 GPU running in Americas")
          == "nvidia tesla t4 gpu");
    CHECK(gpucost::gcp_component_name("SSD backed Local Storage") == "ssd backed local storage");
  }

  TEST_CASE("commitments, reservations, custom shapes and DWS capacity are excluded") {
    CHECK(gpucost::gcp_excluded_description("Commitment v1: A2 Cpu in Americas for 1 Year"));
    CHECK(gpucost::gcp_excluded_description("Reserved Nvidia Tesla A100 GPU running in Americas"));
    CHECK(gpucost::gcp_excluded_description("A2 Custom Instance Core running in Americas"));
    CHECK(gpucost::gcp_excluded_description("Sole Tenancy Instance Core running in Americas"));
    CHECK(gpucost::gcp_excluded_description("DWS Defined Duration A3 Ultra Instance Core"));
    CHECK(gpucost::gcp_excluded_description("Premium Nvidia L4 GPU running in Americas"));
    CHECK(!gpucost::gcp_excluded_description("Nvidia L4 GPU running in Americas"));
  }

  TEST_CASE("tiered rates: units is a string, nanos a number, and the first priced tier counts") {
    CHECK(
        *gpucost::gcp_tiered_price(tiers(
            R"([{"startUsageAmount": 0, "unitPrice": {"currencyCode": "USD", "units": "2", "nanos": 933908000}}])"))
        == doctest::Approx(2.933908));
    // A zero first tier is a free allowance: the list price is the next one.
    CHECK(*gpucost::gcp_tiered_price(tiers(
              R"([{"startUsageAmount": 0, "unitPrice": {"units": "0", "nanos": 0}},
                  {"startUsageAmount": 720, "unitPrice": {"units": "0", "nanos": 7500000}}])"))
          == doctest::Approx(0.0075));
    // Volume tiers further up are discounts one job never reaches; order in the array is not
    // trusted.
    CHECK(*gpucost::gcp_tiered_price(tiers(
              R"([{"startUsageAmount": 1000, "unitPrice": {"units": "0", "nanos": 100000000}},
                  {"startUsageAmount": 0, "unitPrice": {"units": "1"}}])"))
          == doctest::Approx(1.0));
    CHECK(!gpucost::gcp_tiered_price(
        tiers(R"([{"startUsageAmount": 0, "unitPrice": {"units": "0", "nanos": 0}}])")));
    CHECK(!gpucost::gcp_tiered_price(tiers("[]")));
    CHECK(!gpucost::gcp_tiered_price(tiers(
        R"([{"startUsageAmount": 0, "unitPrice": {"currencyCode": "EUR", "units": "3", "nanos": 0}}])")));
  }

  TEST_CASE("the page URL carries the key, page size, currency and an encoded page token") {
    CHECK(
        gpucost::gcp_skus_url("", "k+y", "")
        == "https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus?key=k%2By&pageSize="
           "5000&currencyCode=USD");
    CHECK(
        gpucost::gcp_skus_url("http://127.0.0.1:99/", "KEY", "ab/c==")
        == "http://127.0.0.1:99/v1/services/6F81-5844-456A/skus?key=KEY&pageSize=5000&currencyCode="
           "USD&pageToken=ab%2Fc%3D%3D");
  }

  TEST_CASE("the bundled machine table loads; a bad reference names the line") {
    const auto& types = table().machine_types;
    const auto it = std::find_if(
        types.begin(), types.end(), [](const auto& type) { return type.name == "a2-highgpu-1g"; });
    REQUIRE(it != types.end());
    CHECK(it->vcpus == 12);
    CHECK(it->ram_gb == 85);
    CHECK(it->gpu_count == 1);
    CHECK(table().gpus.at(it->gpu).gpu_memory_gb == 40);

    auto bad = gpucost::parse_gcp_machine_table(
        R"({"schema": "gpucost/gcp-machine-types", "schemaVersion": 1, "source": "s", "as_of": "d",
"local_ssd": ["SSD backed Local Storage"],
"families": {"g2": {"core": ["G2 Instance Core"], "ram": ["G2 Instance Ram"]}},
"gpus": {"nvidia-l4": {"gpu": ["L4"], "descriptions": ["Nvidia L4 GPU"]}},
"machine_types": [
  {"name": "g2-standard-4", "family": "g3", "vcpus": 4, "ram_gb": 16, "gpu": "nvidia-l4", "gpu_count": 1}]})",
        "m.json");
    REQUIRE(!bad);
    CHECK(bad.error().message == "m.json:6: machine_types[0].family: unknown family \"g3\"");
  }

  TEST_CASE("two pages compose machine prices per region from core, RAM and GPU SKUs") {
    auto result = gpucost::parse_gcp_skus(
        {fixture("skus-page1.json"), fixture("skus-page2.json")}, table(), context());
    REQUIRE(result);
    const auto& offers = result->offers;
    CHECK(offers.size() == 28);

    SUBCASE("on demand and spot, each from its own usage type") {
      const auto* a2 = find_offer(offers, "a2-highgpu-1g", "us-central1");
      REQUIRE(a2 != nullptr);
      CHECK(a2->provider == "gcp");
      CHECK(a2->product == gpucost::Product::vm);
      CHECK(a2->gpu == "A100 40GB");
      CHECK(a2->gpu_count == 1);
      CHECK(a2->gpu_memory_gb == 40);
      CHECK(a2->vcpus == 12);
      CHECK(a2->ram_gb == 85);
      CHECK(*a2->price_per_hour == doctest::Approx(12 * 0.031611 + 85 * 0.004237 + 2.933908));
      CHECK(*a2->spot_price_per_hour == doctest::Approx(12 * 0.009483 + 85 * 0.001271 + 1.1));
      CHECK(a2->fetched_at == "2026-11-23T00:00:00Z");
      CHECK(a2->notes.find("12 vCPU + 85 GiB RAM + 1 GPU") != std::string::npos);
      const auto* a2_8 = find_offer(offers, "a2-highgpu-8g", "us-central1");
      REQUIRE(a2_8 != nullptr);
      CHECK(*a2_8->price_per_hour
            == doctest::Approx(96 * 0.031611 + 680 * 0.004237 + 8 * 2.933908));
    }

    SUBCASE("a component missing in a region means no price there, not a zero") {
      const auto* east = find_offer(offers, "a2-highgpu-1g", "us-east1");
      REQUIRE(east != nullptr);
      CHECK(east->price_per_hour);
      CHECK(!east->spot_price_per_hour); // no spot A100 SKU in us-east1
      CHECK(find_offer(offers, "a2-highgpu-1g", "us-west1") == nullptr);     // no A100 at all
      CHECK(find_offer(offers, "g2-standard-4", "europe-west1") == nullptr); // RAM in a wrong unit
    }

    SUBCASE("commitment, reserved, custom and DWS SKUs never replace the list price") {
      const auto* a2 = find_offer(offers, "a2-highgpu-1g", "us-east1");
      REQUIRE(a2 != nullptr);
      CHECK(*a2->price_per_hour == doctest::Approx(12 * 0.031611 + 85 * 0.004237 + 2.933908));
    }

    SUBCASE("bundled local SSD is priced per GiB-month over 730 hours") {
      const auto* ultra = find_offer(offers, "a2-ultragpu-1g", "us-central1");
      REQUIRE(ultra != nullptr);
      CHECK(ultra->gpu == "A100 80GB");
      CHECK(*ultra->price_per_hour
            == doctest::Approx(12 * 0.031611 + 170 * 0.004237 + 3.9275 + 375 * 0.08 / 730));
      CHECK(find_offer(offers, "a2-ultragpu-1g", "us-east1") == nullptr);
    }

    SUBCASE("tiers: a free allowance is skipped, a volume discount is not taken") {
      const auto* g2 = find_offer(offers, "g2-standard-8", "us-central1");
      REQUIRE(g2 != nullptr);
      CHECK(g2->gpu == "L4");
      CHECK(*g2->price_per_hour == doctest::Approx(8 * 0.024988 + 32 * 0.002927 + 0.56004));
      CHECK(*g2->spot_price_per_hour == doctest::Approx(8 * 0.009995 + 32 * 0.001171 + 0.224));
    }

    SUBCASE("N1 machines with attached T4s are combinations of the table") {
      const auto* n1 = find_offer(offers, "n1-standard-8+2xT4", "us-central1");
      REQUIRE(n1 != nullptr);
      CHECK(n1->gpu == "T4");
      CHECK(n1->gpu_count == 2);
      CHECK(*n1->price_per_hour == doctest::Approx(8 * 0.031611 + 30 * 0.004237 + 2 * 0.35));
      CHECK(find_offer(offers, "n1-standard-8+2xV100", "us-central1") == nullptr);
    }

    SUBCASE("a SKU in an unexpected unit is skipped with a warning") {
      REQUIRE(result->warnings.size() == 1);
      CHECK(result->warnings[0]
            == "gcp: SKU \"G2 Instance Ram running in Belgium\" is priced per \"h\", not per "
               "\"GiBy.h\"; skipped");
    }

    SUBCASE("offers are sorted by machine type, then region") {
      CHECK(std::is_sorted(offers.begin(), offers.end(), [](const auto& a, const auto& b) {
        return std::tie(a.name, a.region) < std::tie(b.name, b.region);
      }));
    }
  }

  TEST_CASE("regions restrict the composed offers") {
    auto result = gpucost::parse_gcp_skus(
        {fixture("skus-page1.json"), fixture("skus-page2.json")}, table(), context(), {"us-east1"});
    REQUIRE(result);
    CHECK(result->offers.size() == 5);
    for (const auto& offer : result->offers) {
      CHECK(offer.region == "us-east1");
    }
  }

  TEST_CASE("page tokens and malformed pages") {
    gpucost::GcpPriceBook book(table(), context());
    auto token = book.add_page(fixture("skus-page1.json"), "p1");
    REQUIRE(token);
    CHECK(*token == "CAESJgokNkY4MS01ODQ0LTQ1NkEvc2t1cy9BMDBELUIwMEQtQzAwRA==");
    auto last = book.add_page(fixture("skus-page2.json"), "p2");
    REQUIRE(last);
    CHECK(last->empty());
    auto empty = book.add_page(R"({"skus": []})", "p3");
    REQUIRE(empty);
    CHECK(empty->empty());
    auto missing = book.add_page(R"({"error": {}})", "https://x/skus?key=REDACTED");
    REQUIRE(!missing);
    CHECK(missing.error().message
          == "gcp: unexpected response from https://x/skus?key=REDACTED: missing array \"skus\"");
  }

  TEST_CASE("the shared sample's three A2 SKUs price a2-highgpu-1g when present"
            * doctest::test_suite("samples")) {
    const std::string path = std::string(GPUCOST_SOURCE_DIR) + "/../shared/samples/gcp-skus.json";
    if (!std::filesystem::exists(path)) {
      MESSAGE("skipped: " << path << " is absent");
      return;
    }
    auto result = gpucost::parse_gcp_skus(
        {gpucost::value_or_throw(gpucost::read_text_file(path))}, table(), context());
    REQUIRE(result);
    const auto* a2 = find_offer(result->offers, "a2-highgpu-1g", "us-west1");
    REQUIRE(a2 != nullptr);
    CHECK(*a2->price_per_hour == doctest::Approx(12 * 0.031611 + 85 * 0.004237 + 2.933908));
    CHECK(!a2->spot_price_per_hour);
  }

  TEST_CASE("the provider's identity; a missing key fails before any request") {
    const auto provider = gpucost::make_gcp_provider();
    CHECK(provider->id() == "gcp");
    CHECK(provider->api_key_env() == "GCP_API_KEY");
    CHECK(provider->key_required());
    CHECK(provider->default_base_url() == "https://cloudbilling.googleapis.com");
  }
}

TEST_SUITE("gcp fetch") {
  using gpucost::test::LoopbackServer;
  using gpucost::test::ScriptedResponse;

  const std::string k_path = "/v1/services/6F81-5844-456A/skus";
  const std::string k_key = "AIzaSy-secret-key_123";

  ScriptedResponse reply(int status, std::string body, bool truncate = false) {
    ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    response.truncate = truncate;
    return response;
  }

  gpucost::HttpOptions http_options() {
    gpucost::HttpOptions options;
    options.timeout_s = 5;
    options.max_attempts = 1;
    options.backoff_s = 0.01;
    options.max_backoff_s = 0.01;
    return options;
  }

  gpucost::FetchOptions fetch_options(const std::string& base, std::string key) {
    gpucost::FetchOptions options;
    options.base_url = base;
    options.api_key = std::move(key);
    options.now = "2026-11-23T00:00:00Z";
    options.gpus = &test_gpus();
    options.data_dir = std::string(GPUCOST_SOURCE_DIR) + "/data";
    return options;
  }

  TEST_CASE("fetch follows nextPageToken and never shows the key") {
    LoopbackServer server;
    server.route(k_path, reply(200, fixture("skus-page1.json")));
    server.route(k_path, reply(200, fixture("skus-page2.json")));
    auto http = gpucost::make_curl_client(http_options());
    auto result = gpucost::make_gcp_provider()->fetch(*http, fetch_options(server.url(), k_key));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    CHECK(result->offers.size() == 28);
    CHECK(result->source_url.find(k_key) == std::string::npos);
    CHECK(result->source_url.rfind(server.url() + k_path + "?key=", 0) == 0);
    for (const auto& offer : result->offers) {
      CHECK(offer.source.find(k_key) == std::string::npos);
    }
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].target == k_path + "?key=" + k_key + "&pageSize=5000&currencyCode=USD");
    CHECK(requests[1].target
          == k_path + "?key=" + k_key
                 + "&pageSize=5000&currencyCode=USD&pageToken="
                   "CAESJgokNkY4MS01ODQ0LTQ1NkEvc2t1cy9BMDBELUIwMEQtQzAwRA%3D%3D");
  }

  TEST_CASE("a missing key fails before any request") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(http_options());
    auto result = gpucost::make_gcp_provider()->fetch(*http, fetch_options(server.url(), ""));
    REQUIRE(!result);
    CHECK(result.error().message.rfind("gcp: GCP_API_KEY is not set", 0) == 0);
    CHECK(server.request_count() == 0);
  }

  TEST_CASE("errors name the URL with the key redacted") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(http_options());
    const auto provider = gpucost::make_gcp_provider();

    SUBCASE("a bad key is HTTP 400") {
      server.route(
          k_path,
          reply(
              400,
              R"({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT"}})"));
      auto result = provider->fetch(*http, fetch_options(server.url(), k_key));
      REQUIRE(!result);
      CHECK(result.error().message.find(k_key) == std::string::npos);
      CHECK(result.error().message.find("returned HTTP 400: bad API key (set GCP_API_KEY)")
            != std::string::npos);
    }
    SUBCASE("a 500 whose body echoes the key") {
      server.route(
          k_path,
          reply(500, R"({"error": {"message": "backend failed for key )" + k_key + R"("}})"));
      auto result = provider->fetch(*http, fetch_options(server.url(), k_key));
      REQUIRE(!result);
      CHECK(result.error().message.find(k_key) == std::string::npos);
      CHECK(result.error().message.find("returned HTTP 500: server error; try again later")
            != std::string::npos);
      CHECK(result.error().message.find("gcp: GET " + server.url() + k_path + "?key=") == 0);
    }
    SUBCASE("a truncated second page") {
      server.route(k_path, reply(200, fixture("skus-page1.json")));
      server.route(k_path, reply(200, fixture("skus-page2.json"), true));
      auto result = provider->fetch(*http, fetch_options(server.url(), k_key));
      REQUIRE(!result);
      CHECK(result.error().message.find(k_key) == std::string::npos);
      CHECK(result.error().message.find("response body truncated") != std::string::npos);
      CHECK(result.error().message.find("pageToken=") != std::string::npos);
    }
    SUBCASE("malformed JSON") {
      server.route(k_path, reply(200, R"({"skus": [)"));
      auto result = provider->fetch(*http, fetch_options(server.url(), k_key));
      REQUIRE(!result);
      CHECK(result.error().message.find(k_key) == std::string::npos);
      CHECK(result.error().message.rfind("gcp: truncated JSON in ", 0) == 0);
    }
  }
}

} // namespace gpucost_test_gcp
