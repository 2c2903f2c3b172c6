#pragma once

// The one CSV writer every command's CSV goes through: RFC 4180 records (CRLF, quoting), units in
// the column names, bare numbers, unknown = empty cell, a guard against formula injection, and
// the spreadsheet dialects. Pure.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost::render {

// Which spreadsheet the CSV is for.
enum class CsvDialect {
  rfc4180,  // ',' separator, '.' decimals, no BOM
  excel,    // the same with a UTF-8 BOM, so Windows Excel reads UTF-8 text
  excel_eu, // a UTF-8 BOM, ';' separator and decimal commas (continental European Excel)
};

// Parses "rfc4180", "excel" or "excel-eu"; nullopt otherwise.
std::optional<CsvDialect> parse_csv_dialect(std::string_view name);

// One cell before it is written: a text cell (guarded against formulas) or a number (never
// guarded: a negative number is data, not a formula).
struct CsvCell {
  std::string value;
  bool is_number = false;
};

// A text cell, with an apostrophe in front of a leading = + - @ TAB or CR (CSV injection).
CsvCell csv_text_cell(std::string_view text);

// A number cell at full precision ('.' decimals); unknown, NaN and infinities are empty.
CsvCell csv_number_cell(std::optional<double> value);

// A whole-number cell; unknown is empty.
CsvCell csv_integer_cell(std::optional<long long> value);

// Quotes a field holding `separator`, a quote or a line break, doubling inner quotes (RFC 4180).
std::string csv_quote(std::string field, char separator = ',');

// The cells of one record joined by the dialect's separator (numbers with its decimal mark),
// each quoted as needed, ended by CRLF.
std::string csv_record(const std::vector<CsvCell>& cells, CsvDialect dialect);

// One CSV document in one dialect: the dialect's start (the UTF-8 BOM for the Excel dialects),
// one header record of column names, then records as wide as the header. Every CSV gpucost writes,
// to stdout or to a file, is built by one of these.
class CsvWriter {
public:
  // Starts a document in `dialect` whose header names the columns (text cells, units in the
  // names: "cost_per_job_usd", "job_seconds").
  CsvWriter(CsvDialect dialect, std::vector<std::string> columns);

  // Appends one record; throws std::logic_error when `cells` is not one cell per column (a
  // renderer's bug, never the data's).
  void add_record(const std::vector<CsvCell>& cells);

  // The number of columns in the header.
  std::size_t column_count() const { return m_column_count; }

  // The document written so far.
  const std::string& text() const& { return m_text; }

  // The document, moved out.
  std::string text() && { return std::move(m_text); }

private:
  CsvDialect m_dialect;
  std::size_t m_column_count = 0;
  std::string m_text;
};

} // namespace gpucost::render
