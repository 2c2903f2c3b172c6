#pragma once

// The words and figures that every rendering of a `gpucost check` result prints the same way.

#include <gpucost/model/check.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace gpucost::render {

// A money figure for reading: six significant digits; "missing" when unknown.
std::string check_usd(std::optional<double> value);

// A money figure, or "-" for an option that appeared (no baseline) or disappeared (no current).
std::string check_usd_or_dash(std::optional<double> value);

// A change in USD with its sign, six significant digits; `missing` when unknown.
std::string check_signed_usd(std::optional<double> value, std::string_view missing);

// A change in percent with its sign and two decimals; `missing` when unknown.
std::string check_signed_pct(std::optional<double> value, std::string_view missing);

// The workload's name, or "workload" for an unnamed one.
std::string check_workload_label(const std::string& name);

// The verdict in capitals: PASS, WARN, FAIL, MISSING.
std::string check_verdict_upper(Verdict verdict);

} // namespace gpucost::render
