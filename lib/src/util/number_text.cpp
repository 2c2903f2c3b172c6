#include <gpucost/util/number_text.hpp>

#include <array>
#include <charconv>
#include <system_error>

namespace gpucost {

namespace {

// The powers of ten a double holds exactly: 10^0 to 10^22 (5^22 < 2^53).
constexpr std::array<double, 23> k_exact_powers_of_ten = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// The largest mantissa a double holds exactly, and every whole number below it.
constexpr std::uint64_t k_max_exact_mantissa = std::uint64_t{1} << 53;

bool is_decimal_digit(char c) {
  return c >= '0' && c <= '9';
}

} // namespace

const char* read_json_number(const char* begin, const char* end, JsonNumber& out) {
  const char* p = begin;
  const bool negative = p != end && *p == '-';
  if (negative) {
    ++p;
  }
  if (p == end) {
    return nullptr;
  }
  // The digits, before and after the point, as one whole number: exact while there are at most
  // 19 of them (10^19 < 2^64); past that it wraps, and is not used.
  std::uint64_t mantissa = 0;
  const char* const digits = p;
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    do {
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
      ++p;
    } while (p != end && is_decimal_digit(*p));
  } else {
    return nullptr;
  }
  auto digit_count = p - digits;
  bool integer = true;
  std::int64_t fraction_digits = 0;
  if (p != end && *p == '.') {
    integer = false;
    ++p;
    if (p == end || !is_decimal_digit(*p)) {
      return nullptr;
    }
    const char* const fraction = p;
    do {
      mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
      ++p;
    } while (p != end && is_decimal_digit(*p));
    fraction_digits = p - fraction;
    digit_count += fraction_digits;
  }
  std::int64_t exponent = 0;
  if (p != end && (*p == 'e' || *p == 'E')) {
    integer = false;
    ++p;
    bool exponent_negative = false;
    if (p != end && (*p == '+' || *p == '-')) {
      exponent_negative = *p == '-';
      ++p;
    }
    if (p == end || !is_decimal_digit(*p)) {
      return nullptr;
    }
    do {
      if (exponent < 1'000'000) { // far past any fast path: stop growing, from_chars reads it
        exponent = exponent * 10 + (*p - '0');
      }
      ++p;
    } while (p != end && is_decimal_digit(*p));
    if (exponent_negative) {
      exponent = -exponent;
    }
  }
  if (integer) {
    if (digit_count <= 18) { // below 10^18 < 2^63
      const auto whole =
          negative ? -static_cast<std::int64_t>(mantissa) : static_cast<std::int64_t>(mantissa);
      out.value = static_cast<double>(whole); // "-0" is an integer 0 to nlohmann, so +0.0
      out.integer = whole;
      return p;
    }
    std::int64_t whole = 0;
    if (std::from_chars(begin, p, whole).ec == std::errc{}) {
      out.value = static_cast<double>(whole);
      out.integer = whole;
      return p;
    }
    // Beyond 64 bits nlohmann reads an unsigned or a double, both rounded as strtod rounds.
  }
  out.integer.reset();
  const std::int64_t power = exponent - fraction_digits;
  if (digit_count <= 19 && mantissa <= k_max_exact_mantissa && power >= -22 && power <= 22) {
    const auto exact = static_cast<double>(mantissa);
    const double value = power < 0 ? exact / k_exact_powers_of_ten[static_cast<std::size_t>(-power)]
                                   : exact * k_exact_powers_of_ten[static_cast<std::size_t>(power)];
    out.value = negative ? -value : value;
    return p;
  }
  const auto result = std::from_chars(begin, p, out.value);
  return result.ec == std::errc{} && result.ptr == p ? p : nullptr;
}

} // namespace gpucost
