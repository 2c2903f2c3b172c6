// The pricing pipeline's pieces, each on its own: trait precedence, row plans, job time scaling
// (the cross-vendor rule), every filter, ranking's tie-breaks and limit, the offers listing.

#include <gpucost/model/api_price.hpp>
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

  TEST_CASE("parse_product reads each spelling and nothing near one") {
    for (const Product product : {Product::pod,
                                  Product::vm,
                                  Product::serverless,
                                  Product::dedicated,
                                  Product::training,
                                  Product::prediction,
                                  Product::api}) {
      CHECK(gpucost::parse_product(gpucost::to_string(product)) == product);
    }
    // Same length and first letter as a spelling, a prefix, a case change, empty.
    for (const char* near : {"pox", "vn", "serverles", "serverlesx", "apo", "Pod", "", "p"}) {
      CAPTURE(near);
      CHECK_FALSE(gpucost::parse_product(near));
    }
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

namespace {

// An api offer of `provider` at `usd_per_unit` a unit.
Offer api_offer(std::string provider, gpucost::WorkUnit unit, double usd_per_unit) {
  Offer o;
  o.provider = std::move(provider);
  o.product = Product::api;
  o.gpu_count = 0;
  o.per_unit.unit = unit;
  o.per_unit.price_per_unit = usd_per_unit;
  o.fetched_at = "2026-11-20T00:00:00Z";
  return o;
}

} // namespace

TEST_SUITE("model pipeline: api offers") {
  using gpucost::WorkUnit;

  TEST_CASE("price times units; no cold start, idle, job time or utilization") {
    const auto estimate = gpucost::estimate_api_cost(
        api_offer("m", WorkUnit::audio_minute, 0.003).per_unit, 71, 2700.0, 14.0, 0);
    REQUIRE(estimate);
    CHECK(estimate->mode == Mode::per_job);
    CHECK(estimate->cost_per_job == doctest::Approx(0.213));
    CHECK(estimate->split.execution == doctest::Approx(0.213));
    CHECK(estimate->split.rounding == 0);
    CHECK(estimate->split.cold_start == 0);
    CHECK(estimate->split.idle == 0);
    CHECK(estimate->p_cold == 0);
    CHECK(estimate->job_seconds == 0);
    CHECK(estimate->billed_seconds_per_job == 0);
    CHECK(estimate->monthly_cost.value() == doctest::Approx(0.213 * 2700));
    CHECK(estimate->margin.value() == doctest::Approx(1 - 0.213 / 14));
  }

  TEST_CASE("the provider's rounding and minimum apply to each call, in rounding") {
    gpucost::UnitPrice terms = api_offer("m", WorkUnit::audio_minute, 0.006).per_unit;
    terms.unit_increment = 1; // billed per started minute
    auto estimate = gpucost::estimate_api_cost(terms, 70.2, std::nullopt, std::nullopt, 0);
    REQUIRE(estimate);
    CHECK(estimate->cost_per_job == doctest::Approx(71 * 0.006));
    CHECK(estimate->split.execution == doctest::Approx(70.2 * 0.006));
    CHECK(estimate->split.rounding == doctest::Approx(0.8 * 0.006));
    // A whole number of increments is not rounded up (0.3 / 0.1 is 2.9999... in doubles).
    terms.unit_increment = 0.1;
    estimate = gpucost::estimate_api_cost(terms, 0.3, std::nullopt, std::nullopt, 0);
    CHECK(estimate->split.rounding == doctest::Approx(0).epsilon(1e-12));
    // A minimum of $0.50 a call beats 71 x $0.006 = $0.426.
    terms.unit_increment.reset();
    terms.minimum_charge = 0.5;
    estimate = gpucost::estimate_api_cost(terms, 71, std::nullopt, std::nullopt, 0);
    CHECK(estimate->cost_per_job == doctest::Approx(0.5));
    CHECK(estimate->split.rounding == doctest::Approx(0.5 - 0.426));
    // 25 thousand characters at most 10 a call: three calls, each billed at least $0.5.
    gpucost::UnitPrice speech = api_offer("x", WorkUnit::character_1k, 0.1).per_unit;
    speech.max_units_per_call = 10;
    speech.minimum_charge = 0.5;
    const gpucost::ApiJob job = gpucost::api_job(speech, 25);
    CHECK(job.calls == 3);
    CHECK(job.billed_units == 25);
    estimate = gpucost::estimate_api_cost(speech, 25, std::nullopt, std::nullopt, 0);
    CHECK(estimate->cost_per_job == doctest::Approx(1.0 + 1.0 + 0.5));
  }

  TEST_CASE("a rate limit caps the volume; over it the row cannot be priced") {
    gpucost::UnitPrice terms = api_offer("r", WorkUnit::character_1k, 0.06).per_unit;
    terms.rate_limit_per_minute = 6;
    terms.max_units_per_call = 10;
    // 25 units are 3 calls: 6 x 60 x 730 / 3 = 87,600 jobs a month.
    const auto fits = gpucost::estimate_api_cost(terms, 25, 87600.0, std::nullopt, 0);
    REQUIRE(fits);
    CHECK(fits->capacity_jobs_per_month.value() == 87600);
    const auto over = gpucost::estimate_api_cost(terms, 25, 87601.0, std::nullopt, 0);
    REQUIRE(!over);
    CHECK(over.error().message
          == "the volume needs more calls than the rate limit of 6 a minute allows (at most 87600 "
             "jobs a month at 3 calls a job)");
  }

  TEST_CASE("api rows rank beside GPU rows; missing units are one grouped note") {
    const auto db = gpus();
    gpucost::Workload w = workload(); // 100 s on an L4
    w.units_per_job[WorkUnit::audio_minute] = 71;
    gpucost::OfferFilters per_job;
    per_job.mode = Mode::per_job;
    const std::vector<Offer> offers = {offer("gpu", Product::vm, "L4", 3.6), // $0.10 a job
                                       api_offer("cheap", WorkUnit::audio_minute, 0.001),
                                       api_offer("dear", WorkUnit::audio_minute, 0.003),
                                       api_offer("tts", WorkUnit::character_1k, 0.1),
                                       api_offer("tts2", WorkUnit::character_1k, 0.06),
                                       api_offer("art", WorkUnit::image, 0.04)};
    const auto result =
        gpucost::rank_options(offers, db, {}, gpucost::BenchmarkTable{}, w, per_job, 0);
    REQUIRE(result.options.size() == 3);
    CHECK(result.options[0].offer.provider == "cheap");
    CHECK(result.options[0].estimate.cost_per_job == doctest::Approx(0.071));
    CHECK(result.options[1].offer.provider == "gpu");
    CHECK(result.options[2].offer.provider == "dear");
    CHECK(result.options[2].key == "dear/api/audio_minute/-/per-job/on-demand");
    const auto& defaulted = result.options[0].defaulted;
    CHECK(defaulted
          == std::vector<std::string>{"minimum_charge", "unit_increment", "rate_limit_per_minute"});
    const auto grouped = std::count_if(
        result.warnings.begin(), result.warnings.end(), [](const std::string& warning) {
          return warning.find("api offer") != std::string::npos;
        });
    CHECK(grouped == 1);
    CHECK(std::find(result.warnings.begin(),
                    result.warnings.end(),
                    "left out 3 api offers whose unit of work the workload does not give: "
                    "character_1k (2), image (1) (say how many units one job is with --units "
                    "UNIT=N, or units_per_job in the workload file)")
          != result.warnings.end());
  }

  TEST_CASE("filters: a GPU, region, memory or hourly-price filter leaves api rows out") {
    const auto db = gpus();
    gpucost::Workload w = workload();
    w.units_per_job[WorkUnit::image] = 4;
    const std::vector<Offer> offers = {api_offer("art", WorkUnit::image, 0.04)};
    const auto rows = [&](const gpucost::OfferFilters& filters) {
      return gpucost::rank_options(offers, db, {}, gpucost::BenchmarkTable{}, w, filters, 0)
          .options.size();
    };
    CHECK(rows({}) == 1);
    gpucost::OfferFilters filters;
    filters.gpus = {"L4"};
    CHECK(rows(filters) == 0);
    filters = {};
    filters.max_price_per_hour = 100;
    CHECK(rows(filters) == 0);
    filters = {};
    filters.mode = Mode::always_on;
    CHECK(rows(filters) == 0);
    filters = {};
    filters.products = {Product::api};
    CHECK(rows(filters) == 1);
  }

  TEST_CASE("a workload with units and no job time prices api offers only, and says so") {
    const auto db = gpus();
    gpucost::Workload w;
    w.units_per_job[WorkUnit::image] = 4;
    CHECK(gpucost::validate_workload(w));
    const std::vector<Offer> offers = {offer("gpu", Product::vm, "L4", 1.0),
                                       api_offer("art", WorkUnit::image, 0.04)};
    const auto result = gpucost::rank_options(offers, db, {}, gpucost::BenchmarkTable{}, w, {}, 0);
    REQUIRE(result.options.size() == 1);
    CHECK(result.options[0].estimate.cost_per_job == doctest::Approx(0.16));
    CHECK(std::find(result.warnings.begin(),
                    result.warnings.end(),
                    "left out 1 GPU offer: the workload gives no job time (give --job-seconds with "
                    "--ref-gpu, or measured_seconds in the workload file)")
          != result.warnings.end());
    w.units_per_job[WorkUnit::image] = 0;
    CHECK(gpucost::validate_workload(w).error().message
          == "invalid workload: units_per_job[\"image\"] must be greater than 0 and at most "
             "1000000000000 "
             "(got 0)");
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
