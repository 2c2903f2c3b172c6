#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render_util.hpp>

namespace gpucost::render {

// Quotes a field holding a separator, a quote or a line break, doubling inner quotes (RFC 4180).
std::string csv_quote(std::string field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
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

// A text cell: a leading = + - @ TAB or CR would make a spreadsheet run it as a formula (CSV
// injection, OWASP), and quoting does not stop that, so an apostrophe goes in front.
std::string csv_text_cell(std::string_view text) {
  constexpr std::string_view k_formula_starts = "=+-@\t\r";
  std::string cell(text);
  if (!cell.empty() && k_formula_starts.find(cell.front()) != std::string_view::npos) {
    cell.insert(0, 1, '\'');
  }
  return csv_quote(std::move(cell));
}

// A number cell at full precision; unknown, NaN and infinities are empty. Never prefixed: a
// negative number is data, not a formula.
std::string csv_number_cell(std::optional<double> value) {
  return value ? render::format_shortest(*value) : std::string();
}

std::string csv_record(const std::vector<std::string>& cells) {
  return join(cells, ",") + "\r\n";
}

} // namespace gpucost::render
