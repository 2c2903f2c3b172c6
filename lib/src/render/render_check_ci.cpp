// The CI outputs of `gpucost check`: the pull-request comment, GitHub annotations and JUnit XML.

#include <gpucost/render/check_text.hpp>
#include <gpucost/render/render_check.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/xml_escape.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

namespace gpucost {

namespace {

// A markdown table cell: pipes escaped, line breaks flattened.
std::string md_cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// GitHub workflow-command escaping: data escapes % CR LF; properties also ':' and ','.
std::string gh_data(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string gh_property(std::string_view text) {
  std::string out;
  for (const char c : gh_data(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

std::string xml(std::string_view text) {
  return render::xml_escape(text);
}

struct Counts {
  std::size_t pass = 0;
  std::size_t warn = 0;
  std::size_t fail = 0;
  std::size_t missing = 0;
};

Counts count(const CheckReport& report, const std::string& workload) {
  Counts counts;
  for (const auto& check : report.checks) {
    if (check.workload != workload) {
      continue;
    }
    switch (check.verdict) {
    case Verdict::pass:
      ++counts.pass;
      break;
    case Verdict::warn:
      ++counts.warn;
      break;
    case Verdict::fail:
      ++counts.fail;
      break;
    case Verdict::missing:
      ++counts.missing;
      break;
    }
  }
  return counts;
}

} // namespace

std::string render_check_markdown(const CheckReport& report, const std::string& comment_tag) {
  std::string out = fmt::format("<!-- {} -->\n", comment_tag);
  out += fmt::format("## gpucost check: **{}**{}\n\n",
                     render::check_verdict_upper(report.verdict),
                     report.incomplete.empty() ? ""
                     : report.strict           ? ", incomplete under --strict"
                                               : ", incomplete");
  out += "| Workload | Verdict | Fail | Warn | Missing | Pass |\n";
  out += "|---|---|---:|---:|---:|---:|\n";
  for (const auto& workload : report.workloads) {
    const Counts counts = count(report, workload.name);
    out += fmt::format("| {} | **{}** | {} | {} | {} | {} |\n",
                       md_cell(render::check_workload_label(workload.name)),
                       render::check_verdict_upper(workload.verdict),
                       counts.fail,
                       counts.warn,
                       counts.missing,
                       counts.pass);
  }
  out += '\n';
  for (const auto& check : report.checks) {
    if (check.verdict == Verdict::fail || check.verdict == Verdict::warn
        || check.verdict == Verdict::missing) {
      out += fmt::format("- **{}** {}: {}\n",
                         render::check_verdict_upper(check.verdict),
                         md_cell(render::check_workload_label(check.workload)),
                         md_cell(describe_check(check)));
    }
  }
  if (!report.incomplete.empty()) {
    out += fmt::format("\nIncomplete{}:\n", report.strict ? " (fails under --strict)" : "");
    for (const auto& reason : report.incomplete) {
      out += fmt::format("- {}\n", md_cell(reason));
    }
  }
  out += "\n<details><summary>Details</summary>\n\n";
  out += "| Verdict | Workload | Rule | Option | Baseline (USD) | Current (USD) | Change (USD) | "
         "Change % | Workload-driven (USD) | Price-driven (USD) |\n";
  out += "|---|---|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& check : report.checks) {
    out += fmt::format("| {} | {} | `{}` | `{}` | {} | {} | {} | {} | {} | {} |\n",
                       render::check_verdict_upper(check.verdict),
                       md_cell(render::check_workload_label(check.workload)),
                       md_cell(check.rule),
                       md_cell(check.option.empty() ? "-" : check.option),
                       render::check_usd(check.baseline),
                       render::check_usd(check.current),
                       render::check_signed_usd(check.delta, "–"),
                       render::check_signed_pct(check.delta_pct, "–"),
                       render::check_signed_usd(check.config_driven, "–"),
                       render::check_signed_usd(check.price_driven, "–"));
  }
  for (const auto& workload : report.workloads) {
    // Changes first, then unchanged keys (so a rule can name one), at most k_same_rows of them to
    // keep the comment under GitHub's size limit.
    constexpr std::size_t k_same_rows = 50;
    std::vector<const OptionChange*> moved;
    std::vector<const OptionChange*> same;
    for (const auto& change : workload.changes) {
      (change.kind != ChangeKind::same ? moved : same).push_back(&change);
    }
    out += fmt::format("\n**{}**: {} options compared, {} changed, appeared or disappeared{}\n",
                       md_cell(render::check_workload_label(workload.name)),
                       workload.changes.size(),
                       moved.size(),
                       workload.baseline.empty()
                           ? std::string(" (no baseline)")
                           : fmt::format(" (baseline `{}`)", md_cell(workload.baseline)));
    std::vector<const OptionChange*> rows = moved;
    rows.insert(rows.end(),
                same.begin(),
                same.begin() + static_cast<std::ptrdiff_t>(std::min(same.size(), k_same_rows)));
    if (!rows.empty()) {
      out += "\n| Change | Option | Baseline (USD) | Current (USD) |\n|---|---|---:|---:|\n";
      for (const auto* change : rows) {
        out += fmt::format("| {} | `{}` | {} | {} |\n",
                           to_string(change->kind),
                           md_cell(change->key),
                           render::check_usd_or_dash(change->baseline_cost_per_job),
                           render::check_usd_or_dash(change->current_cost_per_job));
      }
      if (same.size() > k_same_rows) {
        out += fmt::format("\n{} more unchanged options (every key: --format json)\n",
                           same.size() - k_same_rows);
      }
    }
    for (const auto& note : workload.notes) {
      out += fmt::format("\n- note: {}\n", md_cell(note));
    }
  }
  out += "\n</details>\n";
  return out;
}

std::string render_check_annotations(const CheckReport& report) {
  std::string out;
  for (const auto& check : report.checks) {
    const char* level = nullptr;
    if (check.verdict == Verdict::fail) {
      level = "error";
    } else if (check.verdict == Verdict::warn
               || (check.verdict == Verdict::missing && !report.strict)) {
      level = "warning";
    } else if (check.verdict == Verdict::missing) {
      level = "error";
    }
    if (level == nullptr) {
      continue;
    }
    out += fmt::format("::{} title={}::{}\n",
                       level,
                       gh_property(fmt::format("gpucost check {}: {}",
                                               render::check_workload_label(check.workload),
                                               check.rule)),
                       gh_data(describe_check(check)));
  }
  for (const auto& reason : report.incomplete) {
    out += fmt::format("::{} title=gpucost check incomplete::{}\n",
                       report.strict ? "error" : "warning",
                       gh_data(reason));
  }
  return out;
}

std::string render_check_junit(const CheckReport& report) {
  std::size_t total = 0;
  std::size_t failures = 0;
  std::size_t skipped = 0;
  std::string suites;
  for (const auto& workload : report.workloads) {
    const Counts counts = count(report, workload.name);
    const std::size_t tests = counts.pass + counts.warn + counts.fail + counts.missing;
    const std::size_t suite_failures = counts.fail + (report.strict ? counts.missing : 0);
    const std::size_t suite_skipped = report.strict ? 0 : counts.missing;
    total += tests;
    failures += suite_failures;
    skipped += suite_skipped;
    const std::string label = render::check_workload_label(workload.name);
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\"{}>\n",
        xml(label),
        tests,
        suite_failures,
        suite_skipped,
        report.generated_at.empty() ? std::string()
                                    : fmt::format(" timestamp=\"{}\"", xml(report.generated_at)));
    for (const auto& check : report.checks) {
      if (check.workload != workload.name) {
        continue;
      }
      const std::string message = describe_check(check);
      suites += fmt::format("    <testcase classname=\"gpucost.check.{}\" name=\"{}\" time=\"0\"",
                            xml(label),
                            xml(check.rule));
      if (check.verdict == Verdict::pass) {
        suites += "/>\n";
        continue;
      }
      suites += ">\n";
      if (check.verdict == Verdict::fail || (check.verdict == Verdict::missing && report.strict)) {
        suites += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                              xml(message),
                              to_string(check.verdict),
                              xml(message));
      } else if (check.verdict == Verdict::missing) {
        suites += fmt::format("      <skipped message=\"{}\"/>\n", xml(message));
      } else {
        suites += fmt::format("      <system-out>warning: {}</system-out>\n", xml(message));
      }
      suites += "    </testcase>\n";
    }
    suites += "  </testsuite>\n";
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"gpucost check\" tests=\"{}\" failures=\"{}\" "
                     "errors=\"0\" skipped=\"{}\">\n{}</testsuites>\n",
                     total,
                     failures,
                     skipped,
                     suites);
}

} // namespace gpucost
