#pragma once

// How jobs arrive in the simulator: a Poisson stream (optionally shaped by a 24-hour profile),
// bursts, and a trace of timestamps.

#include <gpucost/util/error.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// `jobs` jobs arriving together at `at_s` seconds.
struct SimBurst {
  double at_s = 0;
  std::int64_t jobs = 0;
};

// A trace of arrivals: times in seconds from the start, non-decreasing; service_s[i] is the job's
// own service seconds, or NaN where the trace gives none (then the service distribution applies).
struct SimTrace {
  std::vector<double> at_s;
  std::vector<double> service_s; // empty, or one per arrival
};

// Every arrival source of one simulation; they are merged in time order.
struct ArrivalSpec {
  double rate_per_s = 0;           // mean Poisson rate, jobs per second; 0 for none
  std::array<double, 24> hourly{}; // relative weights per hour of the day (UTC from t = 0)
  bool has_profile = false;        // whether `hourly` shapes the Poisson stream
  std::string profile_name;        // preset or file name, for output
  std::vector<SimBurst> bursts;    // extra jobs at given times
  SimTrace trace;                  // recorded arrivals
};

// Checks rates, weights, bursts and the trace; the message names the field.
Status validate_arrivals(const ArrivalSpec& spec);

// The 24 hourly weights of a preset: "flat", "business-hours" (09-17 busy), "evening"
// (18-23 busy), "night-batch" (00-06 busy); fails naming the presets.
Expected<std::array<double, 24>> daily_profile_preset(std::string_view name);

// Parses 24 non-negative weights (separated by commas, spaces or new lines; '#' starts a comment)
// from the text of `file_name`; fails naming the file and line.
Expected<std::array<double, 24>> parse_daily_profile(std::string_view text,
                                                     std::string_view file_name);

// Parses a trace CSV: one arrival a line, "seconds[,service_seconds]", an optional header line,
// '#' comments; times must not decrease. Fails naming the file and line; an empty trace fails.
Expected<SimTrace> parse_trace(std::string_view text, std::string_view file_name);

// One arrival: its time, its index (0, 1, 2, ... in time order) and the trace's own service time
// (NaN where none).
struct SimArrival {
  double at_s = std::numeric_limits<double>::infinity();
  std::uint64_t index = 0;
  double service_s = std::numeric_limits<double>::quiet_NaN();
};

// The arrivals of one replication in time order, drawn from `key` without allocating.
class ArrivalStream {
public:
  ArrivalStream(const ArrivalSpec& spec, std::uint64_t key);

  // The next arrival (at_s is infinity when there are no more), without consuming it.
  const SimArrival& peek() const { return m_next; }

  // Consumes the next arrival.
  void pop();

private:
  double next_poisson();
  void advance();

  const ArrivalSpec* m_spec;
  std::uint64_t m_key;
  double m_max_rate = 0;             // the thinning envelope, jobs per second
  double m_max_weight = 1;           // the largest normalized hourly weight
  std::array<double, 24> m_weight{}; // normalized to mean 1
  std::uint64_t m_candidate = 0;
  double m_poisson_at_s = 0;
  std::size_t m_burst = 0;
  std::int64_t m_burst_left = 0;
  std::size_t m_trace = 0;
  std::vector<std::size_t> m_burst_order; // bursts by time (filled once in the constructor)
  std::uint64_t m_count = 0;
  SimArrival m_next;
};

} // namespace gpucost
