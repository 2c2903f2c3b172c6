#pragma once

// A strict CSV reader for tests, written apart from render/csv_util so that a writer bug does not
// cancel out in a round trip: RFC 4180 records with the separator of a dialect.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost::test {

// One record: its fields, unquoted.
using CsvRecord = std::vector<std::string>;

// Reads RFC 4180 text with `separator` between fields: CRLF record ends, quoted fields with
// doubled quotes (line breaks allowed inside). nullopt on a bare LF or CR outside quotes, a quote
// inside an unquoted field, text after a closing quote, an unclosed quote, or a last record
// without its CRLF.
std::optional<std::vector<CsvRecord>> read_csv(std::string_view text, char separator = ',');

// A CSV document as a spreadsheet sees it: whether it starts with the UTF-8 BOM, the header and
// the records under it, each as wide as the header.
struct CsvDocument {
  bool bom = false;
  CsvRecord header;
  std::vector<CsvRecord> rows;

  // The cell of `column` in row `row` (0 is the first record under the header); fails the test
  // when there is no such column or row.
  const std::string& cell(std::size_t row, std::string_view column) const;
};

// Reads a whole document with read_csv after an optional BOM; fails the test (REQUIRE) when the
// text is not strict CSV, has no header, or a record is not as wide as the header.
CsvDocument read_csv_document(std::string_view text, char separator = ',');

// A number cell read back with `decimal` as its decimal mark ('.' or ','): the whole cell must be
// a finite number with no thousands separator, sign and exponent allowed; nullopt otherwise (an
// empty cell included).
std::optional<double> csv_number(std::string_view cell, char decimal = '.');

} // namespace gpucost::test
