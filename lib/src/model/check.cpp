#include <gpucost/model/check.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace gpucost {

namespace {

// Whether two costs are the same up to floating-point noise (one part in 10^12): the same price
// and workload computed along another path of the code must not read as a change.
bool same_cost(double a, double b) {
  return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
}

// The cheapest row with `key` (every row when `key` is empty), or nullptr.
const RankedOption* cheapest(const std::vector<RankedOption>& rows, const std::string& key) {
  const RankedOption* best = nullptr;
  for (const auto& row : rows) {
    if (!key.empty() && row.key != key) {
      continue;
    }
    if (best == nullptr || row.estimate.cost_per_job < best->estimate.cost_per_job) {
      best = &row;
    }
  }
  return best;
}

std::optional<double> metric_of(const Estimate& estimate, CheckMetric metric) {
  if (metric == CheckMetric::cost_per_job) {
    return estimate.cost_per_job;
  }
  return estimate.monthly_cost;
}

} // namespace

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
  case ChangeKind::same:
    return "same";
  case ChangeKind::changed:
    return "changed";
  case ChangeKind::appeared:
    return "appeared";
  case ChangeKind::disappeared:
    return "disappeared";
  }
  return "same";
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
  case Verdict::pass:
    return "pass";
  case Verdict::warn:
    return "warn";
  case Verdict::fail:
    return "fail";
  case Verdict::missing:
    return "missing";
  }
  return "pass";
}

std::vector<OptionChange> match_options(const std::vector<RankedOption>& baseline,
                                        const std::vector<RankedOption>& current,
                                        std::optional<std::size_t> baseline_top) {
  std::map<std::string, double> today; // key -> cheapest cost per job
  std::map<std::string, std::size_t> today_position;
  for (std::size_t i = 0; i < current.size(); ++i) {
    const auto& row = current[i];
    const auto [it, inserted] = today.try_emplace(row.key, row.estimate.cost_per_job);
    if (inserted) {
      today_position[row.key] = i;
    } else if (row.estimate.cost_per_job < it->second) {
      it->second = row.estimate.cost_per_job;
    }
  }
  std::vector<OptionChange> changes;
  std::map<std::string, double> before;
  for (const auto& row : baseline) {
    const auto [it, inserted] = before.try_emplace(row.key, row.estimate.cost_per_job);
    if (!inserted) {
      it->second = std::min(it->second, row.estimate.cost_per_job);
      continue;
    }
    changes.push_back({row.key, ChangeKind::same, row.estimate.cost_per_job, std::nullopt});
  }
  for (auto& change : changes) {
    change.baseline_cost_per_job = before[change.key];
    const auto found = today.find(change.key);
    if (found == today.end()) {
      change.kind = ChangeKind::disappeared;
      continue;
    }
    change.current_cost_per_job = found->second;
    change.kind = same_cost(found->second, *change.baseline_cost_per_job) ? ChangeKind::same
                                                                          : ChangeKind::changed;
  }
  // current is sorted by cost: positions count rows, as --top did.
  for (std::size_t i = 0; i < current.size(); ++i) {
    const auto& row = current[i];
    if (baseline_top && i >= *baseline_top) {
      break;
    }
    if (before.count(row.key) != 0 || today_position[row.key] != i) {
      continue;
    }
    changes.push_back({row.key, ChangeKind::appeared, std::nullopt, today[row.key]});
  }
  return changes;
}

CheckOutcome evaluate_rule(const CheckRule& rule, const CheckWorkload& workload) {
  CheckOutcome out;
  out.workload = workload.name;
  out.best = rule.option_key.empty();
  out.option = rule.option_key;
  out.metric = rule.metric;
  out.rule = rule.text;
  out.severity = rule.severity;
  out.kind = rule.kind;
  out.limit = rule.limit;

  const RankedOption* now = cheapest(*workload.current, rule.option_key);
  const RankedOption* then =
      workload.baseline != nullptr ? cheapest(*workload.baseline, rule.option_key) : nullptr;
  if (now != nullptr) {
    out.current = metric_of(now->estimate, rule.metric);
    out.price_age_s = now->price_age_s;
    if (out.best) {
      out.option = now->key;
    }
  }
  if (then != nullptr) {
    out.baseline = metric_of(then->estimate, rule.metric);
    if (out.best && now == nullptr) {
      out.option = then->key;
    }
  }
  if (out.baseline && out.current) {
    // Floating-point noise is no change (same_cost): a rule must not fire on 1e-18 USD.
    out.delta = same_cost(*out.current, *out.baseline) ? 0.0 : *out.current - *out.baseline;
    if (*out.baseline != 0) {
      out.delta_pct = *out.delta / *out.baseline * 100;
    }
  }

  // Attribution: today's workload at the baseline's prices.
  if (workload.repriced != nullptr && workload.baseline != nullptr && out.baseline && out.current) {
    const auto& rows = *workload.baseline;
    const auto& repriced = *workload.repriced;
    std::optional<std::size_t> pick;
    bool complete = true;
    for (std::size_t i = 0; i < rows.size() && i < repriced.size(); ++i) {
      if (!rule.option_key.empty() && rows[i].key != rule.option_key) {
        continue;
      }
      if (!repriced[i]) {
        complete = false; // the best of today's workload at old prices is not known
        continue;
      }
      if (!pick || repriced[i]->cost_per_job < repriced[*pick]->cost_per_job) {
        pick = i;
      }
    }
    if (pick && complete) {
      const auto value = metric_of(*repriced[*pick], rule.metric);
      if (value) {
        out.config_driven = same_cost(*value, *out.baseline) ? 0.0 : *value - *out.baseline;
        out.price_driven = *out.delta - *out.config_driven; // the parts add up to the change
      }
    }
  }

  const bool needs_baseline = rule.kind != LimitKind::budget;
  if (now == nullptr) {
    out.verdict = Verdict::missing;
    out.missing_reason =
        out.best ? "no option is priced today" : "no option with this key is priced today";
  } else if (!out.current) {
    out.verdict = Verdict::missing;
    out.missing_reason = "no monthly cost without jobs_per_month";
  } else if (needs_baseline && workload.baseline == nullptr) {
    out.verdict = Verdict::missing;
    out.missing_reason = "no baseline for this workload";
  } else if (needs_baseline && then == nullptr) {
    out.verdict = Verdict::missing;
    out.missing_reason = "the option is not in the baseline";
  } else if (needs_baseline && !out.baseline) {
    out.verdict = Verdict::missing;
    out.missing_reason = "the baseline has no monthly cost (no jobs_per_month)";
  } else if (rule_breached(rule, out.baseline.value_or(0), *out.current)) {
    out.verdict = rule.severity == RuleSeverity::fail ? Verdict::fail : Verdict::warn;
  } else {
    out.verdict = Verdict::pass;
  }
  return out;
}

Verdict overall_verdict(const std::vector<CheckOutcome>& outcomes) {
  const auto any = [&](Verdict verdict) {
    for (const auto& outcome : outcomes) {
      if (outcome.verdict == verdict) {
        return true;
      }
    }
    return false;
  };
  if (any(Verdict::fail)) {
    return Verdict::fail;
  }
  if (any(Verdict::missing)) {
    return Verdict::missing;
  }
  if (any(Verdict::warn)) {
    return Verdict::warn;
  }
  return Verdict::pass;
}

} // namespace gpucost
