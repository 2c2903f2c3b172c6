// A compare JSON document read back as a baseline: keys, traits, filters and figures survive the
// round trip exactly; errors name file, line and field.

#include <gpucost/data/baseline_file.hpp>
#include <gpucost/model/option_key.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/model/reprice.hpp>
#include <gpucost/render/render.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_baseline_file {

using namespace gpucost;

namespace {

GpuDatabase gpus() {
  GpuSpec l4;
  l4.name = "L4";
  l4.vendor = "nvidia";
  l4.memory_gb = 24;
  l4.fp16_tflops = 121;
  return GpuDatabase({l4});
}

ProviderTable providers() {
  ProviderInfo cloud;
  cloud.id = "cloud";
  cloud.tier = "hyperscaler";
  cloud.egress_per_gb = 0.09;
  return ProviderTable({cloud});
}

CompareResult sample(const OfferFilters& filters) {
  Offer offer;
  offer.provider = "cloud";
  offer.product = Product::vm;
  offer.name = "g6.xlarge";
  offer.gpu = "L4";
  offer.region = "us-east-1";
  offer.price_per_hour = 0.805;
  offer.spot_price_per_hour = 0.3501;
  offer.billing_minimum_s = 60;
  offer.cold_start_s = 45;
  offer.fetched_at = "2026-11-20T00:00:00Z";
  Workload w;
  w.name = "render";
  w.ref_gpu = "L4";
  w.job_seconds = 333.3;
  w.jobs_per_month = 1234;
  w.output_gb = 0.7;
  w.interruptions_per_hour = 0.05;
  return rank_options(
      {offer}, gpus(), providers(), gpucost::BenchmarkTable{}, w, filters, 1795435200);
}

} // namespace

TEST_CASE("a compare document round-trips as a baseline") {
  OfferFilters filters;
  filters.providers = {"cloud"};
  filters.regions = {"us"};
  filters.pricing = Pricing::spot;
  const CompareResult result = sample(filters);
  REQUIRE(!result.options.empty());
  const std::string text = render_compare_json(result);
  const auto baseline = parse_baseline(text, "base.json", providers());
  REQUIRE_MESSAGE(baseline.has_value(), (baseline ? "" : baseline.error().message));
  CHECK(baseline->has_filters);
  CHECK(baseline->result.filters.providers == filters.providers);
  CHECK(baseline->result.filters.regions == filters.regions);
  CHECK(baseline->result.filters.pricing == Pricing::spot);
  CHECK(!baseline->result.filters.mode);
  CHECK(!baseline->result.top);
  CHECK(baseline->result.workload.job_seconds == 333.3);
  REQUIRE(baseline->result.options.size() == result.options.size());
  for (std::size_t i = 0; i < result.options.size(); ++i) {
    const RankedOption& before = result.options[i];
    const RankedOption& after = baseline->result.options[i];
    CHECK(after.key == before.key);
    CHECK(after.traits_known);
    CHECK(after.estimate.cost_per_job == before.estimate.cost_per_job);
    CHECK(after.estimate.monthly_cost == before.estimate.monthly_cost);
    CHECK(after.option.interruptions_per_hour == before.option.interruptions_per_hour);
    CHECK(after.option.egress_usd_per_job == before.option.egress_usd_per_job);
    CHECK(after.egress_usd_per_gb == before.egress_usd_per_gb);
    // Repricing the document's own workload on the read-back row reproduces it exactly.
    const auto repriced = reprice_row(after, baseline->result.workload, gpus());
    REQUIRE(repriced.has_value());
    CHECK(repriced->cost_per_job == before.estimate.cost_per_job);
    CHECK(repriced->monthly_cost == before.estimate.monthly_cost);
  }
}

TEST_CASE("an older document without keys gets them recomputed") {
  const CompareResult result = sample(OfferFilters{});
  std::string text = render_compare_json(result);
  const std::string key = result.options.front().key;
  for (auto at = text.find("\"key\": "); at != std::string::npos; at = text.find("\"key\": ")) {
    text.erase(at, text.find('\n', at) - at + 1);
  }
  const auto baseline = parse_baseline(text, "old.json", providers());
  REQUIRE(baseline.has_value());
  CHECK(baseline->result.options.front().key == key);
}

TEST_CASE("bad baselines are refused with file, line and field") {
  const auto wrong_schema = parse_baseline(
      "{\"schema\": \"gpucost/check\", \"schemaVersion\": 1}", "x.json", providers());
  REQUIRE(!wrong_schema);
  CHECK(wrong_schema.error().message.find("x.json:1: schema: expected \"gpucost/compare\"") == 0);
  const auto newer = parse_baseline(
      "{\"schema\": \"gpucost/compare\", \"schemaVersion\": 9}", "x.json", providers());
  REQUIRE(!newer);
  CHECK(newer.error().message.find("schemaVersion") != std::string::npos);
}

TEST_CASE("catalog sources keep their price origin through a baseline; an unknown one is refused") {
  for (const auto origin : {PriceOrigin::live,
                            PriceOrigin::cache,
                            PriceOrigin::bundled,
                            PriceOrigin::file,
                            PriceOrigin::none}) {
    CHECK(parse_price_origin(to_string(origin)) == origin);
  }
  CHECK(!parse_price_origin("cached"));
  CHECK(!parse_price_origin("Live"));

  CompareResult result = sample(OfferFilters{});
  result.catalog.sources = {{PriceOrigin::bundled, "data/catalog/cloud.json", "cloud", "", 1},
                            {PriceOrigin::cache, "/tmp/cloud.json", "cloud", "", 2},
                            {PriceOrigin::live, "/tmp/other.json", "other", "", 3},
                            {PriceOrigin::file, "mine.json", "", "", 4}};
  std::string text = render_compare_json(result);
  CHECK(text.find("\"origin\": \"cache\"") != std::string::npos);
  const auto baseline = parse_baseline(text, "base.json", providers());
  REQUIRE_MESSAGE(baseline.has_value(), (baseline ? "" : baseline.error().message));
  REQUIRE(baseline->result.catalog.sources.size() == 4);
  CHECK(baseline->result.catalog.sources[0].origin == PriceOrigin::bundled);
  CHECK(baseline->result.catalog.sources[1].origin == PriceOrigin::cache);
  CHECK(baseline->result.catalog.sources[2].origin == PriceOrigin::live);
  CHECK(baseline->result.catalog.sources[3].origin == PriceOrigin::file);

  for (const std::string word : {"cached", "none"}) {
    std::string changed = text;
    const auto at = changed.find("\"origin\": \"cache\"");
    changed.replace(
        at, std::string("\"origin\": \"cache\"").size(), "\"origin\": \"" + word + "\"");
    const auto refused = parse_baseline(changed, "base.json", providers());
    REQUIRE(!refused);
    CHECK(refused.error().message.rfind("base.json:", 0) == 0);
    CHECK(refused.error().message.find(": catalog.sources[1].origin: unknown origin \"" + word
                                       + "\" (live, cache, bundled or file)")
          != std::string::npos);
  }
}

} // namespace gpucost_test_baseline_file
