#pragma once

#include <gpucost/util/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// Parses an ISO 8601 UTC time into seconds since the Unix epoch: "2026-11-20" (midnight),
// "2026-11-20T08:30:00Z", with optional seconds, fractional seconds (dropped, rounding down) and
// a "Z", "+HH:MM", "-HH:MM" or "+HHMM" offset; nullopt for anything else, a missing offset or an
// impossible date included.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

// Formats seconds since the Unix epoch as "YYYY-MM-DDTHH:MM:SSZ" (UTC).
std::string format_iso8601(std::int64_t epoch_s);

// How many seconds before `now_s` the ISO 8601 time `fetched_at` is (negative when it lies in the
// future); nullopt when `fetched_at` does not parse.
std::optional<double> cache_age_s(std::string_view fetched_at, std::int64_t now_s);

// How format_duration writes a duration.
enum class DurationStyle {
  words,   // an age in messages, rounded down: "45 s", "12 min", "5 h" (under two days), "3 days"
  compact, // an age in a table cell, rounded down to its largest unit: "45s", "12m", "5h", "3d"
  clock,   // a job time: "0s", "0.5s", "2.2s" (two digits under 10 s), "15s", "7m00s", "1h11m"
};

// The one formatter of durations: `seconds` as text in `style`. A negative age (a price fetched
// after the clock's now) is "0 s" or "0s"; a negative job time, or any duration that is not
// finite, is "-" (the tables' mark for unknown).
std::string format_duration(double seconds, DurationStyle style);

} // namespace gpucost
