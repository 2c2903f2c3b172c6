#pragma once

#include <gpucost/util/error.hpp>

#include <string_view>

namespace gpucost {

// Relative tolerance under which a quotient counts as a whole number: 15 / 1 or 420 / 0.1 must not
// round up to the next integer because of floating-point noise.
inline constexpr double k_relative_epsilon = 1e-9;

// Whether `x` is a whole number up to floating-point noise.
bool near_integer(double x);

// ceil(x), except that x within noise of a whole number stays that number.
double tolerant_ceil(double x);

// floor(x), except that x within noise of a whole number stays that number.
double tolerant_floor(double x);

// Fails, naming `name`, unless `value` is a finite number.
Status require_finite(std::string_view name, double value);

// Fails, naming `name`, unless `value` is finite and greater than zero.
Status require_positive(std::string_view name, double value);

// Fails, naming `name`, unless `value` is finite and not negative.
Status require_non_negative(std::string_view name, double value);

} // namespace gpucost
