#include "csv_reader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace gpucost::test {

std::optional<std::vector<CsvRecord>> read_csv(std::string_view text, char separator) {
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      bool closed = false;
      for (++i; i < text.size(); ++i) {
        if (text[i] != '"') {
          field += text[i];
        } else if (text.substr(i, 2) == "\"\"") {
          field += '"';
          ++i;
        } else {
          closed = true;
          break;
        }
      }
      if (!closed) {
        return std::nullopt;
      }
      ++i; // past the closing quote
      if (i < text.size() && text[i] != separator && text[i] != '\r') {
        return std::nullopt;
      }
    }
    for (; i < text.size() && text[i] != separator && text[i] != '\r'; ++i) {
      if (text[i] == '\n' || text[i] == '"') {
        return std::nullopt;
      }
      field += text[i];
    }
    if (i >= text.size()) {
      return std::nullopt;
    }
    record.push_back(std::move(field));
    field.clear();
    if (text[i] == separator) {
      ++i;
      continue;
    }
    if (text.substr(i, 2) != "\r\n") {
      return std::nullopt;
    }
    i += 2;
    records.push_back(std::move(record));
    record.clear();
  }
  return records;
}

const std::string& CsvDocument::cell(std::size_t row, std::string_view column) const {
  const auto at = std::find(header.begin(), header.end(), column);
  REQUIRE_MESSAGE(at != header.end(), "no column ", std::string(column));
  REQUIRE(row < rows.size());
  return rows[row][static_cast<std::size_t>(at - header.begin())];
}

CsvDocument read_csv_document(std::string_view text, char separator) {
  CsvDocument document;
  constexpr std::string_view k_bom = "\xEF\xBB\xBF";
  if (text.substr(0, k_bom.size()) == k_bom) {
    document.bom = true;
    text.remove_prefix(k_bom.size());
  }
  auto records = read_csv(text, separator);
  REQUIRE_MESSAGE(records.has_value(), "not strict CSV: ", std::string(text.substr(0, 200)));
  REQUIRE(!records->empty());
  document.header = std::move(records->front());
  for (std::size_t i = 1; i < records->size(); ++i) {
    REQUIRE_MESSAGE((*records)[i].size() == document.header.size(),
                    "record ",
                    i,
                    " has ",
                    (*records)[i].size(),
                    " fields under a header of ",
                    document.header.size());
    document.rows.push_back(std::move((*records)[i]));
  }
  return document;
}

std::optional<double> csv_number(std::string_view cell, char decimal) {
  if (cell.empty()) {
    return std::nullopt;
  }
  std::string text(cell);
  const char other = decimal == '.' ? ',' : '.';
  if (text.find(other) != std::string::npos) {
    return std::nullopt; // the other mark would be a thousands separator
  }
  std::replace(text.begin(), text.end(), decimal, '.');
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

} // namespace gpucost::test
