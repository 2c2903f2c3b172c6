#include <gpucost/model/simulate/arrivals.hpp>
#include <gpucost/model/simulate/rng.hpp>
#include <gpucost/util/strings.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <optional>

namespace gpucost {

namespace {

constexpr double k_day_s = 86400.0;
constexpr double k_hour_s = 3600.0;

// Calls `line_fn(line_number, line)` for each line without its comment, skipping blank ones.
template<typename F> Status for_each_line(std::string_view text, F&& line_fn) {
  std::size_t number = 0;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    ++number;
    std::string_view line = text.substr(start, end - start);
    line = line.substr(0, line.find('#'));
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      GPUCOST_TRY(line_fn(number, line));
    }
    start = end + 1;
  }
  return Ok{};
}

} // namespace

Status validate_arrivals(const ArrivalSpec& spec) {
  if (!std::isfinite(spec.rate_per_s) || spec.rate_per_s < 0) {
    return make_error(fmt::format(
        "arrival rate must be a finite number of jobs per second >= 0 (got {})", spec.rate_per_s));
  }
  if (spec.has_profile) {
    double total = 0;
    for (double weight : spec.hourly) {
      if (!std::isfinite(weight) || weight < 0) {
        return make_error(
            fmt::format("daily profile: weights must be finite and >= 0 (got {})", weight));
      }
      total += weight;
    }
    if (total <= 0) {
      return make_error("daily profile: at least one hourly weight must be positive");
    }
  }
  for (const SimBurst& burst : spec.bursts) {
    if (!std::isfinite(burst.at_s) || burst.at_s < 0 || burst.jobs < 1) {
      return make_error(
          fmt::format("burst at {} s with {} jobs: time must be >= 0 and jobs at least 1",
                      burst.at_s,
                      burst.jobs));
    }
  }
  if (!spec.trace.service_s.empty() && spec.trace.service_s.size() != spec.trace.at_s.size()) {
    return make_error("trace: service times must be given for every arrival or none");
  }
  if (spec.rate_per_s <= 0 && spec.bursts.empty() && spec.trace.at_s.empty()) {
    return make_error("no arrivals: give a positive rate, a burst or a trace");
  }
  return Ok{};
}

Expected<std::array<double, 24>> daily_profile_preset(std::string_view name) {
  std::array<double, 24> weights{};
  weights.fill(1);
  if (name == "flat") {
    return weights;
  }
  const auto busy = [&](int from, int to, double high, double low) {
    for (int hour = 0; hour < 24; ++hour) {
      weights[static_cast<std::size_t>(hour)] = (hour >= from && hour < to) ? high : low;
    }
  };
  if (name == "business-hours") {
    busy(9, 17, 3, 0.5);
  } else if (name == "evening") {
    busy(18, 24, 3, 0.6);
  } else if (name == "night-batch") {
    busy(0, 6, 4, 0.4);
  } else {
    return make_error(fmt::format("unknown daily profile preset \"{}\" (expected flat, "
                                  "business-hours, evening or night-batch, or a file)",
                                  name));
  }
  return weights;
}

Expected<std::array<double, 24>> parse_daily_profile(std::string_view text,
                                                     std::string_view file_name) {
  std::array<double, 24> weights{};
  std::size_t count = 0;
  GPUCOST_TRY(for_each_line(text, [&](std::size_t line, std::string_view content) -> Status {
    for (std::size_t start = 0; start < content.size();) {
      const std::size_t end = std::min(content.find_first_of(", \t\r", start), content.size());
      if (end > start) {
        const auto value = parse_finite_number(content.substr(start, end - start));
        if (!value || *value < 0) {
          return make_error(fmt::format("{}:{}: hourly weight \"{}\" is not a number >= 0",
                                        file_name,
                                        line,
                                        content.substr(start, end - start)));
        }
        if (count == 24) {
          return make_error(fmt::format("{}:{}: more than 24 hourly weights", file_name, line));
        }
        weights[count++] = *value;
      }
      start = end + 1;
    }
    return Ok{};
  }));
  if (count != 24) {
    return make_error(
        fmt::format("{}: a daily profile needs 24 hourly weights (got {})", file_name, count));
  }
  if (std::accumulate(weights.begin(), weights.end(), 0.0) <= 0) {
    return make_error(fmt::format("{}: at least one hourly weight must be positive", file_name));
  }
  return weights;
}

Expected<SimTrace> parse_trace(std::string_view text, std::string_view file_name) {
  SimTrace trace;
  bool any_service = false;
  bool first = true;
  GPUCOST_TRY(for_each_line(text, [&](std::size_t line, std::string_view content) -> Status {
    const auto comma = content.find(',');
    const auto at = parse_finite_number(content.substr(0, comma));
    if (!at) {
      if (first) { // a header line
        first = false;
        return Ok{};
      }
      return make_error(fmt::format("{}:{}: arrival time \"{}\" is not a number of seconds",
                                    file_name,
                                    line,
                                    content.substr(0, comma)));
    }
    first = false;
    if (*at < 0) {
      return make_error(
          fmt::format("{}:{}: arrival time {} must not be negative", file_name, line, *at));
    }
    if (!trace.at_s.empty() && *at < trace.at_s.back()) {
      return make_error(fmt::format("{}:{}: arrival time {} is before the previous one ({}); "
                                    "sort the trace",
                                    file_name,
                                    line,
                                    *at,
                                    trace.at_s.back()));
    }
    double service = std::numeric_limits<double>::quiet_NaN();
    if (comma != std::string_view::npos) {
      const auto field = content.substr(comma + 1);
      const auto value = parse_finite_number(field);
      if (!value || *value <= 0) {
        return make_error(fmt::format(
            "{}:{}: service seconds \"{}\" is not a positive number", file_name, line, field));
      }
      service = *value;
      any_service = true;
    }
    trace.at_s.push_back(*at);
    trace.service_s.push_back(service);
    return Ok{};
  }));
  if (trace.at_s.empty()) {
    return make_error(fmt::format("{}: the trace has no arrivals", file_name));
  }
  if (!any_service) {
    trace.service_s.clear();
  }
  return trace;
}

ArrivalStream::ArrivalStream(const ArrivalSpec& spec, std::uint64_t key)
    : m_spec(&spec), m_key(key) {
  m_weight.fill(1);
  if (spec.has_profile) {
    const double total = std::accumulate(spec.hourly.begin(), spec.hourly.end(), 0.0);
    for (std::size_t hour = 0; hour < 24; ++hour) {
      m_weight[hour] = spec.hourly[hour] * 24 / total;
    }
  }
  m_max_weight = *std::max_element(m_weight.begin(), m_weight.end());
  m_max_rate = spec.rate_per_s * m_max_weight;
  m_poisson_at_s = spec.rate_per_s > 0 ? 0 : std::numeric_limits<double>::infinity();
  if (spec.rate_per_s > 0) {
    m_poisson_at_s = next_poisson();
  }
  m_burst_order.resize(spec.bursts.size());
  std::iota(m_burst_order.begin(), m_burst_order.end(), std::size_t{0});
  std::stable_sort(m_burst_order.begin(), m_burst_order.end(), [&](std::size_t a, std::size_t b) {
    return spec.bursts[a].at_s < spec.bursts[b].at_s;
  });
  m_burst_left = m_burst_order.empty() ? 0 : spec.bursts[m_burst_order[0]].jobs;
  advance();
}

double ArrivalStream::next_poisson() {
  // Thinning: candidates at the peak rate, each kept with probability weight / peak weight.
  double at = m_poisson_at_s;
  for (;;) {
    const std::uint64_t candidate = m_candidate++;
    at += -std::log(sim_uniform(m_key, candidate, 14)) / m_max_rate;
    if (!m_spec->has_profile) {
      return at;
    }
    const auto hour = static_cast<std::size_t>(std::fmod(at, k_day_s) / k_hour_s) % 24;
    if (sim_uniform(m_key, candidate, 15) * m_max_weight <= m_weight[hour]) {
      return at;
    }
  }
}

void ArrivalStream::advance() {
  constexpr double k_inf = std::numeric_limits<double>::infinity();
  const double burst_at =
      m_burst < m_burst_order.size() ? m_spec->bursts[m_burst_order[m_burst]].at_s : k_inf;
  const double trace_at = m_trace < m_spec->trace.at_s.size() ? m_spec->trace.at_s[m_trace] : k_inf;
  m_next = SimArrival{};
  m_next.index = m_count;
  if (trace_at <= burst_at && trace_at <= m_poisson_at_s && trace_at < k_inf) {
    m_next.at_s = trace_at;
    if (!m_spec->trace.service_s.empty()) {
      m_next.service_s = m_spec->trace.service_s[m_trace];
    }
  } else if (burst_at <= m_poisson_at_s && burst_at < k_inf) {
    m_next.at_s = burst_at;
  } else {
    m_next.at_s = m_poisson_at_s;
  }
}

void ArrivalStream::pop() {
  constexpr double k_inf = std::numeric_limits<double>::infinity();
  const double at = m_next.at_s;
  if (at == k_inf) {
    return;
  }
  ++m_count;
  const double burst_at =
      m_burst < m_burst_order.size() ? m_spec->bursts[m_burst_order[m_burst]].at_s : k_inf;
  const double trace_at = m_trace < m_spec->trace.at_s.size() ? m_spec->trace.at_s[m_trace] : k_inf;
  if (trace_at == at && trace_at <= burst_at && trace_at <= m_poisson_at_s) {
    ++m_trace;
  } else if (burst_at == at && burst_at <= m_poisson_at_s) {
    if (--m_burst_left <= 0) {
      ++m_burst;
      m_burst_left =
          m_burst < m_burst_order.size() ? m_spec->bursts[m_burst_order[m_burst]].jobs : 0;
    }
  } else {
    m_poisson_at_s = next_poisson();
  }
  advance();
}

} // namespace gpucost
