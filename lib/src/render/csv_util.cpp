#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render_util.hpp>

namespace gpucost::render {

std::optional<CsvDialect> parse_csv_dialect(std::string_view name) {
  if (name == "rfc4180") {
    return CsvDialect::rfc4180;
  }
  if (name == "excel") {
    return CsvDialect::excel;
  }
  if (name == "excel-eu") {
    return CsvDialect::excel_eu;
  }
  return std::nullopt;
}

std::string csv_quote(std::string field, char separator) {
  const char special[] = {separator, '"', '\r', '\n', '\0'};
  if (field.find_first_of(special) == std::string::npos) {
    return field;
  }
  std::string quoted = "\"";
  for (const char c : field) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + '"';
}

// A leading = + - @ TAB or CR would make a spreadsheet run the text as a formula (CSV injection,
// OWASP), and quoting does not stop that, so an apostrophe goes in front.
CsvCell csv_text_cell(std::string_view text) {
  constexpr std::string_view k_formula_starts = "=+-@\t\r";
  std::string cell(text);
  if (!cell.empty() && k_formula_starts.find(cell.front()) != std::string_view::npos) {
    cell.insert(0, 1, '\'');
  }
  return {std::move(cell), false};
}

CsvCell csv_number_cell(std::optional<double> value) {
  return {value ? render::format_shortest(*value) : std::string(), true};
}

CsvCell csv_integer_cell(long long value) {
  return {std::to_string(value), true};
}

std::string csv_record(const std::vector<CsvCell>& cells, CsvDialect dialect) {
  const char separator = dialect == CsvDialect::excel_eu ? ';' : ',';
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    std::string value = cells[i].value;
    if (cells[i].is_number && dialect == CsvDialect::excel_eu) {
      for (char& c : value) {
        if (c == '.') {
          c = ',';
        }
      }
    }
    out += csv_quote(std::move(value), separator);
  }
  return out + "\r\n";
}

std::string csv_header(const std::vector<std::string_view>& names, CsvDialect dialect) {
  std::vector<CsvCell> cells;
  cells.reserve(names.size());
  for (const auto name : names) {
    cells.push_back(csv_text_cell(name));
  }
  return csv_record(cells, dialect);
}

std::string csv_document_start(CsvDialect dialect) {
  return dialect == CsvDialect::rfc4180 ? std::string() : std::string("\xEF\xBB\xBF");
}

} // namespace gpucost::render
