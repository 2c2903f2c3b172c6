#include <gpucost/model/simulate/distribution.hpp>
#include <gpucost/util/strings.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <optional>

namespace gpucost {

namespace {

// z of the 95th percentile of the standard normal.
constexpr double k_z95 = 1.6448536269514722;

} // namespace

Expected<SimDistribution> make_fixed(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) {
    return make_error(fmt::format("a fixed time must be a finite number >= 0 (got {})", seconds));
  }
  SimDistribution distribution;
  distribution.kind = SimDistKind::fixed;
  distribution.mean_s = seconds;
  return distribution;
}

Expected<SimDistribution> make_exponential(double mean_s) {
  if (!std::isfinite(mean_s) || mean_s <= 0) {
    return make_error(fmt::format("an exponential mean must be positive (got {})", mean_s));
  }
  SimDistribution distribution;
  distribution.kind = SimDistKind::exponential;
  distribution.mean_s = mean_s;
  return distribution;
}

Expected<SimDistribution> make_lognormal(double mean_s, double p95_s) {
  if (!std::isfinite(mean_s) || mean_s <= 0 || !std::isfinite(p95_s) || p95_s <= 0) {
    return make_error(fmt::format(
        "lognormal mean and p95 must be positive (got mean {}, p95 {})", mean_s, p95_s));
  }
  // mean = exp(mu + s^2 / 2), p95 = exp(mu + z s): s^2 / 2 - z s + ln(p95 / mean) = 0.
  const double log_ratio = std::log(p95_s / mean_s);
  const double discriminant = k_z95 * k_z95 - 2 * log_ratio;
  if (discriminant < 0) {
    return make_error(fmt::format("lognormal: p95 / mean = {:.4g} is too large for any lognormal "
                                  "(at most {:.4g}); use a smaller p95",
                                  p95_s / mean_s,
                                  std::exp(k_z95 * k_z95 / 2)));
  }
  const double root = std::sqrt(discriminant);
  double sigma = k_z95 - root; // the smaller sigma
  if (sigma <= 0) {
    sigma = k_z95 + root; // p95 at or below the mean: only the larger sigma is positive
  }
  SimDistribution distribution;
  distribution.kind = SimDistKind::lognormal;
  distribution.mean_s = mean_s;
  distribution.p95_s = p95_s;
  distribution.sigma = sigma;
  distribution.mu = std::log(mean_s) - sigma * sigma / 2;
  return distribution;
}

Expected<SimDistribution> parse_distribution(std::string_view text) {
  const auto colon = text.find(':');
  const std::string_view kind = text.substr(0, colon);
  const std::string_view rest = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  const auto bad = [&](std::string_view why) {
    return make_error(fmt::format("distribution \"{}\": {} (expected fixed:S, exp:MEAN or "
                                  "lognormal:MEAN,P95, seconds)",
                                  text,
                                  why));
  };
  if (kind == "fixed" || kind == "exp") {
    const auto value = parse_finite_number(rest);
    if (!value) {
      return bad("not a number after the colon");
    }
    auto made = kind == "fixed" ? make_fixed(*value) : make_exponential(*value);
    if (!made) {
      return bad(made.error().message);
    }
    return made;
  }
  if (kind == "lognormal") {
    const auto comma = rest.find(',');
    if (comma == std::string_view::npos) {
      return bad("lognormal needs MEAN,P95");
    }
    const auto mean = parse_finite_number(rest.substr(0, comma));
    const auto p95 = parse_finite_number(rest.substr(comma + 1));
    if (!mean || !p95) {
      return bad("MEAN and P95 must be numbers");
    }
    auto made = make_lognormal(*mean, *p95);
    if (!made) {
      return bad(made.error().message);
    }
    return made;
  }
  return bad(fmt::format("unknown kind \"{}\"", kind));
}

std::string to_string(const SimDistribution& distribution) {
  switch (distribution.kind) {
  case SimDistKind::fixed:
    return fmt::format("fixed:{:g}", distribution.mean_s);
  case SimDistKind::exponential:
    return fmt::format("exp:{:g}", distribution.mean_s);
  case SimDistKind::lognormal:
    return fmt::format("lognormal:{:g},{:g}", distribution.mean_s, distribution.p95_s);
  }
  return "unknown";
}

} // namespace gpucost
