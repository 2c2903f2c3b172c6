// Azure Retail Prices adapter: the SKU table, page parsing, pagination URLs and the fetch glue.

#include "loopback_server.hpp"

#include <gpucost/data/data_set.hpp>
#include <gpucost/sources/providers/azure.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_azure {

using namespace std::string_literals;

namespace {

gpucost::GpuSpec spec(std::string name, double memory_gb, std::vector<std::string> aliases = {}) {
  gpucost::GpuSpec gpu;
  gpu.name = std::move(name);
  gpu.memory_gb = memory_gb;
  gpu.aliases = std::move(aliases);
  return gpu;
}

const gpucost::GpuDatabase& test_gpus() {
  static const gpucost::GpuDatabase gpus(
      {spec("T4", 16),
       spec("A10", 24),
       spec("A100 80GB", 80, {"A100 PCIe 80GB", "A100 SXM4 80GB"}),
       spec("A100 40GB", 40, {"A100 SXM4 40GB"}),
       spec("H100", 80, {"H100 SXM", "H100 SXM5"}),
       spec("H100 NVL", 94),
       spec("H200", 141)});
  return gpus;
}

gpucost::ParseContext context() {
  gpucost::ParseContext ctx;
  ctx.gpus = &test_gpus();
  ctx.now = "2026-11-23T00:00:00Z";
  ctx.source_url = "https://prices.azure.com/api/retail/prices";
  return ctx;
}

std::string fixture(const std::string& name) {
  return gpucost::value_or_throw(
      gpucost::read_text_file(std::string(GPUCOST_TEST_FIXTURES) + "/azure/" + name));
}

const gpucost::AzureSkuTable& table() {
  static const gpucost::AzureSkuTable loaded = gpucost::value_or_throw(
      gpucost::load_azure_sku_table(std::string(GPUCOST_SOURCE_DIR) + "/data"));
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

bool has_warning(const std::vector<std::string>& warnings, const std::string& needle) {
  return std::any_of(warnings.begin(), warnings.end(), [&](const std::string& warning) {
    return warning.find(needle) != std::string::npos;
  });
}

} // namespace

TEST_SUITE("azure") {
  TEST_CASE("the bundled SKU table loads and knows whole and fractional sizes") {
    const auto& sizes = table().sizes;
    REQUIRE(sizes.count("standard_nc24ads_a100_v4") == 1);
    const auto& a100 = sizes.at("standard_nc24ads_a100_v4");
    CHECK(a100.gpu_count == 1);
    CHECK(a100.vcpus == 24);
    CHECK(a100.ram_gb == 220);
    CHECK(a100.gpu_memory_gb == 80);
    CHECK(sizes.at("standard_nc64as_t4_v3").gpu_count == 4);
    CHECK(sizes.at("standard_nv6ads_a10_v5").gpu_count == 0);
    CHECK(sizes.at("standard_nv6ads_a10_v5").gpu_fraction == "1/6");
  }

  TEST_CASE("SKU table errors name the file, the line and the field") {
    const std::string text = R"({"schema": "gpucost/azure-skus", "schemaVersion": 1,
"source": "https://example.com", "as_of": "2026-11-23", "gpu_size_pattern": "^Standard_N",
"series": [{"series": "x", "source": "https://example.com", "gpu": ["T4"], "gpu_memory_gb": 16,
  "sizes": [{"name": "Standard_NC4as_T4_v3", "vcpus": 4, "ram_gb": 28}]}]})";
    auto parsed = gpucost::parse_azure_sku_table(text, "azure-skus.json");
    REQUIRE(!parsed);
    CHECK(parsed.error().message
          == "azure-skus.json:4: series[0].sizes[0]: needs exactly one of \"gpu_count\" and "
             "\"gpu_fraction\"");

    auto bad_regex = gpucost::parse_azure_sku_table(
        R"({"schema": "gpucost/azure-skus", "schemaVersion": 1, "source": "s", "as_of": "d",
"gpu_size_pattern": "^Standard_N(", "series": []})",
        "t.json");
    REQUIRE(!bad_regex);
    CHECK(
        bad_regex.error().message.rfind("t.json:2: gpu_size_pattern: invalid regular expression", 0)
        == 0);
  }

  TEST_CASE("two pages become one offer per size and region with spot merged in") {
    auto result = gpucost::parse_azure_prices(
        {fixture("prices-page1.json"), fixture("prices-page2.json")}, table(), context());
    REQUIRE(result);
    const auto& offers = result->offers;
    std::vector<std::string> keys;
    for (const auto& offer : offers) {
      keys.push_back(offer.name + "@" + offer.region);
    }
    CHECK(keys
          == std::vector<std::string>{"Standard_NC24ads_A100_v4@eastus",
                                      "Standard_NC24ads_A100_v4@westus2",
                                      "Standard_NC40ads_H100_v5@eastus",
                                      "Standard_NC4as_T4_v3@eastus",
                                      "Standard_ND96isr_H100_v5@eastus"});

    SUBCASE("Linux on-demand price, spot from the Spot row; Windows, Low Priority and the "
            "reservation's term total are ignored") {
      const auto* a100 = find_offer(offers, "Standard_NC24ads_A100_v4", "eastus");
      REQUIRE(a100 != nullptr);
      CHECK(a100->provider == "azure");
      CHECK(a100->product == gpucost::Product::vm);
      CHECK(a100->gpu == "A100 80GB");
      CHECK(a100->gpu_count == 1);
      CHECK(a100->gpu_memory_gb == 80);
      CHECK(a100->vcpus == 24);
      CHECK(a100->ram_gb == 220);
      CHECK(a100->price_per_hour == doctest::Approx(3.673));
      CHECK(a100->spot_price_per_hour == doctest::Approx(0.7345));
      CHECK(a100->fetched_at == "2026-11-23T00:00:00Z");
      CHECK(a100->source == "https://prices.azure.com/api/retail/prices");
      CHECK(find_offer(offers, "Standard_NC48ads_A100_v4", "eastus") == nullptr);
    }

    SUBCASE("a spot row on a later page still lands on its on-demand offer; \" Win\" is Windows") {
      const auto* h100 = find_offer(offers, "Standard_NC40ads_H100_v5", "eastus");
      REQUIRE(h100 != nullptr);
      CHECK(h100->gpu == "H100 NVL");
      CHECK(h100->price_per_hour == doctest::Approx(6.98));
      CHECK(h100->spot_price_per_hour == doctest::Approx(2.792));
    }

    SUBCASE("legacy and new product names: the later effectiveStartDate wins") {
      const auto* west = find_offer(offers, "Standard_NC24ads_A100_v4", "westus2");
      REQUIRE(west != nullptr);
      CHECK(west->price_per_hour == doctest::Approx(3.80));
      CHECK(!west->spot_price_per_hour);
    }

    SUBCASE("DevTest rows are ignored and a zero price is no offer") {
      const auto* t4 = find_offer(offers, "Standard_NC4as_T4_v3", "eastus");
      REQUIRE(t4 != nullptr);
      CHECK(t4->price_per_hour == doctest::Approx(0.526));
      CHECK(find_offer(offers, "Standard_NC4as_T4_v3", "westus") == nullptr);
    }

    SUBCASE("a spot-only size keeps its spot price and leaves on-demand unknown") {
      const auto* nd = find_offer(offers, "Standard_ND96isr_H100_v5", "eastus");
      REQUIRE(nd != nullptr);
      CHECK(!nd->price_per_hour);
      CHECK(nd->spot_price_per_hour == doctest::Approx(39.9));
      CHECK(nd->gpu_count == 8);
      CHECK(nd->gpu == "H100");
    }

    SUBCASE("unknown GPU sizes and fractional sizes warn once; others are skipped silently") {
      CHECK(has_warning(result->warnings,
                        "azure: GPU size \"Standard_NC128ds_xl_RTXPRO6000BSE_v6\" is not in "
                        "data/providers/azure-skus.json; skipped"));
      CHECK(has_warning(result->warnings,
                        "azure: Standard_NV6ads_A10_v5 has 1/6 of a GPU; skipped (gpucost ranks "
                        "whole GPUs)"));
      CHECK(!has_warning(result->warnings, "Standard_D2s_v3"));
      CHECK(!has_warning(result->warnings, "Standard_NC6s_v3"));
      CHECK(result->warnings.size() == 2);
    }
  }

  TEST_CASE("a page without Items or with broken JSON is an error naming the source") {
    gpucost::AzurePriceCollector collector(table(), context());
    auto missing = collector.add_page(R"({"NextPageLink": null})", "https://x/api/retail/prices");
    REQUIRE(!missing);
    CHECK(
        missing.error().message
        == "azure: unexpected response from https://x/api/retail/prices: missing array \"Items\"");
    auto broken = collector.add_page("{\"Items\": [", "https://x/p");
    REQUIRE(!broken);
    CHECK(broken.error().message.find("azure: ") == 0);
    CHECK(broken.error().message.find("https://x/p") != std::string::npos);
  }

  TEST_CASE("NextPageLink: returned as is, empty on the last page") {
    gpucost::AzurePriceCollector collector(table(), context());
    auto next = collector.add_page(fixture("prices-page1.json"), "p1");
    REQUIRE(next);
    CHECK(next->find("$skip=1000") != std::string::npos);
    auto last = collector.add_page(fixture("prices-page2.json"), "p2");
    REQUIRE(last);
    CHECK(last->empty());
  }

  TEST_CASE("the first page URL filters Linux-agnostic VM consumption rows, per region if asked") {
    CHECK(gpucost::azure_prices_url("", "")
          == "https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&$filter="
             "serviceName%20eq%20%27Virtual%20Machines%27%20and%20priceType%20eq%20%27Consumption%"
             "27");
    CHECK(
        gpucost::azure_prices_url("http://127.0.0.1:8080/", "eastus")
        == "http://127.0.0.1:8080/api/retail/prices?api-version=2023-01-01-preview&$filter="
           "serviceName%20eq%20%27Virtual%20Machines%27%20and%20priceType%20eq%20%27Consumption%27"
           "%20and%20armRegionName%20eq%20%27eastus%27");
  }

  TEST_CASE("next page URLs keep the API version and follow a base URL override") {
    const std::string link =
        "https://prices.azure.com:443/api/retail/"
        "prices?$filter=serviceName%20eq%20%27Virtual%20Machines%27&$skip=1000";
    CHECK(gpucost::azure_next_page_url(link, "") == link + "&api-version=2023-01-01-preview");
    CHECK(gpucost::azure_next_page_url(link, "http://127.0.0.1:5555")
          == "http://127.0.0.1:5555/api/retail/"
             "prices?$filter=serviceName%20eq%20%27Virtual%20Machines%27&$skip=1000&api-version="
             "2023-01-01-preview");
    CHECK(
        gpucost::azure_next_page_url(
            "https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&$skip=2000",
            "")
        == "https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&$skip=2000");
  }

  TEST_CASE("the shared sample parses when present" * doctest::test_suite("samples")) {
    const std::string path =
        std::string(GPUCOST_SOURCE_DIR) + "/../shared/samples/azure-retail-prices.json";
    if (!std::filesystem::exists(path)) {
      MESSAGE("skipped: " << path << " is absent");
      return;
    }
    auto result = gpucost::parse_azure_prices(
        {gpucost::value_or_throw(gpucost::read_text_file(path))}, table(), context());
    REQUIRE(result);
    const auto* a100 = find_offer(result->offers, "Standard_NC24ads_A100_v4", "eastus");
    REQUIRE(a100 != nullptr);
    CHECK(a100->price_per_hour == doctest::Approx(3.673));
    CHECK(a100->spot_price_per_hour == doctest::Approx(0.7345));
    const auto* h100 = find_offer(result->offers, "Standard_NC40ads_H100_v5", "eastus");
    REQUIRE(h100 != nullptr);
    CHECK(h100->price_per_hour == doctest::Approx(6.98)); // not the 8.82 Windows row
    CHECK(find_offer(result->offers, "Standard_NC48ads_A100_v4", "eastus") == nullptr);
  }

  TEST_CASE("the provider's identity") {
    const auto provider = gpucost::make_azure_provider();
    CHECK(provider->id() == "azure");
    CHECK(provider->api_key_env().empty());
    CHECK(!provider->key_required());
    CHECK(provider->default_base_url() == "https://prices.azure.com");
  }
}

TEST_SUITE("azure fetch") {
  using gpucost::test::LoopbackServer;
  using gpucost::test::ScriptedResponse;

  ScriptedResponse reply(int status, std::string body) {
    ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }

  // `response` cut short: 100 bytes more are announced than sent.
  ScriptedResponse truncated(ScriptedResponse response) {
    response.truncate = true;
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

  gpucost::FetchOptions fetch_options(const std::string& base,
                                      std::vector<std::string> regions = {}) {
    gpucost::FetchOptions options;
    options.base_url = base;
    options.now = "2026-11-23T00:00:00Z";
    options.gpus = &test_gpus();
    options.data_dir = std::string(GPUCOST_SOURCE_DIR) + "/data";
    options.regions = std::move(regions);
    return options;
  }

  TEST_CASE("fetch follows NextPageLink on the override host even when Count < 1000") {
    LoopbackServer server;
    server.route("/api/retail/prices", reply(200, fixture("prices-page1.json")));
    server.route("/api/retail/prices", reply(200, fixture("prices-page2.json")));
    auto http = gpucost::make_curl_client(http_options());
    const auto provider = gpucost::make_azure_provider();
    auto result = provider->fetch(*http, fetch_options(server.url()));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    CHECK(result->offers.size() == 5);
    CHECK(result->source_url == gpucost::azure_prices_url(server.url(), ""));
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].target.find("api-version=2023-01-01-preview&$filter=serviceName%20eq")
          != std::string::npos);
    CHECK(requests[1].target.find("$skip=1000") != std::string::npos);
    CHECK(requests[1].target.find("api-version=2023-01-01-preview") != std::string::npos);
    const auto* spot = find_offer(result->offers, "Standard_NC40ads_H100_v5", "eastus");
    REQUIRE(spot != nullptr);
    CHECK(spot->spot_price_per_hour == doctest::Approx(2.792));
  }

  TEST_CASE("fetch walks each requested region with an armRegionName filter") {
    LoopbackServer server;
    server.route("/api/retail/prices", reply(200, fixture("prices-page2.json")));
    auto http = gpucost::make_curl_client(http_options());
    auto result = gpucost::make_azure_provider()->fetch(
        *http, fetch_options(server.url(), {"eastus", "westus2"}));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].target.find("armRegionName%20eq%20%27eastus%27") != std::string::npos);
    CHECK(requests[1].target.find("armRegionName%20eq%20%27westus2%27") != std::string::npos);
    auto bad =
        gpucost::make_azure_provider()->fetch(*http, fetch_options(server.url(), {"east us'"}));
    REQUIRE(!bad);
    CHECK(bad.error().message
          == "azure: \"east us'\" is not an Azure region name (armRegionName, e.g. eastus)");
  }

  TEST_CASE("fetch failures name the provider, the URL and the status") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(http_options());
    const auto provider = gpucost::make_azure_provider();
    const std::string url = gpucost::azure_prices_url(server.url(), "");

    SUBCASE("500 on the second page") {
      server.route("/api/retail/prices", reply(200, fixture("prices-page1.json")));
      server.route("/api/retail/prices", reply(500, R"({"Error": {"Message": "busy"}})"));
      auto result = provider->fetch(*http, fetch_options(server.url()));
      REQUIRE(!result);
      CHECK(result.error().message.rfind(
                "azure: GET " + server.url() + "/api/retail/prices?$filter=", 0)
            == 0);
      CHECK(result.error().message.find("returned HTTP 500: server error; try again later")
            != std::string::npos);
    }
    SUBCASE("a truncated body") {
      server.route("/api/retail/prices", truncated(reply(200, fixture("prices-page1.json"))));
      auto result = provider->fetch(*http, fetch_options(server.url()));
      REQUIRE(!result);
      INFO(result.error().message);
      CHECK(result.error().message.rfind("azure: GET " + url, 0) == 0);
      CHECK(result.error().message.find("truncated") != std::string::npos);
    }
    SUBCASE("a NextPageLink that points back to a page already read") {
      std::string looping = fixture("prices-page2.json");
      looping.replace(
          looping.find("\"NextPageLink\": null"),
          std::string("\"NextPageLink\": null").size(),
          "\"NextPageLink\": "
          "\"https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview&$skip=1\"");
      server.route("/api/retail/prices", reply(200, looping));
      auto result = provider->fetch(*http, fetch_options(server.url()));
      REQUIRE(!result);
      CHECK(result.error().message.find("repeats a page already read") != std::string::npos);
    }
  }
}

} // namespace gpucost_test_azure
