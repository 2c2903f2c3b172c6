#include <gpucost/render/check_text.hpp>
#include <gpucost/render/json_number.hpp>
#include <gpucost/render/render_check.hpp>
#include <gpucost/render/render_util.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace gpucost {

namespace {

using Json = nlohmann::ordered_json;

constexpr int k_check_schema_version = 1;

std::string limit_text(const CheckOutcome& check) {
  switch (check.kind) {
  case LimitKind::relative_rise:
    return fmt::format("+{}%", render::format_shortest(check.limit));
  case LimitKind::absolute_rise:
    return fmt::format("+{} USD", render::format_shortest(check.limit));
  case LimitKind::budget:
    return fmt::format("<= {} USD", render::format_shortest(check.limit));
  case LimitKind::relative_drop:
    return fmt::format("-{}%", render::format_shortest(check.limit));
  case LimitKind::absolute_drop:
    return fmt::format("-{} USD", render::format_shortest(check.limit));
  }
  return {};
}

} // namespace

std::string describe_check(const CheckOutcome& check) {
  const std::string subject =
      fmt::format("{} of {}", to_string(check.metric), check.best ? "the best option" : "option");
  const std::string option =
      check.option.empty() ? std::string() : fmt::format(" ({})", check.option);
  if (check.verdict == Verdict::missing) {
    return fmt::format(
        "{}{}: missing: {} (rule {})", subject, option, check.missing_reason, check.rule);
  }
  std::string text;
  if (check.kind == LimitKind::budget) {
    text = fmt::format("{}{} is {} USD", subject, option, render::check_usd(check.current));
  } else {
    text = fmt::format("{}{} went from {} to {} USD ({}, {})",
                       subject,
                       option,
                       render::check_usd(check.baseline),
                       render::check_usd(check.current),
                       render::check_signed_usd(check.delta, "-"),
                       render::check_signed_pct(check.delta_pct, "-"));
  }
  if (check.config_driven && check.price_driven) {
    text += fmt::format(" [workload {}, prices {}]",
                        render::check_signed_usd(check.config_driven, "-"),
                        render::check_signed_usd(check.price_driven, "-"));
  }
  const bool breached = check.verdict == Verdict::fail || check.verdict == Verdict::warn;
  text += fmt::format(": {} {}", breached ? "breaches" : "within", limit_text(check));
  return text;
}

std::string render_check_table(const CheckReport& report) {
  std::string out = fmt::format("gpucost check: {}{} (exit {})\n",
                                render::check_verdict_upper(report.verdict),
                                report.incomplete.empty() ? ""
                                : report.strict           ? ", incomplete under --strict"
                                                          : ", incomplete",
                                report.exit_code);
  for (const auto& reason : report.incomplete) {
    out += fmt::format("incomplete: {}\n", reason);
  }
  for (const auto& workload : report.workloads) {
    out +=
        fmt::format("\nworkload \"{}\": {}{}\n",
                    render::check_workload_label(workload.name),
                    render::check_verdict_upper(workload.verdict),
                    workload.baseline.empty() ? std::string(" (no baseline)")
                                              : fmt::format(" (baseline {})", workload.baseline));
    for (const auto& check : report.checks) {
      if (check.workload != workload.name) {
        continue;
      }
      out += fmt::format("  {:<7} {}\n", render::check_verdict_upper(check.verdict), check.rule);
      out += fmt::format("          {}\n", describe_check(check));
    }
    std::size_t changed = 0;
    for (const auto& change : workload.changes) {
      changed += change.kind == ChangeKind::same ? 0U : 1U;
    }
    out += fmt::format("  options: {} compared, {} changed, appeared or disappeared (key, cost per "
                       "job in the baseline -> today, USD)\n",
                       workload.changes.size(),
                       changed);
    // Every key is listed, so a rule can name one: changes first, then the unchanged.
    for (const bool moved : {true, false}) {
      for (const auto& change : workload.changes) {
        if ((change.kind != ChangeKind::same) != moved) {
          continue;
        }
        out += fmt::format("    {:<11} {}  {} -> {}\n",
                           to_string(change.kind),
                           change.key,
                           render::check_usd_or_dash(change.baseline_cost_per_job),
                           render::check_usd_or_dash(change.current_cost_per_job));
      }
    }
    for (const auto& note : workload.notes) {
      out += fmt::format("  note: {}\n", note);
    }
  }
  for (const auto& warning : report.warnings) {
    out += fmt::format("warning: {}\n", warning);
  }
  return out;
}

std::string render_check_json(const CheckReport& report) {
  Json checks = Json::array();
  for (const auto& check : report.checks) {
    checks.push_back(Json{
        {"workload", check.workload},
        {"option", check.option.empty() ? Json(nullptr) : Json(check.option)},
        {"best", check.best},
        {"metric", to_string(check.metric)},
        {"rule", check.rule},
        {"severity", check.severity == RuleSeverity::fail ? "fail" : "warn"},
        {"baseline", render::json_number(check.baseline)},
        {"current", render::json_number(check.current)},
        {"delta", render::json_number(check.delta)},
        {"delta_pct", render::json_number(check.delta_pct)},
        {"verdict", to_string(check.verdict)},
        {"config_driven", render::json_number(check.config_driven)},
        {"price_driven", render::json_number(check.price_driven)},
        {"price_age_s", render::json_number(check.price_age_s)},
        {"message", describe_check(check)},
    });
  }
  Json workloads = Json::array();
  for (const auto& workload : report.workloads) {
    Json changes = Json::array();
    for (const auto& change : workload.changes) {
      changes.push_back(Json{
          {"key", change.key},
          {"change", to_string(change.kind)},
          {"baseline_cost_per_job", render::json_number(change.baseline_cost_per_job)},
          {"current_cost_per_job", render::json_number(change.current_cost_per_job)},
      });
    }
    workloads.push_back(Json{
        {"name", workload.name},
        {"baseline", workload.baseline.empty() ? Json(nullptr) : Json(workload.baseline)},
        {"verdict", to_string(workload.verdict)},
        {"options", std::move(changes)},
        {"notes", workload.notes},
    });
  }
  const Json document{
      {"schema", "gpucost/check"},
      {"schemaVersion", k_check_schema_version},
      {"tool_version", report.tool_version},
      {"generatedAt", report.generated_at.empty() ? Json(nullptr) : Json(report.generated_at)},
      {"currency", "USD"},
      {"verdict", to_string(report.verdict)},
      {"exit_code", report.exit_code},
      {"strict", report.strict},
      {"attributed", report.attributed},
      {"max_price_age_s", render::json_number(report.max_price_age_s)},
      {"catalog_sha256",
       report.catalog_sha256.empty() ? Json(nullptr) : Json(report.catalog_sha256)},
      {"incomplete", report.incomplete},
      {"workloads", std::move(workloads)},
      {"checks", std::move(checks)},
      {"warnings", report.warnings},
  };
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

std::string render_check_csv(const CheckReport& report, render::CsvDialect dialect) {
  render::CsvWriter csv(dialect,
                        {"workload",
                         "option",
                         "metric",
                         "rule",
                         "baseline_usd",
                         "current_usd",
                         "delta_usd",
                         "delta_pct",
                         "verdict",
                         "config_driven_usd",
                         "price_driven_usd",
                         "price_age_s"});
  for (const auto& check : report.checks) {
    csv.add_record({render::csv_text_cell(check.workload),
                    render::csv_text_cell(check.option),
                    render::csv_text_cell(to_string(check.metric)),
                    render::csv_text_cell(check.rule),
                    render::csv_number_cell(check.baseline),
                    render::csv_number_cell(check.current),
                    render::csv_number_cell(check.delta),
                    render::csv_number_cell(check.delta_pct),
                    render::csv_text_cell(to_string(check.verdict)),
                    render::csv_number_cell(check.config_driven),
                    render::csv_number_cell(check.price_driven),
                    render::csv_number_cell(check.price_age_s)});
  }
  return std::move(csv).text();
}

} // namespace gpucost
