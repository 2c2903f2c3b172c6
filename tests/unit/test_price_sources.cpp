// Choosing each live provider's prices: fresh cache, else refresh, else stale cache, else bundled.

#include "temp_dir.hpp"

#include <gpucost/sources/cache.hpp>
#include <gpucost/sources/price_sources.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_price_sources {

namespace fs = std::filesystem;

namespace {

gpucost::Offer
offer(const std::string& provider, gpucost::Product product, double price, const std::string& at) {
  gpucost::Offer o;
  o.provider = provider;
  o.product = product;
  o.gpu = "RTX 4090";
  o.price_per_hour = price;
  o.source = "test";
  o.fetched_at = at;
  return o;
}

gpucost::LoadedCatalog bundled() {
  gpucost::LoadedCatalog catalog;
  catalog.offers = {offer("runpod", gpucost::Product::pod, 0.70, "2026-08-01T00:00:00Z"),
                    offer("runpod", gpucost::Product::serverless, 1.10, "2026-08-01T00:00:00Z"),
                    offer("vastai", gpucost::Product::pod, 0.40, "2026-08-01T00:00:00Z")};
  catalog.sources = {
      {gpucost::PriceOrigin::bundled, "runpod.json", "runpod", "2026-08-01T00:00:00Z", 2},
      {gpucost::PriceOrigin::bundled, "vastai.json", "vastai", "2026-08-01T00:00:00Z", 1}};
  return catalog;
}

using gpucost::test::TempDir;

constexpr std::int64_t k_now = 1795435200; // 2026-11-23T12:00:00Z

} // namespace

TEST_CASE("a cache of pods replaces bundled pods and keeps bundled serverless rows") {
  auto catalog = bundled();
  gpucost::overlay_provider_offers(
      catalog,
      "runpod",
      {offer("runpod", gpucost::Product::pod, 0.59, "2026-11-23T11:00:00Z")},
      {gpucost::PriceOrigin::cache, "runpod cache", "runpod", "2026-11-23T11:00:00Z", 1});
  REQUIRE(catalog.offers.size() == 3);
  int pods = 0;
  for (const auto& o : catalog.offers) {
    if (o.provider == "runpod" && o.product == gpucost::Product::pod) {
      ++pods;
      CHECK(*o.price_per_hour == doctest::Approx(0.59));
    }
  }
  CHECK(pods == 1);
  CHECK(catalog.sources[0].offers == 1); // the bundled file keeps its serverless row
}

TEST_CASE("a provider bundled in two files is recounted file by file and aged by its oldest") {
  // data/catalog/runpod.json (parser rows) and runpod-pages.json (page rows), as loaded.
  gpucost::LoadedCatalog catalog;
  catalog.offers = {offer("runpod", gpucost::Product::pod, 0.70, "2026-08-19T00:00:00Z"),
                    offer("runpod", gpucost::Product::serverless, 1.10, "2026-11-23T00:00:00Z"),
                    offer("runpod", gpucost::Product::pod, 0.74, "2026-08-22T00:00:00Z"),
                    offer("runpod", gpucost::Product::pod, 0.34, "2026-08-22T00:00:00Z")};
  catalog.sources = {
      {gpucost::PriceOrigin::bundled, "runpod-pages.json", "runpod", "2026-08-19T00:00:00Z", 2},
      {gpucost::PriceOrigin::bundled, "runpod.json", "runpod", "2026-08-22T00:00:00Z", 2}};

  SUBCASE("offline without a cache: one provider state over both files") {
    TempDir empty;
    gpucost::PriceSourcePolicy policy;
    policy.offline = true;
    std::vector<gpucost::ProviderPriceState> states;
    gpucost::assemble_price_sources(
        catalog, {}, {"runpod"}, empty.path(), policy, k_now, {}, states);
    REQUIRE(states.size() == 1);
    CHECK(states[0].origin == gpucost::PriceOrigin::bundled);
    CHECK(states[0].offers == 4);
    CHECK(states[0].fetched_at == "2026-08-19T00:00:00Z");
  }
  SUBCASE("a cache of pods leaves the pages file its serverless row and drops the parser file") {
    gpucost::overlay_provider_offers(
        catalog,
        "runpod",
        {offer("runpod", gpucost::Product::pod, 0.59, "2026-11-23T11:00:00Z")},
        {gpucost::PriceOrigin::cache, "runpod cache", "runpod", "2026-11-23T11:00:00Z", 1});
    REQUIRE(catalog.offers.size() == 2);
    REQUIRE(catalog.sources.size() == 2);
    CHECK(catalog.sources[0].location == "runpod-pages.json");
    CHECK(catalog.sources[0].offers == 1);
    CHECK(catalog.sources[1].origin == gpucost::PriceOrigin::cache);
  }
}

TEST_CASE("fresh cache is used without fetching; stale cache is refreshed; failures fall back") {
  TempDir dir;
  REQUIRE(gpucost::write_provider_cache(
      dir.path(),
      "runpod",
      {offer("runpod", gpucost::Product::pod, 0.59, "2026-11-23T11:00:00Z")},
      "2026-11-23T11:00:00Z",
      "http://example.invalid"));
  REQUIRE(gpucost::write_provider_cache(
      dir.path(),
      "vastai",
      {offer("vastai", gpucost::Product::pod, 0.35, "2026-11-20T00:00:00Z")},
      "2026-11-20T00:00:00Z",
      "http://example.invalid"));
  std::vector<std::string> asked;
  const auto failing_refresh = [&](const std::vector<std::string>& ids) {
    asked = ids;
    std::vector<gpucost::RefreshStatus> outcomes;
    for (const auto& id : ids) {
      gpucost::RefreshStatus status;
      status.id = id;
      status.error = "HTTP 503";
      outcomes.push_back(status);
    }
    return outcomes;
  };

  SUBCASE("online: only the stale provider is fetched, and its failure keeps the stale cache") {
    std::vector<gpucost::ProviderPriceState> states;
    const auto catalog = gpucost::assemble_price_sources(bundled(),
                                                         {},
                                                         {"vastai", "runpod", "lambda"},
                                                         dir.path(),
                                                         {},
                                                         k_now,
                                                         failing_refresh,
                                                         states);
    CHECK(asked == std::vector<std::string>{"vastai", "lambda"});
    REQUIRE(states.size() == 3);
    CHECK(states[0].origin == gpucost::PriceOrigin::cache);
    CHECK(states[0].problem == "HTTP 503");
    CHECK(states[1].origin == gpucost::PriceOrigin::cache);
    CHECK(states[2].origin == gpucost::PriceOrigin::none);
    CHECK(catalog.offers.size() == 3);
  }
  SUBCASE("offline never calls the refresh") {
    gpucost::PriceSourcePolicy policy;
    policy.offline = true;
    std::vector<gpucost::ProviderPriceState> states;
    gpucost::assemble_price_sources(
        bundled(), {}, {"vastai", "runpod"}, dir.path(), policy, k_now, failing_refresh, states);
    CHECK(asked.empty());
    CHECK(states[0].origin == gpucost::PriceOrigin::cache);
  }
  SUBCASE("no cache: bundled prices, and they say so") {
    TempDir empty;
    gpucost::PriceSourcePolicy policy;
    policy.offline = true;
    std::vector<gpucost::ProviderPriceState> states;
    const auto catalog = gpucost::assemble_price_sources(
        bundled(), {}, {"vastai", "runpod"}, empty.path(), policy, k_now, failing_refresh, states);
    CHECK(states[0].origin == gpucost::PriceOrigin::bundled);
    CHECK(states[1].origin == gpucost::PriceOrigin::bundled);
    CHECK(catalog.offers.size() == 3);
  }
}

TEST_CASE("parse_duration_s") {
  CHECK(*gpucost::parse_duration_s("90") == 90);
  CHECK(*gpucost::parse_duration_s("15m") == 900);
  CHECK(*gpucost::parse_duration_s("6h") == 21600);
  CHECK(*gpucost::parse_duration_s("2d") == 172800);
  CHECK(!gpucost::parse_duration_s("6 hours"));
  CHECK(!gpucost::parse_duration_s("-1h"));
  CHECK(gpucost::parse_duration_s("x").error().message
        == "\"x\" is not a duration (use seconds, or a number with s, m, h or d: \"6h\")");
}

} // namespace gpucost_test_price_sources
