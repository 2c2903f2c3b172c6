#pragma once

#include <gpucost/model/compare_result.hpp>
#include <gpucost/render/csv_util.hpp>

#include <string>

namespace gpucost {

// How a table is drawn: the terminal width and whether ANSI colour is allowed.
struct TableStyle {
  int columns = 100; // terminal width; columns are dropped (least useful first) to fit
  bool color = false;
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
