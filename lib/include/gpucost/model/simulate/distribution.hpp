#pragma once

// Service and start-up time distributions of the simulator, in seconds.

#include <gpucost/util/error.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace gpucost {

// The shape of a time distribution.
enum class SimDistKind : std::uint8_t { fixed, exponential, lognormal };

// A distribution of seconds: fixed at mean_s, exponential with mean mean_s, or lognormal with
// parameters mu and sigma (of the log) whose mean is mean_s.
struct SimDistribution {
  SimDistKind kind = SimDistKind::fixed;
  double mean_s = 0;
  double mu = 0;
  double sigma = 0;
  double p95_s = 0; // lognormal: the 95th percentile it was fitted to
};

// A fixed time of `seconds` (>= 0); fails on a negative or non-finite value.
Expected<SimDistribution> make_fixed(double seconds);

// An exponential time with mean `mean_s` (> 0).
Expected<SimDistribution> make_exponential(double mean_s);

// The lognormal with mean `mean_s` and 95th percentile `p95_s`: of the two sigmas that fit, the
// smaller positive one; fails when p95 / mean exceeds exp(1.6449^2 / 2) = 3.868, which no
// lognormal reaches.
Expected<SimDistribution> make_lognormal(double mean_s, double p95_s);

// Parses "fixed:S", "exp:MEAN" or "lognormal:MEAN,P95" (seconds); the message quotes the text.
Expected<SimDistribution> parse_distribution(std::string_view text);

// How the distribution is written on the command line, e.g. "exp:1.991".
std::string to_string(const SimDistribution& distribution);

// A sample from two uniforms in (0, 1] (the second is used by the lognormal only).
inline double sample(const SimDistribution& distribution, double u1, double u2) {
  switch (distribution.kind) {
  case SimDistKind::fixed:
    return distribution.mean_s;
  case SimDistKind::exponential:
    return -distribution.mean_s * std::log(u1);
  case SimDistKind::lognormal: {
    constexpr double k_two_pi = 6.283185307179586;
    const double normal = std::sqrt(-2.0 * std::log(u1)) * std::cos(k_two_pi * u2);
    return std::exp(distribution.mu + distribution.sigma * normal);
  }
  }
  return distribution.mean_s;
}

} // namespace gpucost
