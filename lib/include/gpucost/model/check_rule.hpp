#pragma once

// The rules of `gpucost check`: `[WORKLOAD:]METRIC:LIMIT` (docs/ci.md).

#include <gpucost/util/error.hpp>

#include <string>
#include <string_view>

namespace gpucost {

// What a rule measures: USD per job or USD a month.
enum class CheckMetric { cost_per_job, monthly_cost };

// "cost_per_job" or "monthly_cost".
std::string_view to_string(CheckMetric metric);

// How a rule's limit reads.
enum class LimitKind {
  relative_rise, // +10%: breached when current rises more than 10% over the baseline
  absolute_rise, // +0.05: breached when current rises more than 0.05 USD over the baseline
  budget,        // <=2.50: breached when current exceeds 2.50 USD (no baseline needed)
  relative_drop, // -20%: breached when current falls more than 20% below the baseline
  absolute_drop, // -0.05: breached when current falls more than 0.05 USD below the baseline
};

// Whether a rule breaks the build (--fail-on) or only warns (--warn-on).
enum class RuleSeverity { fail, warn };

// One parsed rule.
struct CheckRule {
  std::string text; // as typed, for reports
  RuleSeverity severity = RuleSeverity::fail;
  std::string workload; // workload name it is limited to; empty: every workload
  CheckMetric metric = CheckMetric::cost_per_job;
  std::string option_key; // the option in brackets; empty: the best (cheapest per job) option
  LimitKind kind = LimitKind::relative_rise;
  double limit = 0; // percent for relative kinds, USD otherwise; >= 0
};

// Parses `[WORKLOAD:]METRIC[\[KEY\]]:LIMIT`, LIMIT one of `+N%`, `+N`, `<=N`, `-N%`, `-N`; fails
// with a message that quotes the rule and says what was expected. Pure.
Expected<CheckRule> parse_check_rule(std::string_view text, RuleSeverity severity);

// Whether `current` against `baseline` breaches the rule's limit (beyond it by more than
// floating-point rounding, 1e-9 of the limit); `baseline` is unused by budgets. Both must be
// known (a missing value is the caller's "missing" verdict).
bool rule_breached(const CheckRule& rule, double baseline, double current);

} // namespace gpucost
