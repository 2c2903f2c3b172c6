#pragma once

// An optional double in 8 bytes, for the many number fields of an Offer: std::optional<double>
// takes 16, and a catalog of 100k offers is filled (and its pages zeroed) once per run.

#include <bit>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace gpucost {

class OptionalNumber;

namespace detail {
template<typename T> inline constexpr bool is_std_optional = false;
template<typename T> inline constexpr bool is_std_optional<std::optional<T>> = true;
} // namespace detail

// A value an OptionalNumber compares with as std::optional<double> compares with a value.
template<typename U>
concept Comparand = std::is_arithmetic_v<U> ||(
    !std::is_convertible_v<
        const U&,
        OptionalNumber> && !std::is_same_v<U, std::nullopt_t> && !detail::is_std_optional<U> && requires(double d, const U& u) {
      { d == u } -> std::convertible_to<bool>;
    });

// Holds a double or nothing, with the parts of std::optional<double>'s interface the code uses,
// and converts to and from it. Empty is one NaN bit pattern that no arithmetic yields (a
// signalling NaN with a payload); every other value, any NaN included, is held as given, and a
// value with that very pattern is held as the standard quiet NaN. Compares as std::optional does.
class OptionalNumber {
public:
  constexpr OptionalNumber() noexcept = default;
  constexpr OptionalNumber(std::nullopt_t) noexcept {}
  constexpr OptionalNumber(double value) noexcept : m_value(held(value)) {}
  constexpr OptionalNumber(const std::optional<double>& value) noexcept
      : m_value(value ? held(*value) : empty_value()) {}

  constexpr operator std::optional<double>() const noexcept {
    return has_value() ? std::optional<double>(m_value) : std::nullopt;
  }

  // Whether a value is held.
  constexpr bool has_value() const noexcept {
    return std::bit_cast<std::uint64_t>(m_value) != k_empty;
  }
  constexpr explicit operator bool() const noexcept { return has_value(); }

  // The value; only when has_value().
  constexpr const double& operator*() const noexcept { return m_value; }
  constexpr double& operator*() noexcept { return m_value; }

  // The value; throws std::bad_optional_access when empty.
  constexpr double value() const {
    if (!has_value()) {
      throw std::bad_optional_access();
    }
    return m_value;
  }

  // The value, or `fallback` when empty.
  constexpr double value_or(double fallback) const noexcept {
    return has_value() ? m_value : fallback;
  }

  // Empties it.
  constexpr void reset() noexcept { m_value = empty_value(); }

  // Holds `value` and returns it.
  constexpr double& emplace(double value) noexcept {
    m_value = held(value);
    return m_value;
  }

  friend constexpr bool operator==(const OptionalNumber& a, const OptionalNumber& b) noexcept {
    return a.has_value() == b.has_value() && (!a.has_value() || a.m_value == b.m_value);
  }
  friend constexpr bool operator==(const OptionalNumber& a, std::nullopt_t) noexcept {
    return !a.has_value();
  }
  friend constexpr bool operator==(const OptionalNumber& a,
                                   const std::optional<double>& b) noexcept {
    return a == OptionalNumber(b);
  }

  // Against a value of another type (a double, doctest's Approx), as std::optional compares:
  // empty is unequal to every value and less than it.
  template<Comparand U> friend constexpr bool operator==(const OptionalNumber& a, const U& b) {
    return a.has_value() && a.m_value == b;
  }
  template<Comparand U> friend constexpr bool operator<(const OptionalNumber& a, const U& b) {
    return !a.has_value() || a.m_value < b;
  }
  template<Comparand U> friend constexpr bool operator<=(const OptionalNumber& a, const U& b) {
    return !a.has_value() || a.m_value <= b;
  }
  template<Comparand U> friend constexpr bool operator>(const OptionalNumber& a, const U& b) {
    return a.has_value() && a.m_value > b;
  }
  template<Comparand U> friend constexpr bool operator>=(const OptionalNumber& a, const U& b) {
    return a.has_value() && a.m_value >= b;
  }

private:
  static constexpr std::uint64_t k_empty = 0x7FF4'0000'0000'0E5DULL; // signalling NaN, payload

  static constexpr double empty_value() noexcept { return std::bit_cast<double>(k_empty); }
  static constexpr double held(double value) noexcept {
    return std::bit_cast<std::uint64_t>(value) == k_empty ? std::numeric_limits<double>::quiet_NaN()
                                                          : value;
  }

  double m_value = empty_value();
};

static_assert(sizeof(OptionalNumber) == sizeof(double));

} // namespace gpucost
