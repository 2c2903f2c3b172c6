// gpucost check's pure core: rule parsing, option keys, matching, verdicts and attribution.

#include <gpucost/model/check.hpp>
#include <gpucost/model/check_rule.hpp>
#include <gpucost/model/option_key.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/model/reprice.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_check {

using namespace gpucost;

namespace {

GpuDatabase gpus() {
  GpuSpec l4;
  l4.name = "L4";
  l4.vendor = "nvidia";
  l4.memory_gb = 24;
  l4.fp16_tflops = 121;
  l4.fp32_tflops = 30;
  l4.memory_bandwidth_gbs = 300;
  GpuSpec a100;
  a100.name = "A100 80GB";
  a100.vendor = "nvidia";
  a100.memory_gb = 80;
  a100.fp16_tflops = 312;
  a100.fp32_tflops = 19.5;
  a100.memory_bandwidth_gbs = 2039;
  return GpuDatabase({l4, a100});
}

ProviderTable providers() {
  ProviderInfo cloud;
  cloud.id = "cloud";
  cloud.tier = "hyperscaler";
  ProviderInfo market;
  market.id = "market";
  market.tier = "marketplace";
  return ProviderTable({cloud, market});
}

Offer vm(std::string provider, std::string name, std::string gpu, double price) {
  Offer offer;
  offer.provider = std::move(provider);
  offer.product = Product::vm;
  offer.name = std::move(name);
  offer.gpu = std::move(gpu);
  offer.region = "us-east-1";
  offer.price_per_hour = price;
  offer.billing_granularity_s = 1;
  offer.billing_minimum_s = 60;
  offer.cold_start_s = 30;
  offer.cold_start_billed = true;
  offer.fetched_at = "2026-11-20T00:00:00Z";
  return offer;
}

std::vector<Offer> catalog(double scale = 1) {
  return {vm("cloud", "g6.xlarge", "L4", 0.80 * scale),
          vm("cloud", "p4d.24xlarge", "A100 80GB", 4.10 * scale),
          vm("market", "offer 123", "L4", 0.40 * scale)};
}

Workload workload(double job_seconds = 600) {
  Workload w;
  w.name = "render";
  w.ref_gpu = "L4";
  w.job_seconds = job_seconds;
  w.jobs_per_month = 1000;
  return w;
}

constexpr std::int64_t k_now = 1795435200; // 2026-11-23T12:00:00Z

CompareResult rank(const std::vector<Offer>& offers, const Workload& w) {
  return rank_options(
      offers, gpus(), providers(), gpucost::BenchmarkTable{}, w, OfferFilters{}, k_now);
}

CheckRule rule(const std::string& text, RuleSeverity severity = RuleSeverity::fail) {
  auto parsed = parse_check_rule(text, severity);
  REQUIRE_MESSAGE(parsed.has_value(), text);
  return *parsed;
}

std::vector<std::optional<Estimate>> reprice_all(const CompareResult& baseline, const Workload& w) {
  std::vector<std::optional<Estimate>> out;
  for (const auto& row : baseline.options) {
    auto estimate = reprice_row(row, w, gpus());
    out.push_back(estimate ? std::optional<Estimate>(*estimate) : std::nullopt);
  }
  return out;
}

} // namespace

TEST_SUITE("check rules") {
  TEST_CASE("every limit form parses") {
    const CheckRule rise = rule("cost_per_job:+10%");
    CHECK(rise.kind == LimitKind::relative_rise);
    CHECK(rise.limit == 10);
    CHECK(rise.metric == CheckMetric::cost_per_job);
    CHECK(rise.option_key.empty());
    CHECK(rise.workload.empty());
    const CheckRule absolute = rule("monthly_cost:+0.05");
    CHECK(absolute.kind == LimitKind::absolute_rise);
    CHECK(absolute.limit == doctest::Approx(0.05));
    CHECK(absolute.metric == CheckMetric::monthly_cost);
    const CheckRule budget = rule("cost_per_job:<=2.50");
    CHECK(budget.kind == LimitKind::budget);
    CHECK(budget.limit == doctest::Approx(2.5));
    const CheckRule drop = rule("cost_per_job:-20%");
    CHECK(drop.kind == LimitKind::relative_drop);
    CHECK(drop.limit == 20);
    CHECK(rule("cost_per_job:-0.5").kind == LimitKind::absolute_drop);
  }

  TEST_CASE("a workload prefix and an option key in brackets") {
    const CheckRule keyed =
        rule("video:cost_per_job[runpod/serverless/RTX 4090x1/-/keep-alive/on-demand]:+5%",
             RuleSeverity::warn);
    CHECK(keyed.workload == "video");
    CHECK(keyed.option_key == "runpod/serverless/RTX 4090x1/-/keep-alive/on-demand");
    CHECK(keyed.severity == RuleSeverity::warn);
    // A colon inside the brackets belongs to the key.
    CHECK(rule("cost_per_job[a/b:c]:+1%").option_key == "a/b:c");
  }

  TEST_CASE("a rule that cannot be parsed is an error naming it") {
    for (const char* bad : {"cost:+10%",
                            "cost_per_job",
                            "cost_per_job:10%",
                            "cost_per_job:+abc",
                            "cost_per_job:+",
                            "cost_per_job:<=5%",
                            "cost_per_job[x:+1%",
                            "cost_per_job[]:+1%",
                            ":cost_per_job:+1%",
                            "a:b:cost_per_job:+1%",
                            "cost_per_job:++1%",
                            "cost_per_job:+nan"}) {
      const auto parsed = parse_check_rule(bad, RuleSeverity::fail);
      REQUIRE_MESSAGE(!parsed.has_value(), bad);
      CHECK(parsed.error().message.find(std::string("rule \"") + bad + "\"") == 0);
    }
  }

  TEST_CASE("limits are strict: at the limit passes, beyond it breaches") {
    CHECK_FALSE(rule_breached(rule("cost_per_job:+10%"), 1.0, 1.1));
    CHECK(rule_breached(rule("cost_per_job:+10%"), 1.0, 1.1001));
    CHECK_FALSE(rule_breached(rule("cost_per_job:+0.05"), 1.0, 1.05));
    CHECK(rule_breached(rule("cost_per_job:+0.05"), 1.0, 1.06));
    CHECK_FALSE(rule_breached(rule("cost_per_job:<=2.5"), 99, 2.5));
    CHECK(rule_breached(rule("cost_per_job:<=2.5"), 0, 2.51));
    CHECK_FALSE(rule_breached(rule("cost_per_job:-20%"), 1.0, 0.8));
    CHECK(rule_breached(rule("cost_per_job:-20%"), 1.0, 0.79));
    CHECK(rule_breached(rule("cost_per_job:-0.1"), 1.0, 0.85));
    CHECK_FALSE(rule_breached(rule("cost_per_job:+10%"), 1.0, 0.5)); // a drop is no rise
  }
}

TEST_SUITE("check option keys and matching") {
  TEST_CASE("instance types only where the provider's names are stable") {
    const ProviderTable table = providers();
    Offer cloud = vm("cloud", "g6.xlarge", "L4", 1);
    CHECK(option_key(cloud, Mode::per_job, Pricing::on_demand, table.find("cloud"))
          == "cloud/vm/L4x1/us-east-1/per-job/on-demand/g6.xlarge");
    Offer market = vm("market", "offer 123", "L4", 1);
    market.region.clear();
    CHECK(option_key(market, Mode::always_on, Pricing::spot, table.find("market"))
          == "market/vm/L4x1/-/always-on/spot");
    Offer serverless = cloud;
    serverless.product = Product::serverless;
    CHECK(option_key(serverless, Mode::keep_alive, Pricing::on_demand, table.find("cloud"))
          == "cloud/serverless/L4x1/us-east-1/keep-alive/on-demand");
  }

  TEST_CASE("rank_options gives every row its key") {
    const CompareResult result = rank(catalog(), workload());
    REQUIRE(!result.options.empty());
    for (const auto& row : result.options) {
      CHECK(row.key
            == option_key(row.offer,
                          row.estimate.mode,
                          row.estimate.pricing,
                          providers().find(row.offer.provider)));
    }
  }

  TEST_CASE("the cheapest row stands for a shared key; appeared and disappeared") {
    auto row = [](std::string key, double cost) {
      RankedOption option;
      option.key = std::move(key);
      option.estimate.cost_per_job = cost;
      return option;
    };
    const std::vector<RankedOption> before = {row("a", 1.0), row("b", 2.0), row("b", 1.5)};
    const std::vector<RankedOption> after = {row("c", 0.5), row("a", 1.0), row("b", 1.8)};
    const auto changes = match_options(before, after, std::nullopt);
    REQUIRE(changes.size() == 3);
    CHECK(changes[0].key == "a");
    CHECK(changes[0].kind == ChangeKind::same);
    CHECK(changes[1].key == "b");
    CHECK(changes[1].kind == ChangeKind::changed);
    CHECK(*changes[1].baseline_cost_per_job == 1.5);
    CHECK(changes[2].key == "c");
    CHECK(changes[2].kind == ChangeKind::appeared);
    CHECK(!changes[2].baseline_cost_per_job);

    const auto gone = match_options(before, {row("a", 1.0)}, std::nullopt);
    REQUIRE(gone.size() == 2);
    CHECK(gone[1].kind == ChangeKind::disappeared);
    CHECK(!gone[1].current_cost_per_job);

    // A baseline cut to 1 row: a key beyond the first current row was never in view.
    const auto cut = match_options({row("a", 1.0)}, {row("a", 1.0), row("z", 3.0)}, 1);
    CHECK(cut.size() == 1);
  }
}

TEST_SUITE("check verdicts") {
  TEST_CASE("pass, warn, fail and missing") {
    const Workload w = workload();
    const CompareResult before = rank(catalog(), w);
    const CompareResult after = rank(catalog(1.25), w); // every price 25% up
    const CheckWorkload view{"render", &before.options, &after.options, nullptr};

    const CheckOutcome fail = evaluate_rule(rule("cost_per_job:+10%"), view);
    CHECK(fail.verdict == Verdict::fail);
    REQUIRE(fail.delta_pct);
    CHECK(*fail.delta_pct == doctest::Approx(25));
    CHECK(fail.best);
    CHECK(fail.option == after.options.front().key);
    CHECK(!fail.config_driven); // attribution not asked for

    CHECK(evaluate_rule(rule("cost_per_job:+10%", RuleSeverity::warn), view).verdict
          == Verdict::warn);
    CHECK(evaluate_rule(rule("cost_per_job:+30%"), view).verdict == Verdict::pass);
    CHECK(evaluate_rule(rule("monthly_cost:+30%"), view).verdict == Verdict::pass);
    CHECK(evaluate_rule(rule("cost_per_job:<=1000"), view).verdict == Verdict::pass);
    CHECK(evaluate_rule(rule("cost_per_job:<=0.0001"), view).verdict == Verdict::fail);

    // A key priced in the baseline but not today: missing, never $0.
    const std::string key = "cloud/vm/A100 80GBx1/us-east-1/per-job/on-demand/p4d.24xlarge";
    const CompareResult without_a100 = rank({catalog()[0], catalog()[2]}, w);
    const CheckWorkload gone{"render", &before.options, &without_a100.options, nullptr};
    const CheckOutcome missing = evaluate_rule(rule("cost_per_job[" + key + "]:+10%"), gone);
    CHECK(missing.verdict == Verdict::missing);
    CHECK(!missing.current);
    CHECK(missing.baseline);
    CHECK(!missing.missing_reason.empty());
    CHECK(evaluate_rule(rule("cost_per_job[" + key + "]:+10%"), view).verdict == Verdict::fail);

    // No volume: no monthly cost, so missing.
    Workload no_volume = w;
    no_volume.jobs_per_month.reset();
    const CompareResult sparse = rank(catalog(), no_volume);
    const CheckWorkload sparse_view{"render", &sparse.options, &sparse.options, nullptr};
    CHECK(evaluate_rule(rule("monthly_cost:<=100"), sparse_view).verdict == Verdict::missing);

    // No baseline: budgets still judge, relative rules are missing.
    const CheckWorkload alone{"render", nullptr, &after.options, nullptr};
    CHECK(evaluate_rule(rule("cost_per_job:<=1000"), alone).verdict == Verdict::pass);
    CHECK(evaluate_rule(rule("cost_per_job:+10%"), alone).verdict == Verdict::missing);

    // An improvement alarm fires on a stale baseline.
    const CheckWorkload cheaper{"render", &after.options, &before.options, nullptr};
    CHECK(evaluate_rule(rule("cost_per_job:-15%"), cheaper).verdict == Verdict::fail);
  }

  TEST_CASE("the run's verdict is the worst: fail, missing, warn, pass") {
    CheckOutcome pass;
    CheckOutcome warn;
    warn.verdict = Verdict::warn;
    CheckOutcome missing;
    missing.verdict = Verdict::missing;
    CheckOutcome fail;
    fail.verdict = Verdict::fail;
    CHECK(overall_verdict({}) == Verdict::pass);
    CHECK(overall_verdict({pass, warn}) == Verdict::warn);
    CHECK(overall_verdict({warn, missing}) == Verdict::missing);
    CHECK(overall_verdict({missing, fail, pass}) == Verdict::fail);
  }
}

TEST_SUITE("check attribution") {
  TEST_CASE("repricing the baseline's own workload gives the baseline's figures") {
    const CompareResult before = rank(catalog(), workload());
    const auto repriced = reprice_all(before, workload());
    REQUIRE(repriced.size() == before.options.size());
    for (std::size_t i = 0; i < repriced.size(); ++i) {
      REQUIRE(repriced[i]);
      CHECK(repriced[i]->cost_per_job == before.options[i].estimate.cost_per_job);
      CHECK(repriced[i]->monthly_cost == before.options[i].estimate.monthly_cost);
    }
  }

  TEST_CASE("a price change is price-driven") {
    const CompareResult before = rank(catalog(), workload());
    const CompareResult after = rank(catalog(1.2), workload());
    const auto repriced = reprice_all(before, workload());
    const CheckWorkload view{"render", &before.options, &after.options, &repriced};
    for (const char* text : {"cost_per_job:+1%", "monthly_cost:+1%"}) {
      const CheckOutcome out = evaluate_rule(rule(text), view);
      REQUIRE(out.delta);
      REQUIRE(out.config_driven);
      REQUIRE(out.price_driven);
      CHECK(*out.delta > 0);
      CHECK(*out.config_driven == doctest::Approx(0).epsilon(1e-12));
      CHECK(*out.price_driven == doctest::Approx(*out.delta));
      CHECK(*out.config_driven + *out.price_driven == doctest::Approx(*out.delta));
    }
  }

  TEST_CASE("a workload change is config-driven") {
    const CompareResult before = rank(catalog(), workload(600));
    const CompareResult after = rank(catalog(), workload(900)); // jobs take 50% longer
    const auto repriced = reprice_all(before, workload(900));
    const CheckWorkload view{"render", &before.options, &after.options, &repriced};
    const CheckOutcome out = evaluate_rule(rule("cost_per_job:+10%"), view);
    CHECK(out.verdict == Verdict::fail);
    REQUIRE(out.config_driven);
    REQUIRE(out.price_driven);
    CHECK(*out.price_driven == doctest::Approx(0).epsilon(1e-12));
    CHECK(*out.config_driven == doctest::Approx(*out.delta));
  }

  TEST_CASE("both at once: the parts add up to the whole change") {
    const CompareResult before = rank(catalog(), workload(600));
    const CompareResult after = rank(catalog(1.1), workload(900));
    const auto repriced = reprice_all(before, workload(900));
    const CheckWorkload view{"render", &before.options, &after.options, &repriced};
    const std::string key = before.options.front().key;
    for (const std::string& text :
         {std::string("cost_per_job:+1%"), "monthly_cost[" + key + "]:+1%"}) {
      const CheckOutcome out = evaluate_rule(rule(text), view);
      REQUIRE(out.config_driven);
      REQUIRE(out.price_driven);
      CHECK(*out.config_driven > 0);
      CHECK(*out.price_driven > 0);
      CHECK(*out.config_driven + *out.price_driven == doctest::Approx(*out.delta));
    }
  }

  TEST_CASE("a row without traits is not repriced") {
    CompareResult before = rank(catalog(), workload());
    before.options.front().traits_known = false;
    CHECK(!reprice_row(before.options.front(), workload(), gpus()));
  }
}

} // namespace gpucost_test_check
