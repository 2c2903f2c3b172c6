#pragma once

// The one CSV writer every command's CSV goes through: RFC 4180 records (CRLF, quoting), units in
// the column names, bare numbers, unknown = empty cell, a guard against formula injection, and
// the spreadsheet dialects. Pure.

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

// A whole-number cell.
CsvCell csv_integer_cell(long long value);

// Quotes a field holding `separator`, a quote or a line break, doubling inner quotes (RFC 4180).
std::string csv_quote(std::string field, char separator = ',');

// The cells of one record joined by the dialect's separator (numbers with its decimal mark),
// each quoted as needed, ended by CRLF.
std::string csv_record(const std::vector<CsvCell>& cells, CsvDialect dialect = CsvDialect::rfc4180);

// A header record of column names (text cells).
std::string csv_header(const std::vector<std::string_view>& names,
                       CsvDialect dialect = CsvDialect::rfc4180);

// What a document in `dialect` starts with: the UTF-8 BOM for the Excel dialects, else nothing.
std::string csv_document_start(CsvDialect dialect);

} // namespace gpucost::render
