#pragma once

// The outputs of `gpucost check` (docs/ci.md). Pure.

#include <gpucost/model/check.hpp>
#include <gpucost/render/csv_util.hpp>

#include <string>

namespace gpucost {

// The default first line of the markdown comment, so a CI step can find and update it.
inline constexpr const char* k_default_comment_tag = "gpucost-check";

// One line saying what a check found, e.g. `cost_per_job of best option (runpod/...) rose 12.5%
// from 0.1 to 0.1125 USD: breaches +10%`.
std::string describe_check(const CheckOutcome& check);

// An aligned plain-text report: verdict first, then each workload's checks and option changes.
std::string render_check_table(const CheckReport& report);

// The gpucost/check JSON document (docs/check.schema.json).
std::string render_check_json(const CheckReport& report);

// One CSV row per check, in `dialect` (render/csv_util.hpp), units in the column names.
std::string render_check_csv(const CheckReport& report, render::CsvDialect dialect);

// A pull-request comment: first line `<!-- TAG -->`, then the verdict and each workload's
// verdict, the details collapsed in <details>.
std::string render_check_markdown(const CheckReport& report, const std::string& comment_tag);

// GitHub workflow commands: `::error` for a failed check, `::warning` for a warning or a missing
// value, one a line, title and message escaped as GitHub requires.
std::string render_check_annotations(const CheckReport& report);

// JUnit XML (Ant/Jenkins shape): one testsuite per workload, one testcase per rule, a
// <failure> for fail, <skipped> for missing under no --strict (a <failure> under --strict), and
// warnings in <system-out>.
std::string render_check_junit(const CheckReport& report);

} // namespace gpucost
