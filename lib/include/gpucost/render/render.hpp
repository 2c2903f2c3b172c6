#pragma once

#include <gpucost/model/compare_result.hpp>
#include <gpucost/render/csv_util.hpp>

#include <string>

namespace gpucost {

// The narrowest and widest terminal a table is fitted to (COLUMNS outside is clamped).
inline constexpr int k_min_table_columns = 40;
inline constexpr int k_max_table_columns = 1000;

// How a table is drawn: the terminal width, whether ANSI colour is allowed, and whether every
// column is shown however wide.
struct TableStyle {
  int columns = 100; // terminal width; columns are dropped (least useful first) to fit
  bool color = false;
  bool wide = false; // every column, however wide: none dropped or cut (text still wraps)
};

// Renders a compare result as an aligned text table that fits style.columns. Pure.
std::string render_compare_table(const CompareResult& result, const TableStyle& style);

// Renders a compare result as CSV in `dialect` (render/csv_util.hpp: CRLF, units in the headers,
// unknown = empty). Pure.
std::string render_compare_csv(const CompareResult& result, render::CsvDialect dialect);

// Renders a compare result as the gpucost/compare JSON document (docs/compare.schema.json). Pure.
std::string render_compare_json(const CompareResult& result);

// Renders a compare result as a GitHub-flavoured markdown table for a pull request. Pure.
std::string render_compare_markdown(const CompareResult& result);

} // namespace gpucost
