#include <gpucost/model/numeric.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gpucost {

bool near_integer(double x) {
  return std::abs(x - std::round(x)) <= k_relative_epsilon * std::max(1.0, std::abs(x));
}

double tolerant_ceil(double x) {
  return near_integer(x) ? std::round(x) : std::ceil(x);
}

double tolerant_floor(double x) {
  return near_integer(x) ? std::round(x) : std::floor(x);
}

Status require_finite(std::string_view name, double value) {
  if (!std::isfinite(value)) {
    return make_error(fmt::format("{} must be a finite number (got {})", name, value));
  }
  return Ok{};
}

Status require_positive(std::string_view name, double value) {
  GPUCOST_TRY(require_finite(name, value));
  if (value <= 0) {
    return make_error(fmt::format("{} must be positive (got {})", name, value));
  }
  return Ok{};
}

Status require_non_negative(std::string_view name, double value) {
  GPUCOST_TRY(require_finite(name, value));
  if (value < 0) {
    return make_error(fmt::format("{} must not be negative (got {})", name, value));
  }
  return Ok{};
}

} // namespace gpucost
