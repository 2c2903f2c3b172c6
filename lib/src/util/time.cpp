#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <string_view>
#include <utility>

namespace gpucost {

namespace {

// Reads exactly `digits` decimal digits at `pos`, advancing it; nullopt when they are not there.
std::optional<int> read_number(std::string_view text, std::size_t& pos, std::size_t digits) {
  if (pos + digits > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool consume(std::string_view text, std::size_t& pos, char expected) {
  if (pos < text.size() && text[pos] == expected) {
    ++pos;
    return true;
  }
  return false;
}

// The offset east of UTC in seconds for "Z", "+HH:MM", "-HH:MM" or "+HHMM" at `pos`.
std::optional<std::int64_t> read_offset(std::string_view text, std::size_t& pos) {
  if (consume(text, pos, 'Z') || consume(text, pos, 'z')) {
    return 0;
  }
  int sign = 0;
  if (consume(text, pos, '+')) {
    sign = 1;
  } else if (consume(text, pos, '-')) {
    sign = -1;
  } else {
    return std::nullopt;
  }
  const auto hours = read_number(text, pos, 2);
  consume(text, pos, ':');
  const auto minutes = read_number(text, pos, 2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) {
    return std::nullopt;
  }
  return sign * (*hours * 3600 + *minutes * 60);
}

} // namespace

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  using namespace std::chrono;

  std::size_t pos = 0;
  const auto year = read_number(text, pos, 4);
  if (!year || !consume(text, pos, '-')) {
    return std::nullopt;
  }
  const auto month = read_number(text, pos, 2);
  if (!month || !consume(text, pos, '-')) {
    return std::nullopt;
  }
  const auto day_of_month = read_number(text, pos, 2);
  if (!day_of_month) {
    return std::nullopt;
  }
  const year_month_day date{std::chrono::year{*year},
                            std::chrono::month{static_cast<unsigned>(*month)},
                            std::chrono::day{static_cast<unsigned>(*day_of_month)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  const std::int64_t midnight = sys_seconds{sys_days{date}}.time_since_epoch().count();
  if (pos == text.size()) {
    return midnight;
  }

  if (!consume(text, pos, 'T') && !consume(text, pos, 't')) {
    return std::nullopt;
  }
  const auto hour = read_number(text, pos, 2);
  if (!hour || *hour > 23 || !consume(text, pos, ':')) {
    return std::nullopt;
  }
  const auto minute = read_number(text, pos, 2);
  if (!minute || *minute > 59) {
    return std::nullopt;
  }
  int second = 0;
  if (consume(text, pos, ':')) {
    const auto parsed = read_number(text, pos, 2);
    if (!parsed || *parsed > 59) {
      return std::nullopt;
    }
    second = *parsed;
    if (consume(text, pos, '.') || consume(text, pos, ',')) {
      const std::size_t fraction_begin = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        ++pos;
      }
      if (pos == fraction_begin) {
        return std::nullopt;
      }
    }
  }
  const auto offset = read_offset(text, pos);
  if (!offset || pos != text.size()) {
    return std::nullopt;
  }
  return midnight + *hour * 3600 + *minute * 60 + second - *offset;
}

std::string format_iso8601(std::int64_t epoch_s) {
  using namespace std::chrono;

  const sys_seconds time{seconds{epoch_s}};
  const auto day_start = floor<days>(time);
  const year_month_day date{day_start};
  const hh_mm_ss clock{time - day_start};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                     static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()),
                     clock.hours().count(),
                     clock.minutes().count(),
                     clock.seconds().count());
}

std::optional<double> cache_age_s(std::string_view fetched_at, std::int64_t now_s) {
  const auto fetched = parse_iso8601(fetched_at);
  if (!fetched) {
    return std::nullopt;
  }
  return static_cast<double>(now_s - *fetched);
}

namespace {

std::string age_in_words(double seconds) {
  if (!(seconds > 0)) {
    return "0 s";
  }
  const auto whole = static_cast<long long>(std::floor(seconds));
  if (whole < 60) {
    return fmt::format("{} s", whole);
  }
  if (whole < 3600) {
    return fmt::format("{} min", whole / 60);
  }
  if (whole < 2 * 86400) {
    return fmt::format("{} h", whole / 3600);
  }
  return fmt::format("{} days", whole / 86400);
}

std::string compact_age(double seconds) {
  constexpr std::array<std::pair<double, std::string_view>, 3> k_units = {{
      {86400, "d"},
      {3600, "h"},
      {60, "m"},
  }};
  const double age = std::max(seconds, 0.0);
  for (const auto& [unit_s, suffix] : k_units) {
    if (age >= unit_s) {
      return fmt::format("{:.0f}{}", std::floor(age / unit_s), suffix);
    }
  }
  return fmt::format("{:.0f}s", std::floor(age));
}

std::string clock_time(double seconds) {
  if (seconds < 0) {
    return "-";
  }
  if (seconds < 10) {
    return fmt::format("{:.2g}s", seconds);
  }
  const auto whole = std::llround(seconds);
  if (whole < 60) {
    return fmt::format("{}s", whole);
  }
  if (whole < 3600) {
    return fmt::format("{}m{:02}s", whole / 60, whole % 60);
  }
  return fmt::format("{}h{:02}m", whole / 3600, whole % 3600 / 60);
}

} // namespace

std::string format_duration(double seconds, DurationStyle style) {
  if (!std::isfinite(seconds)) {
    return "-";
  }
  switch (style) {
  case DurationStyle::words:
    return age_in_words(seconds);
  case DurationStyle::compact:
    return compact_age(seconds);
  case DurationStyle::clock:
    return clock_time(seconds);
  }
  return "-";
}

} // namespace gpucost
