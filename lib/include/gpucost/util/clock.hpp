#pragma once

// The process environment and the clock: I/O, so model/ and render/ never include this file.

#include <gpucost/util/error.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// Looks up an environment variable, nullopt when unset; passed in wherever the environment is
// read so that tests can inject one.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The real process environment (getenv); an unset variable is nullopt, a set-but-empty one "".
EnvLookup process_env();

// The current time in seconds since the epoch: GPUCOST_NOW when set (so output can be pinned),
// else the system clock; fails when GPUCOST_NOW is set but is not an ISO 8601 time.
Expected<std::int64_t> current_time(const EnvLookup& env);

} // namespace gpucost
