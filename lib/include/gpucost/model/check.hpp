#pragma once

// `gpucost check`: a baseline result against today's, per workload and option, under rules.
// Pure: the CLI loads the baseline, prices today's options and renders the outcome.

#include <gpucost/model/check_rule.hpp>
#include <gpucost/model/compare_result.hpp>
#include <gpucost/model/cost_model.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// How one option fared between the baseline and today.
enum class ChangeKind { same, changed, appeared, disappeared };

// "same", "changed", "appeared" or "disappeared".
std::string_view to_string(ChangeKind kind);

// One option key on both sides; the cheapest row stands for a key that several rows share.
struct OptionChange {
  std::string key;
  ChangeKind kind = ChangeKind::same;
  std::optional<double> baseline_cost_per_job; // USD; empty when it appeared
  std::optional<double> current_cost_per_job;  // USD; empty when it disappeared
};

// Matches baseline and current rows by key, baseline order first, then the keys that appeared.
// When the baseline was cut to `baseline_top` rows, only current keys that rank within that many
// count as appeared (the rest were never in view). Pure.
std::vector<OptionChange> match_options(const std::vector<RankedOption>& baseline,
                                        const std::vector<RankedOption>& current,
                                        std::optional<std::size_t> baseline_top);

// The verdict of one check, and of a whole run (the worst of its checks: fail, missing, warn,
// pass).
enum class Verdict { pass, warn, fail, missing };

// "pass", "warn", "fail" or "missing".
std::string_view to_string(Verdict verdict);

// One workload as check sees it.
struct CheckWorkload {
  std::string name;                          // label in reports ("" is shown as "workload")
  const std::vector<RankedOption>* baseline; // the baseline's rows; nullptr when there is none
  const std::vector<RankedOption>* current;  // today's rows, every one (not cut by --top)
  // Today's workload priced at each baseline row's rate and traits, aligned with *baseline;
  // nullptr when attribution was not asked for. An empty entry could not be priced.
  const std::vector<std::optional<Estimate>>* repriced = nullptr;
};

// One rule applied to one workload.
struct CheckOutcome {
  std::string workload;
  std::string option; // the key of the option judged ("" when there is none)
  bool best = true;   // the rule judged the best option, not one by key
  CheckMetric metric = CheckMetric::cost_per_job;
  std::string rule; // as typed
  RuleSeverity severity = RuleSeverity::fail;
  LimitKind kind = LimitKind::relative_rise;
  double limit = 0;
  std::optional<double> baseline;      // USD; empty when unknown
  std::optional<double> current;       // USD; empty when unknown (never 0 for a missing price)
  std::optional<double> delta;         // current - baseline, USD
  std::optional<double> delta_pct;     // delta / baseline * 100
  std::optional<double> config_driven; // repriced - baseline, USD (what the workload changed)
  std::optional<double> price_driven;  // current - repriced, USD (what prices moved)
  std::optional<double> price_age_s;   // age of the current row's price, seconds
  Verdict verdict = Verdict::pass;
  std::string missing_reason; // why the verdict is missing
};

// Applies `rule` to `workload`. A value that cannot be known (no such option today, no volume
// for monthly_cost, no baseline for a relative rule) gives the verdict missing with the reason;
// a breach gives fail or warn by the rule's severity. Pure.
CheckOutcome evaluate_rule(const CheckRule& rule, const CheckWorkload& workload);

// The worst verdict of `outcomes`: fail, then missing, then warn; pass when empty.
Verdict overall_verdict(const std::vector<CheckOutcome>& outcomes);

// One workload's part of a check report.
struct CheckWorkloadReport {
  std::string name;                  // label
  std::string baseline;              // the baseline file, empty when there is none
  std::vector<OptionChange> changes; // every option key, baseline order, then the appeared
  Verdict verdict = Verdict::pass;   // the worst of its checks
  std::vector<std::string> notes;    // e.g. rows that could not be repriced
};

// What `gpucost check` found, for every renderer.
struct CheckReport {
  std::string tool_version;
  std::string generated_at; // ISO 8601 UTC
  Verdict verdict = Verdict::pass;
  int exit_code = 0; // 0 pass, 2 a fail rule breached, 3 incomplete under --strict
  bool strict = false;
  bool attributed = false; // --reprice-baseline: config_driven and price_driven are filled
  std::optional<double> max_price_age_s;
  std::string catalog_sha256;          // the catalog priced today
  std::vector<std::string> incomplete; // why the run is incomplete (missing prices, stale, ...)
  std::vector<CheckWorkloadReport> workloads;
  std::vector<CheckOutcome> checks;
  std::vector<std::string> warnings;
};

} // namespace gpucost
