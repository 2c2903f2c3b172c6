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

// A short human-readable age: "45 s", "12 min", "5 h", "3 days" (rounded down; negative as "0 s").
std::string format_age(double seconds);

} // namespace gpucost
