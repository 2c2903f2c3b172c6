// The pricing pipeline's pieces, each on its own: trait precedence, row plans, job time scaling
// (the cross-vendor rule), every filter, ranking's tie-breaks and limit, the offers listing.

#include <gpucost/model/filters.hpp>
#include <gpucost/model/job_time.hpp>
#include <gpucost/model/offer_listing.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/model/row_plan.hpp>
#include <gpucost/model/traits.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_model_pipeline {

namespace {

using gpucost::Mode;
using gpucost::Offer;
using gpucost::Pricing;
using gpucost::Product;

gpucost::GpuSpec gpu(const char* name,
                     const char* vendor,
                     double memory_gb,
                     double fp16_tflops,
                     std::optional<int> nvenc) {
  gpucost::GpuSpec spec;
  spec.name = name;
  spec.vendor = vendor;
  spec.memory_gb = memory_gb;
  spec.fp16_tflops = fp16_tflops;
  spec.nvenc = nvenc;
  return spec;
}

gpucost::GpuDatabase gpus() {
  return gpucost::GpuDatabase({gpu("L4", "nvidia", 24, 121, 2),
                               gpu("H100 SXM", "nvidia", 80, 989, 0),
                               gpu("MI300X", "amd", 192, 1307, std::nullopt)});
}

Offer offer(std::string provider, Product product, std::string gpu, double usd_per_hour) {
  Offer o;
  o.provider = std::move(provider);
  o.product = product;
  o.gpu = std::move(gpu);
  o.price_per_hour = usd_per_hour;
  o.fetched_at = "2026-11-20T00:00:00Z";
  return o;
}

// The job time on `gpu` with no benchmark figures: the spec-sheet classes only.
gpucost::Expected<double> job_seconds_on(const gpucost::Workload& w,
                                         const gpucost::GpuSpec& gpu,
                                         const gpucost::GpuDatabase& db) {
  const gpucost::BenchmarkTable none;
  auto time = gpucost::job_time_on(w, gpu, db, none);
  if (!time) {
    return gpucost::Unexpected{time.error()};
  }
  return time->seconds;
}

gpucost::Workload workload() {
  gpucost::Workload w;
  w.ref_gpu = "L4";
  w.job_seconds = 100;
  return w;
}

} // namespace

TEST_SUITE("model pipeline: traits") {
  TEST_CASE("the offer beats providers.json, which beats the defaults, which are named") {
    Offer o = offer("p", Product::pod, "L4", 1.0);
    o.billing_granularity_s = 60;
    gpucost::ProductTraits documented;
    documented.billing_granularity_s = 1;
    documented.billing_minimum_s = 30;
    const auto resolved = gpucost::resolve_traits(o, &documented, nullptr, workload());
    CHECK(resolved.option.granularity_s == 60);
    CHECK(resolved.option.minimum_s == 30);
    CHECK((resolved.defaulted & gpucost::k_granularity) == 0);
    CHECK((resolved.defaulted & gpucost::k_minimum) == 0);
    CHECK((resolved.defaulted & gpucost::k_cold_start) != 0);
    CHECK(!resolved.timeout_known);
    const auto names = gpucost::trait_names(resolved.defaulted);
    CHECK(std::find(names.begin(), names.end(), "cold_start_s") != names.end());
    CHECK(std::find(names.begin(), names.end(), "billing_minimum_s") == names.end());
  }

  TEST_CASE("the workload's overrides beat the offer and are not defaults") {
    Offer o = offer("p", Product::serverless, "L4", 1.0);
    o.cold_start_s = 20;
    o.idle_timeout_s = 5;
    auto w = workload();
    w.cold_start_s = 3;
    w.idle_timeout_s = 300;
    const auto resolved = gpucost::resolve_traits(o, nullptr, nullptr, w);
    CHECK(resolved.option.cold_start_s == 3);
    CHECK(resolved.option.idle_timeout_s == 300);
    CHECK(resolved.timeout_known);
    CHECK((resolved.defaulted & gpucost::k_cold_start) == 0);
  }

  TEST_CASE("slots are the instance's GPUs over the job's, at least one") {
    Offer o = offer("p", Product::vm, "L4", 8.0);
    o.gpu_count = 8;
    auto w = workload();
    w.gpus_per_job = 3;
    CHECK(gpucost::resolve_traits(o, nullptr, nullptr, w).option.slots == 2);
  }
}

TEST_SUITE("model pipeline: row plans") {
  TEST_CASE("a pod has per-job and always-on rows, keep-alive only with a known timeout") {
    Offer o = offer("p", Product::pod, "L4", 1.0);
    o.spot_price_per_hour = 0.4;
    const auto rows = gpucost::plan_rows(o, nullptr, false);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].mode == Mode::per_job);
    CHECK(rows[1].mode == Mode::always_on);
    CHECK((rows[2].mode == Mode::per_job && rows[2].pricing == Pricing::spot));
    CHECK(rows[2].usd_per_hour == 0.4);
    CHECK(gpucost::plan_rows(o, nullptr, true).size() == 5);
  }

  TEST_CASE("serverless per-job is keep-alive with no timeout; dedicated pays monthly over 730 h") {
    const auto serverless =
        gpucost::plan_rows(offer("p", Product::serverless, "L4", 1.0), nullptr, false);
    REQUIRE(serverless.size() == 2);
    CHECK(serverless[0].serverless_per_job);
    CHECK(serverless[1].mode == Mode::keep_alive);
    Offer dedicated = offer("h", Product::dedicated, "L4", 0);
    dedicated.price_per_hour.reset();
    dedicated.monthly_price = 146.0;
    const auto rows = gpucost::plan_rows(dedicated, nullptr, false);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].mode == Mode::always_on);
    CHECK(rows[0].usd_per_hour == doctest::Approx(0.2));
  }

  TEST_CASE("a training job is priced per job only; a prediction endpoint always-on only") {
    Offer training = offer("vertex", Product::training, "L4", 1.0);
    training.spot_price_per_hour = 0.4;
    const auto jobs = gpucost::plan_rows(training, nullptr, true);
    REQUIRE(jobs.size() == 2);
    CHECK((jobs[0].mode == Mode::per_job && jobs[0].pricing == Pricing::on_demand));
    CHECK((jobs[1].mode == Mode::per_job && jobs[1].pricing == Pricing::spot));
    CHECK(jobs[1].usd_per_hour == 0.4);
    CHECK_FALSE(jobs[0].serverless_per_job);

    Offer endpoint = offer("vertex", Product::prediction, "L4", 1.0);
    const auto nodes = gpucost::plan_rows(endpoint, nullptr, true);
    REQUIRE(nodes.size() == 1);
    CHECK(nodes[0].mode == Mode::always_on);
    CHECK(nodes[0].usd_per_hour == 1.0);
    CHECK(gpucost::parse_product("training") == Product::training);
    CHECK(gpucost::to_string(Product::prediction) == "prediction");
  }

  TEST_CASE("an offer without any price plans no row") {
    Offer o = offer("p", Product::vm, "L4", 0);
    o.price_per_hour.reset();
    CHECK(gpucost::plan_rows(o, nullptr, true).empty());
  }
}

TEST_SUITE("model pipeline: job time") {
  TEST_CASE("measured beats scaling; compute scales by FP16 TFLOPS") {
    const auto db = gpus();
    auto w = workload();
    const auto on_h100 = job_seconds_on(w, *db.find("H100 SXM"), db);
    REQUIRE(on_h100);
    CHECK(*on_h100 == doctest::Approx(100.0 * 121.0 / 989.0));
    w.measured_seconds["H100 SXM"] = 42;
    CHECK(*job_seconds_on(w, *db.find("H100 SXM"), db) == 42);
  }

  TEST_CASE("no scaling across vendors unless the workload says so") {
    const auto db = gpus();
    auto w = workload();
    const auto amd = job_seconds_on(w, *db.find("MI300X"), db);
    REQUIRE(!amd);
    CHECK(amd.error().message.find("not scaled across vendors") != std::string::npos);
    CHECK(!gpucost::shared_left_out_reason(w, *db.find("MI300X"), db, gpucost::BenchmarkTable{})
               .empty());
    w.cross_vendor = true;
    CHECK(job_seconds_on(w, *db.find("MI300X"), db));
  }

  TEST_CASE("an encode job cannot run on a GPU without NVENC") {
    const auto db = gpus();
    auto w = workload();
    w.workload_class = gpucost::WorkloadClass::encode;
    CHECK(!job_seconds_on(w, *db.find("H100 SXM"), db));
  }
}

TEST_SUITE("model pipeline: filters") {
  const auto db = gpus();

  TEST_CASE("each offer filter") {
    Offer o = offer("runpod", Product::pod, "L4", 1.0);
    o.region = "US-East-1";
    gpucost::OfferFilters none;
    CHECK(gpucost::offer_matches(o, db, none));
    gpucost::OfferFilters f;
    f.providers = {"vastai"};
    CHECK(!gpucost::offer_matches(o, db, f));
    f = {};
    f.products = {Product::vm};
    CHECK(!gpucost::offer_matches(o, db, f));
    f = {};
    f.gpus = {"L4"};
    CHECK(gpucost::offer_matches(o, db, f));
    f.gpus = {"H100 SXM"};
    CHECK(!gpucost::offer_matches(o, db, f));
    f = {};
    f.regions = {"us-east"}; // a case-insensitive prefix
    CHECK(gpucost::offer_matches(o, db, f));
    f.regions = {"eu"};
    CHECK(!gpucost::offer_matches(o, db, f));
    f = {};
    f.min_vram_gb = 40; // the offer gives no memory: gpus.json's 24 GB counts
    CHECK(!gpucost::offer_matches(o, db, f));
    f.min_vram_gb = 24;
    CHECK(gpucost::offer_matches(o, db, f));
  }

  TEST_CASE("each row filter") {
    gpucost::OfferFilters f;
    CHECK(gpucost::row_matches(Mode::per_job, Pricing::spot, 9.0, f));
    f.mode = Mode::keep_alive;
    CHECK(!gpucost::row_matches(Mode::per_job, Pricing::on_demand, 1.0, f));
    f = {};
    f.pricing = Pricing::on_demand;
    CHECK(!gpucost::row_matches(Mode::per_job, Pricing::spot, 1.0, f));
    f = {};
    f.max_price_per_hour = 1.0;
    CHECK(gpucost::row_matches(Mode::always_on, Pricing::on_demand, 1.0, f));
    CHECK(!gpucost::row_matches(Mode::always_on, Pricing::on_demand, 1.01, f));
  }
}

TEST_SUITE("model pipeline: ranking") {
  TEST_CASE("equal costs are ordered by provider, then product; the limit keeps the cheapest") {
    const auto db = gpus();
    const std::vector<Offer> offers = {offer("zeta", Product::vm, "L4", 1.0),
                                       offer("alpha", Product::vm, "L4", 1.0),
                                       offer("alpha", Product::pod, "L4", 1.0),
                                       offer("beta", Product::vm, "L4", 0.5)};
    gpucost::OfferFilters per_job;
    per_job.mode = Mode::per_job;
    const auto all =
        gpucost::rank_options(offers, db, {}, gpucost::BenchmarkTable{}, workload(), per_job, 0);
    REQUIRE(all.options.size() == 4);
    CHECK(all.total_options == 4);
    CHECK(all.options[0].offer.provider == "beta");
    CHECK(
        (all.options[1].offer.provider == "alpha" && all.options[1].offer.product == Product::pod));
    CHECK(
        (all.options[2].offer.provider == "alpha" && all.options[2].offer.product == Product::vm));
    CHECK(all.options[3].offer.provider == "zeta");
    const auto top =
        gpucost::rank_options(offers, db, {}, gpucost::BenchmarkTable{}, workload(), per_job, 0, 2);
    REQUIRE(top.options.size() == 2);
    CHECK(top.total_options == 4);
    CHECK(top.options[1].rank == 2);
  }

  TEST_CASE("every mode an offer has is a row; defaulted traits are named on the row") {
    const auto db = gpus();
    const auto result = gpucost::rank_options({offer("p", Product::pod, "L4", 1.0)},
                                              db,
                                              {},
                                              gpucost::BenchmarkTable{},
                                              workload(),
                                              {},
                                              0);
    REQUIRE(result.options.size() == 2); // per-job and always-on: no timeout is known
    const auto& defaulted = result.options[0].defaulted;
    CHECK(std::find(defaulted.begin(), defaulted.end(), "cold_start_s") != defaulted.end());
  }
}

TEST_SUITE("model pipeline: offers listing") {
  TEST_CASE("cheapest first, an offer without a price last and never under a price cap") {
    const auto db = gpus();
    Offer unpriced = offer("a", Product::vm, "L4", 0);
    unpriced.price_per_hour.reset();
    Offer monthly = offer("h", Product::dedicated, "L4", 0);
    monthly.price_per_hour.reset();
    monthly.monthly_price = 73.0; // 0.10 an hour
    const std::vector<Offer> offers = {unpriced, offer("b", Product::vm, "L4", 2.0), monthly};
    const auto listed = gpucost::list_offers(offers, db, {}, 0);
    REQUIRE(listed.offers.size() == 3);
    CHECK(listed.offers[0].provider == "h");
    CHECK(listed.offers[1].provider == "b");
    CHECK(listed.offers[2].provider == "a");
    CHECK(listed.offers[0].gpu_memory_gb == 24.0);
    gpucost::OfferFilters cap;
    cap.max_price_per_hour = 5;
    CHECK(gpucost::list_offers(offers, db, cap, 0).offers.size() == 2);
    CHECK(gpucost::list_offers(offers, db, {}, 0, 1).matched == 3);
  }
}

} // namespace gpucost_test_model_pipeline
