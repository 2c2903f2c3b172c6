#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render_util.hpp>

#include <stdexcept>

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

CsvCell csv_integer_cell(std::optional<long long> value) {
  return {value ? std::to_string(*value) : std::string(), true};
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

CsvWriter::CsvWriter(CsvDialect dialect, std::vector<std::string> columns)
    : m_dialect(dialect), m_column_count(columns.size()) {
  // The BOM tells Excel the file is UTF-8; without it Windows Excel reads the bytes as the
  // system code page and mangles every non-ASCII name.
  if (dialect != CsvDialect::rfc4180) {
    m_text = "\xEF\xBB\xBF";
  }
  std::vector<CsvCell> cells;
  cells.reserve(columns.size());
  for (const auto& name : columns) {
    cells.push_back(csv_text_cell(name));
  }
  m_text += csv_record(cells, dialect);
}

void CsvWriter::add_record(const std::vector<CsvCell>& cells) {
  if (cells.size() != m_column_count) {
    throw std::logic_error("CSV record of " + std::to_string(cells.size())
                           + " cells under a header of " + std::to_string(m_column_count)
                           + " columns");
  }
  m_text += csv_record(cells, m_dialect);
}

} // namespace gpucost::render
