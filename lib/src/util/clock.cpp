#include <gpucost/util/clock.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

namespace gpucost {

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const std::string key(name);
    if (const char* value = std::getenv(key.c_str())) {
      return std::string(value);
    }
    return std::nullopt;
  };
}

Expected<std::int64_t> current_time(const EnvLookup& env) {
  if (const auto pinned = env("GPUCOST_NOW"); pinned && !pinned->empty()) {
    if (const auto parsed = parse_iso8601(*pinned)) {
      return *parsed;
    }
    return make_error(fmt::format(
        "GPUCOST_NOW: invalid time \"{}\" (expected ISO 8601 UTC, e.g. 2026-01-01T00:00:00Z)",
        *pinned));
  }
  const auto now = std::chrono::system_clock::now();
  return std::int64_t{
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()};
}

} // namespace gpucost
