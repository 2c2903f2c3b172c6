#pragma once

// Reading the text of a JSON number into a double, exactly as std::from_chars (and so strtod and
// nlohmann) rounds it, fast for the short decimals catalogs are made of.

#include <cstdint>
#include <optional>

namespace gpucost {

// A JSON number as nlohmann would hold it: `value` is what get<double>() gives, and `integer` is
// set for a number written without fraction or exponent that fits in 64 bits (is_number_integer).
// `value` has no initializer on purpose: read_json_number always sets it, and zeroing the struct
// for every number showed in profiles.
struct JsonNumber {
  double value;
  std::optional<std::int64_t> integer;
};

// Reads the JSON number (RFC 8259 grammar) at the start of [begin, end) into `out` and returns
// where it ends; nullptr when no JSON number starts there, or it is beyond a double's range
// (1e999, 1e-999: left to a checked reader). `value` is bit for bit what std::from_chars gives
// for the text (an integer as the int64 it is, converted, so "-0" is +0 as in nlohmann). A decimal
// of at most 19 digits whose digits make at most 2^53 and whose power of ten is within 22 is
// computed in one IEEE operation (Clinger's fast path: both operands exact doubles, the result
// correctly rounded); any other goes through std::from_chars.
const char* read_json_number(const char* begin, const char* end, JsonNumber& out);

} // namespace gpucost
