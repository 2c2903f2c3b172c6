#pragma once

// Laying out the human-readable tables (compare and offers): fitting columns to the terminal,
// aligned rows, wrapped footnotes, warnings and the provenance footer. Pure.

#include <gpucost/model/compare_result.hpp>
#include <gpucost/render/render.hpp>
#include <gpucost/render/render_util.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gpucost::render {

// The ANSI code for bold text.
inline constexpr std::string_view k_bold = "\x1b[1m";

// What fit_columns did to a table: the columns it hid and cut, by header, in table order.
struct TableFit {
  std::vector<std::string> hidden; // columns dropped
  std::vector<std::string> cut;    // columns whose text was cut short
  std::size_t full_width = 0;      // display columns the table needs with every column uncut
  int columns = 0;                 // the width it was fitted to
};

// Drops the least useful columns (lowest drop_order first) and then cuts the widest text columns
// until the table fits style.columns, and says what it did; does nothing when style.columns is
// not positive or style.wide is set.
TableFit fit_columns(std::vector<Column>& columns, const TableStyle& style);

// A wrapped sentence naming the columns `fit` hid or cut and how to see them (--wide, or COLUMNS
// when the whole table fits in k_max_table_columns); empty when nothing was hidden or cut.
std::string describe_fit(const TableFit& fit);

// `text` in the ANSI `colour` when enabled, line by line, so no escape code straddles a line break.
std::string paint(const std::string& text, std::string_view colour, bool enabled);

// The header and one aligned line per row; rows whose `highlighted` flag is set are green when
// colour is on.
std::string render_rows(const std::vector<Column>& columns,
                        const std::vector<bool>& highlighted,
                        const TableStyle& style);

// `raw_text` (made printable) after `first_prefix`, wrapped at spaces to `columns` with
// `rest_prefix` on later lines; one line when columns is not positive.
std::string wrap(std::string_view raw_text,
                 std::string_view first_prefix,
                 std::string_view rest_prefix,
                 int columns);

// The numbered footnotes, "[1] text", wrapped to `columns`.
std::string render_notes(const NoteIndex& notes, int columns);

// One wrapped "warning: ..." paragraph per warning.
std::string render_warnings(const std::vector<std::string>& warnings, const TableStyle& style);

// "Prices from (catalog sha256 ...):" and one line per source with its origin and age at
// `generated_at`.
std::string render_sources(const CatalogInfo& catalog, std::string_view generated_at, int columns);

// Text made inert for GitHub markdown: table, emphasis, code, link, HTML and math characters are
// escaped and control characters become spaces.
std::string markdown_escape(std::string_view text);

// A GitHub-flavoured markdown table of the columns (right-aligned columns marked "--:").
std::string markdown_table(const std::vector<Column>& columns);

} // namespace gpucost::render
