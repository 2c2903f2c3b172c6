#pragma once

// RFC 4180 CSV cells and records shared by the CSV renderers. Pure.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost::render {

// Quotes a field holding a separator, a quote or a line break, doubling inner quotes (RFC 4180).
std::string csv_quote(std::string field);

// A text cell, with an apostrophe in front of a leading = + - @ TAB or CR (CSV injection).
std::string csv_text_cell(std::string_view text);

// A number cell at full precision; unknown, NaN and infinities are empty.
std::string csv_number_cell(std::optional<double> value);

// The cells joined by commas, ended by CRLF.
std::string csv_record(const std::vector<std::string>& cells);

} // namespace gpucost::render
