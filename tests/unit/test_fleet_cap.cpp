// The worker cap of serverless fleets: providers.json's max_workers (parsed with file:line:field
// errors), resolved with the user's --max-workers, respected by fleet pricing, compare and
// simulate; and a fleet row priced once by rank_options.

#include "cli_runner.hpp"
#include "temp_dir.hpp"

#include <gpucost/data/data_set.hpp>
#include <gpucost/data/provider_file.hpp>
#include <gpucost/model/price_row.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/model/row_plan.hpp>
#include <gpucost/model/simulate/fleet.hpp>
#include <gpucost/model/traits.hpp>
#include <gpucost/model/units.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_fleet_cap {

using namespace gpucost;

namespace {

// A providers.json with one serverless product whose "max_workers" is `cap` (JSON text); the
// cap's first field is on line 9.
std::string providers_with_cap(const std::string& cap) {
  return "{\n"                                                                   // 1
         "  \"schema\": \"gpucost/providers\",\n"                                // 2
         "  \"schemaVersion\": 1,\n"                                             // 3
         "  \"providers\": {\n"                                                  // 4
         "    \"acme\": {\n"                                                     // 5
         "      \"display_name\": \"Acme\",\n"                                   // 6
         "      \"products\": {\n"                                               // 7
         "        \"serverless\": {\"source\": \"https://acme.example/docs\",\n" // 8
         "          \"as_of\": \"2026-12-01\", \"max_workers\": "
         + cap + "}\n" // 9 ...
         + "      }\n"
           "    }\n"
           "  }\n"
           "}\n";
}

std::string parse_error(const std::string& cap) {
  const auto table = parse_provider_table(providers_with_cap(cap), "providers.json");
  REQUIRE_FALSE(table.has_value());
  return table.error().message;
}

const std::string k_cap_fields =
    R"("scope": "per endpoint", "source": "https://acme.example/limits", "as_of": "2026-12-01")";

// RunPod's serverless traits as providers.json gives them, with `cap` workers at most.
ProductTraits runpod_serverless(std::optional<int> cap) {
  ProductTraits traits;
  traits.billing_granularity_s = 1;
  traits.billing_minimum_s = 0;
  traits.cold_start_s = 1;
  traits.cold_start_billed = true;
  traits.idle_timeout_s = 5;
  traits.always_on = true;
  if (cap) {
    WorkerCap worker_cap;
    worker_cap.workers = cap;
    worker_cap.scope = "per endpoint";
    worker_cap.source = "https://docs.runpod.io/serverless/endpoints/endpoint-configurations";
    worker_cap.as_of = "2026-12-02";
    traits.max_workers = worker_cap;
  }
  return traits;
}

ProviderInfo runpod_info() {
  ProviderInfo info;
  info.id = "runpod";
  info.display_name = "RunPod";
  return info;
}

// RunPod with only its serverless product, capped at `cap` workers.
ProviderTable runpod_serverless_table(int cap) {
  ProviderInfo info = runpod_info();
  info.products.emplace(Product::serverless, runpod_serverless(cap));
  return ProviderTable({info});
}

// The GPU database of these tests: an RTX 3060 alone.
GpuDatabase rtx3060_gpus() {
  GpuSpec spec;
  spec.name = "RTX 3060";
  spec.vendor = "nvidia";
  spec.memory_gb = 12;
  spec.fp16_tflops = 51;
  return GpuDatabase({spec});
}

Offer serverless_offer(const std::string& name = "3060 serverless") {
  Offer offer;
  offer.provider = "runpod";
  offer.product = Product::serverless;
  offer.name = name;
  offer.gpu = "RTX 3060";
  offer.price_per_hour = 0.18;
  offer.always_on_price_per_hour = 0.13;
  offer.fetched_at = "2026-11-20T00:00:00Z";
  return offer;
}

// Seed 003's serverless job: 60 s on an RTX 3060 at `jobs_per_month` (Poisson).
Workload seed003(double jobs_per_month) {
  Workload workload;
  workload.ref_gpu = "RTX 3060";
  workload.job_seconds = 60;
  workload.jobs_per_month = jobs_per_month;
  return workload;
}

const RowPlan& plan_of(const std::vector<RowPlan>& plans, Mode mode) {
  const auto it = std::find_if(
      plans.begin(), plans.end(), [&](const RowPlan& plan) { return plan.mode == mode; });
  REQUIRE(it != plans.end());
  return *it;
}

// Prices the offer's `mode` row under the traits above.
Expected<PricedRow>
price(const Offer& offer, const ProductTraits& traits, const Workload& workload, Mode mode) {
  const ProviderInfo info = runpod_info();
  const ResolvedTraits resolved = resolve_traits(offer, &traits, &info, workload);
  const auto plans = plan_rows(offer, &traits, resolved.timeout_known);
  return price_row(offer, resolved, plan_of(plans, mode), workload, *workload.job_seconds);
}

bool has_note(const Estimate& estimate, const std::string& text) {
  return std::any_of(estimate.notes.begin(), estimate.notes.end(), [&](const std::string& note) {
    return note.find(text) != std::string::npos;
  });
}

} // namespace

TEST_SUITE("worker cap: providers.json") {
  TEST_CASE("a cap is read with its scope, source and date") {
    const auto table = parse_provider_table(
        providers_with_cap(R"({"workers": 3, )" + k_cap_fields + R"(, "notes": "n"})"),
        "providers.json");
    REQUIRE(table.has_value());
    const ProductTraits* traits = table->traits("acme", Product::serverless);
    REQUIRE(traits != nullptr);
    REQUIRE(traits->max_workers.has_value());
    CHECK(traits->max_workers->workers == 3);
    CHECK_FALSE(traits->max_workers->gpus.has_value());
    CHECK(traits->max_workers->scope == "per endpoint");
    CHECK(traits->max_workers->source == "https://acme.example/limits");
    CHECK(traits->max_workers->as_of == "2026-12-01");
    CHECK(traits->max_workers->notes == "n");

    const auto none = parse_provider_table(providers_with_cap("null"), "providers.json");
    REQUIRE(none.has_value());
    CHECK_FALSE(none->traits("acme", Product::serverless)->max_workers.has_value());
  }

  TEST_CASE("a bad cap is named by file, line and field") {
    CHECK(parse_error(R"({"workers": 0, )" + k_cap_fields + "}")
          == "providers.json:9: providers.acme.products.serverless.max_workers.workers: must be a "
             "whole number >= 1 (got 0)");
    CHECK(parse_error(R"({"gpus": 2.5, )" + k_cap_fields + "}")
          == "providers.json:9: providers.acme.products.serverless.max_workers.gpus: must be a "
             "whole number >= 1 (got 2.5)");
    CHECK(parse_error(R"({"workers": "3", )" + k_cap_fields + "}")
          == "providers.json:9: providers.acme.products.serverless.max_workers.workers: must be a "
             "whole number >= 1 (got \"3\")");
    CHECK(parse_error(R"({"workers": 3, "gpus": 8, )" + k_cap_fields + "}")
          == "providers.json:9: providers.acme.products.serverless.max_workers.gpus: give exactly "
             "one of \"workers\" and \"gpus\" (a whole number >= 1)");
    CHECK(parse_error(R"({)" + k_cap_fields + "}")
          == "providers.json:9: providers.acme.products.serverless.max_workers.workers: give "
             "exactly one of \"workers\" and \"gpus\" (a whole number >= 1)");
    CHECK(parse_error(R"({"workers": 3, "scope": "per endpoint", "as_of": "2026-12-01"})")
          == "providers.json:9: providers.acme.products.serverless.max_workers.source: is "
             "required");
    CHECK(parse_error("4")
          == "providers.json:9: providers.acme.products.serverless.max_workers: must be an "
             "object (got 4)");
  }

  TEST_CASE("the bundled data: RunPod 3 workers an endpoint, Modal 10 GPUs, the others unknown") {
    const std::string path = std::string(GPUCOST_SOURCE_DIR) + "/data/providers.json";
    const auto text = read_text_file(path);
    REQUIRE(text.has_value());
    const auto table = parse_provider_table(*text, path);
    REQUIRE(table.has_value());
    const auto cap = [&](const char* id) {
      const ProductTraits* traits = table->traits(id, Product::serverless);
      REQUIRE(traits != nullptr);
      return traits->max_workers;
    };
    REQUIRE(cap("runpod").has_value());
    CHECK(cap("runpod")->workers == 3);
    CHECK(cap("runpod")->source.rfind("https://docs.runpod.io/", 0) == 0);
    REQUIRE(cap("modal").has_value());
    CHECK(cap("modal")->gpus == 10);
    CHECK_FALSE(cap("cloudrun").has_value());
    CHECK_FALSE(cap("replicate").has_value());
  }
}

TEST_SUITE("worker cap: resolved traits") {
  TEST_CASE("the provider's default, else the user's figure, else none and named as defaulted") {
    const ProviderInfo info = runpod_info();
    const ProductTraits capped = runpod_serverless(3);
    const Offer offer = serverless_offer();

    const auto by_provider = resolve_traits(offer, &capped, &info, seed003(1000));
    CHECK(by_provider.option.max_workers == 3);
    CHECK(by_provider.max_workers_origin
          == "RunPod's default per endpoint, "
             "https://docs.runpod.io/serverless/endpoints/endpoint-configurations, as of "
             "2026-12-02");
    CHECK((by_provider.defaulted & k_max_workers) == 0);

    // The documented figure is a default an endpoint's settings raise: the user's replaces it.
    Workload mine = seed003(1000);
    mine.max_workers = 8;
    const auto by_user = resolve_traits(offer, &capped, &info, mine);
    CHECK(by_user.option.max_workers == 8);
    CHECK(by_user.max_workers_origin == "from --max-workers");

    const ProductTraits uncapped = runpod_serverless(std::nullopt);
    const auto unknown = resolve_traits(offer, &uncapped, &info, seed003(1000));
    CHECK_FALSE(unknown.option.max_workers.has_value());
    CHECK((unknown.defaulted & k_max_workers) != 0);
    const auto names = trait_names(unknown.defaulted);
    CHECK(std::find(names.begin(), names.end(), "max_workers") != names.end());

    // A pod is one worker the user runs: never capped, never defaulted.
    Offer pod = offer;
    pod.product = Product::pod;
    const auto pod_traits = resolve_traits(pod, &uncapped, &info, seed003(1000));
    CHECK_FALSE(pod_traits.option.max_workers.has_value());
    CHECK((pod_traits.defaulted & k_max_workers) == 0);
  }

  TEST_CASE("a GPU limit holds as many workers as it has GPUs for") {
    ProductTraits traits = runpod_serverless(std::nullopt);
    WorkerCap gpus;
    gpus.gpus = 10;
    gpus.scope = "per workspace on the Starter plan";
    gpus.source = "https://modal.example/pricing";
    gpus.as_of = "2026-07-01";
    traits.max_workers = gpus;
    Offer offer = serverless_offer();
    offer.gpu_count = 4;
    const auto four = resolve_traits(offer, &traits, nullptr, seed003(1000));
    CHECK(four.option.max_workers == 2);
    CHECK(four.max_workers_origin
          == "runpod's default of 10 GPUs at once per workspace on the Starter plan, 4 GPUs a "
             "worker, https://modal.example/pricing, as of 2026-07-01");
    offer.gpu_count = 16;
    CHECK(resolve_traits(offer, &traits, nullptr, seed003(1000)).option.max_workers == 0);
    offer.gpu_count = 16;
    const ProviderInfo info = runpod_info();
    const ResolvedTraits resolved = resolve_traits(offer, &traits, &info, seed003(1000));
    const auto plans = plan_rows(offer, &traits, resolved.timeout_known);
    const auto row = price_row(offer, resolved, plans.front(), seed003(1000), 60);
    REQUIRE_FALSE(row.has_value());
    CHECK(row.error().message.find("one worker's 16 GPUs are more than the cap allows") == 0);
  }
}

TEST_SUITE("worker cap: fleet pricing") {
  // 100,000 jobs a month of 60 s: λS = 2.28 busy workers; uncapped the fleet peaks at 5 or more.
  TEST_CASE("a cap above the load holds the fleet at the cap and says how many jobs waited") {
    ModelOption option;
    option.usd_per_hour = 0.18;
    option.cold_start_s = 1;
    option.idle_timeout_s = 5;
    ModelWorkload workload;
    workload.job_seconds = 60;
    workload.jobs_per_month = 100000;
    const Estimate uncapped = estimate_fleet(option, workload).value();
    REQUIRE(uncapped.peak_workers.has_value());
    REQUIRE(*uncapped.peak_workers > 3);

    option.max_workers = 3;
    const Estimate capped = estimate_fleet(option, workload).value();
    CHECK(*capped.peak_workers == 3);
    CHECK(*capped.mean_workers <= 3);
    CHECK(*capped.mean_workers >= 100000 / k_seconds_per_month * 60);
    // Jobs that find all three busy wait: the mean wait is well above the uncapped fleet's.
    CHECK(capped.mean_added_latency_s > uncapped.mean_added_latency_s + 1);
    CHECK(has_note(capped, "(cap 3); at the cap "));
    CHECK(has_note(capped, " jobs ("));
    CHECK(has_note(capped, "waited for a worker, mean wait "));
  }

  TEST_CASE("a load that needs more workers than the cap is not priced: no unbounded queue") {
    ModelOption option;
    option.usd_per_hour = 0.18;
    option.cold_start_s = 1;
    option.idle_timeout_s = 5;
    option.max_workers = 2;
    ModelWorkload workload;
    workload.job_seconds = 60;
    workload.jobs_per_month = 100000; // 2.28 workers busy on average, cap 2
    const auto estimate = estimate_fleet(option, workload);
    REQUIRE_FALSE(estimate.has_value());
    CHECK(estimate.error().message == "the load needs more workers at once than the cap of 2");
  }

  TEST_CASE("compare's rows: keep-alive, per-job and always-on each respect the cap") {
    const Offer offer = serverless_offer();
    const ProductTraits capped = runpod_serverless(3);
    const std::string origin =
        "RunPod's default per endpoint, "
        "https://docs.runpod.io/serverless/endpoints/endpoint-configurations, as of 2026-12-02";

    // λS = 2.28 < 3: a fleet held at 3, the note names the cap and where it is from.
    const PricedRow fleet = price(offer, capped, seed003(100000), Mode::keep_alive).value();
    CHECK(fleet.estimate.peak_workers == 3);
    CHECK(has_note(fleet.estimate,
                   "worker cap 3: " + origin + "; give --max-workers N if yours allows more"));
    CHECK(fleet.defaulted == 0);

    // Per-job serverless is the one-worker closed form (keep-alive with T = 0): a cap of at
    // least one never binds it.
    const PricedRow per_job = price(offer, capped, seed003(30000), Mode::per_job).value();
    CHECK_FALSE(per_job.estimate.mean_workers.has_value());

    // 140,000 jobs: λS = 3.2 >= 3: the fleet cannot carry it; always-on would need 4 workers.
    const std::string over = "the load needs more workers at once than the cap of 3 (" + origin
                             + "; give --max-workers N if yours allows more)";
    for (const Mode mode : {Mode::keep_alive, Mode::always_on}) {
      const auto row = price(offer, capped, seed003(140000), mode);
      REQUIRE_FALSE(row.has_value());
      CHECK(row.error().message == over);
    }

    // The user's --max-workers replaces the default: 4 carries it, and the hint is gone.
    Workload mine = seed003(140000);
    mine.max_workers = 4;
    const PricedRow four = price(offer, capped, mine, Mode::keep_alive).value();
    CHECK(four.estimate.peak_workers <= 4);
    CHECK(has_note(four.estimate, "worker cap 4: from --max-workers"));
    mine.max_workers = 2;
    const auto two = price(offer, capped, mine, Mode::keep_alive);
    REQUIRE_FALSE(two.has_value());
    CHECK(two.error().message
          == "the load needs more workers at once than the cap of 2 (from --max-workers)");

    // No cap known: priced uncapped, max_workers listed as defaulted, the note says so.
    const PricedRow unknown =
        price(offer, runpod_serverless(std::nullopt), seed003(140000), Mode::keep_alive).value();
    CHECK(*unknown.estimate.peak_workers > 3);
    CHECK((unknown.defaulted & k_max_workers) != 0);
    CHECK(has_note(unknown.estimate,
                   "no worker cap known for runpod serverless: the fleet is priced uncapped"));
  }

  TEST_CASE("rank_options: rows over the cap are left out in one warning naming it") {
    const GpuDatabase gpus = rtx3060_gpus();
    const ProviderTable providers = runpod_serverless_table(3);
    const std::vector<Offer> offers = {serverless_offer("a"), serverless_offer("b")};
    const CompareResult result =
        rank_options(offers, gpus, providers, BenchmarkTable{}, seed003(140000), {}, 0);
    CHECK(result.options.empty());
    const std::string origin =
        "RunPod's default per endpoint, "
        "https://docs.runpod.io/serverless/endpoints/endpoint-configurations, as of 2026-12-02";
    for (const char* mode : {"always-on", "keep-alive"}) {
      const std::string warning =
          fmt::format("left out 2 offers: runpod serverless {}: the load needs more workers at "
                      "once than the cap of 3 ({}; give --max-workers N if yours allows more)",
                      mode,
                      origin);
      CHECK(std::find(result.warnings.begin(), result.warnings.end(), warning)
            != result.warnings.end());
    }
  }

  TEST_CASE("rank_options keeps a fleet row from the ranking pass: what it shows is that row") {
    const GpuDatabase gpus = rtx3060_gpus();
    const ProviderTable providers = runpod_serverless_table(50);
    // Three fleets of different prices, so that a kept row shown on the wrong candidate differs.
    std::vector<Offer> offers;
    for (const double usd_per_hour : {0.30, 0.18, 0.24}) {
      Offer offer = serverless_offer(fmt::format("at {}", usd_per_hour));
      offer.price_per_hour = usd_per_hour;
      offers.push_back(offer);
    }
    const Workload workload = seed003(100000);
    const CompareResult result =
        rank_options(offers, gpus, providers, BenchmarkTable{}, workload, {}, 0);
    int fleets = 0;
    for (const RankedOption& row : result.options) {
      if (!row.estimate.mean_workers) {
        continue;
      }
      ++fleets;
      const Offer& offer = *std::find_if(
          offers.begin(), offers.end(), [&](const Offer& o) { return o.name == row.offer.name; });
      const PricedRow again = price(offer,
                                    providers.find("runpod")->products.at(Product::serverless),
                                    workload,
                                    Mode::keep_alive)
                                  .value();
      CHECK(row.estimate.cost_per_job == again.estimate.cost_per_job);
      CHECK(row.estimate.mean_workers == again.estimate.mean_workers);
      CHECK(row.estimate.notes == again.estimate.notes);
      CHECK(row.usd_per_hour == offer.price_per_hour);
      CHECK(row.max_workers_origin == again.max_workers_origin);
    }
    CHECK(fleets == 3);
  }
}

TEST_SUITE("fleet rows that cannot be shown are not simulated") {
  TEST_CASE("fleet_cost_floor: empty wherever estimate_fleet fails, else at most its cost") {
    int floors = 0;
    int failures = 0;
    for (const double jobs_per_month : {400.0, 3000.0, 60000.0}) {
      for (const double job_seconds : {60.0, 900.0}) {
        for (const std::optional<int> cap : {std::optional<int>{}, std::optional<int>{2}}) {
          ModelOption option;
          option.usd_per_hour = 0.5;
          option.granularity_s = 60;
          option.minimum_s = 60;
          option.cold_start_s = 30;
          option.idle_timeout_s = 120;
          option.egress_usd_per_job = 0.01;
          option.max_workers = cap;
          const ModelWorkload workload{job_seconds, jobs_per_month, Traffic::poisson, 0.8, {}};
          CAPTURE(jobs_per_month);
          CAPTURE(job_seconds);
          CAPTURE(cap.value_or(0));
          const auto floor = fleet_cost_floor(option, workload);
          const auto estimate = estimate_fleet(option, workload);
          if (!estimate) {
            ++failures;
            CHECK_FALSE(floor.has_value());
            continue;
          }
          REQUIRE(floor.has_value());
          ++floors;
          CHECK(*floor <= estimate->cost_per_job);
          // The floor is the execution and egress: close to a busy fleet's cost.
          CHECK(*floor >= 0.5 / 3600 * job_seconds * (1 - 1e-8) + 0.01);
        }
      }
    }
    // Both kinds occur: a load over the cap (60000 jobs of 900 s under a cap of 2) and a horizon
    // over ten years (400 jobs) fail.
    CHECK(floors > 0);
    CHECK(failures > 0);
  }

  TEST_CASE("rank_options with --top shows and counts what the full ranking shows first") {
    const GpuDatabase gpus = rtx3060_gpus();
    const ProviderTable providers = runpod_serverless_table(50);
    // Fleets of many prices, two of them equal (equal offers: shown in the catalog's order), and
    // pods that are cheaper or dearer than the fleets.
    std::vector<Offer> offers;
    for (const double usd_per_hour : {0.30, 0.18, 0.24, 0.18, 0.9}) {
      Offer offer =
          serverless_offer(usd_per_hour == 0.18 ? "equal" : fmt::format("at {}", usd_per_hour));
      offer.price_per_hour = usd_per_hour;
      offer.source = fmt::format("source {}", offers.size());
      offers.push_back(offer);
    }
    for (const double usd_per_hour : {0.05, 0.2, 0.4}) {
      Offer pod = serverless_offer(fmt::format("pod {}", usd_per_hour));
      pod.product = Product::pod;
      pod.price_per_hour = usd_per_hour;
      offers.push_back(pod);
    }
    const Workload workload = seed003(100000);
    const CompareResult all =
        rank_options(offers, gpus, providers, BenchmarkTable{}, workload, {}, 0);
    REQUIRE(all.options.size() > 4);
    for (const std::size_t top : {std::size_t{0}, std::size_t{1}, std::size_t{4}}) {
      CAPTURE(top);
      const CompareResult shown =
          rank_options(offers, gpus, providers, BenchmarkTable{}, workload, {}, 0, top);
      CHECK(shown.total_options == all.total_options);
      CHECK(shown.warnings == all.warnings);
      REQUIRE(shown.options.size() == top);
      for (std::size_t i = 0; i < top; ++i) {
        CHECK(shown.options[i].key == all.options[i].key);
        CHECK(shown.options[i].offer.source == all.options[i].offer.source);
        CHECK(shown.options[i].estimate.cost_per_job == all.options[i].estimate.cost_per_job);
        CHECK(shown.options[i].estimate.notes == all.options[i].estimate.notes);
      }
    }
  }
}

TEST_SUITE("worker cap: CLI") {
  const std::string k_catalog =
      std::string(GPUCOST_SOURCE_DIR) + "/tests/golden/cases/r2.catalog.json";

  TEST_CASE("compare: a capped fleet row, a user cap that is too small leaves it out") {
    const test::TempDir cache;
    const std::vector<std::string> base = {"compare",
                                           "--catalog",
                                           k_catalog,
                                           "--ref-gpu",
                                           "RTX 3060",
                                           "--job-seconds",
                                           "60",
                                           "--jobs-per-month",
                                           "100000",
                                           "--product",
                                           "serverless",
                                           "--format",
                                           "json"};
    const auto outcome = test::run_cli(base, test::pinned_env(cache.path().string()));
    INFO(outcome.err);
    REQUIRE(outcome.code == 0);
    const auto json = nlohmann::json::parse(outcome.out);
    bool found = false;
    for (const auto& row : json["options"]) {
      if (row["mode"] == "keep-alive") {
        found = true;
        CHECK(row["peak_workers"].get<int>() == 3);
        const std::string notes = row["notes"].dump();
        CHECK(notes.find("worker cap 3: RunPod's default per endpoint") != std::string::npos);
      }
    }
    CHECK(found);

    std::vector<std::string> two = base;
    two.insert(two.end(), {"--max-workers", "2"});
    const auto left_out = test::run_cli(two, test::pinned_env(cache.path().string()));
    INFO(left_out.err);
    REQUIRE(left_out.code == 0);
    CHECK(left_out.err.find("left out 1 offer: runpod serverless keep-alive: the load needs more "
                            "workers at once than the cap of 2 (from --max-workers)")
          != std::string::npos);
    // The document outlives the loop: a range over a temporary's member would dangle.
    const auto left_out_doc = nlohmann::json::parse(left_out.out);
    for (const auto& row : left_out_doc["options"]) {
      CHECK(row["mode"] != "keep-alive");
    }

    std::vector<std::string> zero = base;
    zero.insert(zero.end(), {"--max-workers", "0"});
    const auto bad = test::run_cli(zero, test::pinned_env(cache.path().string()));
    CHECK(bad.code == 1);
    CHECK(bad.err.find("max_workers must be at least 1 (got 0)") != std::string::npos);
  }

  TEST_CASE("simulate: the provider's cap is the default --max-workers, and says so") {
    const test::TempDir cache;
    std::vector<std::string> args = {"simulate",
                                     "--catalog",
                                     k_catalog,
                                     "--ref-gpu",
                                     "RTX 3060",
                                     "--job-seconds",
                                     "60",
                                     "--jobs-per-month",
                                     "100000",
                                     "--option",
                                     "seed 003 serverless RTX 3060",
                                     "--horizon",
                                     "2d",
                                     "--format",
                                     "json"};
    const auto outcome = test::run_cli(args, test::pinned_env(cache.path().string()));
    INFO(outcome.err);
    REQUIRE(outcome.code == 0);
    const auto json = nlohmann::json::parse(outcome.out);
    const auto& option = json["options"][0];
    CHECK(option["traits"]["max_workers"] == 3);
    CHECK(option["traits"]["max_workers_source"].get<std::string>().rfind(
              "RunPod's default per endpoint, https://docs.runpod.io/", 0)
          == 0);
    CHECK(option["peak_workers"].get<double>() == 3);
    CHECK(json["policy"]["max_workers"].is_null()); // the user gave none

    args.back() = "table";
    const auto table = test::run_cli(args, test::pinned_env(cache.path().string()));
    REQUIRE(table.code == 0);
    CHECK(table.out.find("  at most 3 workers at once: RunPod's default per endpoint, ")
          != std::string::npos);

    args.back() = "json";
    args.insert(args.end(), {"--max-workers", "8"});
    const auto mine = test::run_cli(args, test::pinned_env(cache.path().string()));
    REQUIRE(mine.code == 0);
    const auto json8 = nlohmann::json::parse(mine.out);
    CHECK(json8["options"][0]["traits"]["max_workers"] == 8);
    CHECK(json8["options"][0]["traits"]["max_workers_source"] == "from --max-workers");
    CHECK(json8["options"][0]["peak_workers"].get<double>() > 3);
  }
}

} // namespace gpucost_test_fleet_cap
