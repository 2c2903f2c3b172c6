#pragma once

// Output helpers of the decision commands: counts for tables, files, and the charts built from
// their results.

#include "breakeven_build.hpp"
#include "decision_inputs.hpp"

#include <gpucost/model/matrix.hpp>

#include <string>

namespace gpucost::cli {

// A volume for a table, rounded up and grouped: 2285.7 -> "2,286".
std::string format_count_up(double value);

// A capacity for a table, rounded down and grouped: 5005.7 -> "5,005".
std::string format_count_down(double value);

// Writes `text` to `path`; throws Error naming the path when it cannot.
void write_text_file(const std::string& path, const std::string& text);

// SVG: cost per job of the top `rows` options, stacked by execution, cold start, idle, rounding,
// rerun and egress.
std::string compare_chart(const CompareResult& result, std::size_t rows);

// SVG: monthly cost against volume, one line per option, break-even points marked, log axes.
std::string breakeven_chart(const BreakevenResult& result, const PricedSet& set);

// SVG: each option's total as its criteria's stacked contributions.
std::string matrix_chart(const MatrixResult& result);

} // namespace gpucost::cli
