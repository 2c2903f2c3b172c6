#include <gpucost/model/check_rule.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

namespace gpucost {

namespace {

constexpr std::string_view k_expected =
    "expected [WORKLOAD:]METRIC:LIMIT, METRIC cost_per_job or monthly_cost (optionally "
    "[OPTION-KEY]), LIMIT +10% | +0.05 | <=2.50 | -20%";

ErrorInfo rule_error(std::string_view text, std::string_view reason) {
  return ErrorInfo{fmt::format("rule \"{}\": {} ({})", text, reason, k_expected)};
}

// A plain non-negative decimal ("10", "0.05", "2.50"); nullopt otherwise.
std::optional<double> parse_amount(std::string_view text) {
  if (text.empty() || text.front() == '+' || text.front() == '-') {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)
      || value < 0) {
    return std::nullopt;
  }
  return value;
}

} // namespace

std::string_view to_string(CheckMetric metric) {
  return metric == CheckMetric::cost_per_job ? "cost_per_job" : "monthly_cost";
}

Expected<CheckRule> parse_check_rule(std::string_view text, RuleSeverity severity) {
  CheckRule rule;
  rule.text = std::string(text);
  rule.severity = severity;
  // Split on the colons outside brackets: a key may hold any character but ']'.
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') {
      ++depth;
    } else if (text[i] == ']') {
      --depth;
    } else if (text[i] == ':' && depth == 0) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  if (depth != 0) {
    return Unexpected{rule_error(text, "unbalanced brackets")};
  }
  if (parts.size() < 2 || parts.size() > 3) {
    return Unexpected{rule_error(text, "wrong number of ':'-separated parts")};
  }
  if (parts.size() == 3) {
    if (parts[0].empty()) {
      return Unexpected{rule_error(text, "empty workload name")};
    }
    rule.workload = std::string(parts[0]);
  }
  std::string_view metric = parts[parts.size() - 2];
  const std::string_view limit = parts.back();

  if (const auto open = metric.find('['); open != std::string_view::npos) {
    if (metric.back() != ']' || metric.find(']') != metric.size() - 1) {
      return Unexpected{rule_error(text, "the option key must end the metric, in brackets")};
    }
    rule.option_key = std::string(metric.substr(open + 1, metric.size() - open - 2));
    if (rule.option_key.empty()) {
      return Unexpected{rule_error(text, "empty option key in brackets")};
    }
    metric = metric.substr(0, open);
  }
  if (metric == "cost_per_job") {
    rule.metric = CheckMetric::cost_per_job;
  } else if (metric == "monthly_cost") {
    rule.metric = CheckMetric::monthly_cost;
  } else {
    return Unexpected{rule_error(text, fmt::format("unknown metric \"{}\"", metric))};
  }

  std::string_view amount = limit;
  bool percent = false;
  if (!amount.empty() && amount.back() == '%') {
    percent = true;
    amount.remove_suffix(1);
  }
  if (amount.rfind("<=", 0) == 0) {
    if (percent) {
      return Unexpected{rule_error(text, "a budget is in USD, not a percentage")};
    }
    rule.kind = LimitKind::budget;
    amount.remove_prefix(2);
  } else if (!amount.empty() && (amount.front() == '+' || amount.front() == '-')) {
    const bool rise = amount.front() == '+';
    rule.kind = rise ? (percent ? LimitKind::relative_rise : LimitKind::absolute_rise)
                     : (percent ? LimitKind::relative_drop : LimitKind::absolute_drop);
    amount.remove_prefix(1);
  } else {
    return Unexpected{
        rule_error(text, fmt::format("limit \"{}\" must start with '+', '-' or '<='", limit))};
  }
  const auto value = parse_amount(amount);
  if (!value) {
    return Unexpected{rule_error(text, fmt::format("limit \"{}\" is not a number", limit))};
  }
  rule.limit = *value;
  return rule;
}

bool rule_breached(const CheckRule& rule, double baseline, double current) {
  // Beyond the limit by more than floating-point rounding: 1.0 -> 1.1 is exactly +10%, although
  // 1.1 - 1.0 is 0.10000000000000009 in doubles.
  const auto beyond = [&](double value) {
    return value - rule.limit > 1e-9 * std::max(1.0, std::abs(rule.limit));
  };
  const double delta = current - baseline;
  switch (rule.kind) {
  case LimitKind::budget:
    return beyond(current);
  case LimitKind::absolute_rise:
    return beyond(delta);
  case LimitKind::absolute_drop:
    return beyond(-delta);
  case LimitKind::relative_rise:
    return baseline > 0 ? beyond(delta / baseline * 100) : delta > 0;
  case LimitKind::relative_drop:
    return baseline > 0 ? beyond(-delta / baseline * 100) : false;
  }
  return false;
}

} // namespace gpucost
