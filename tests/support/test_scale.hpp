#pragma once

#include <cstdlib>
#include <string_view>

namespace gpucost::test {

// Whether the tests run in their short mode: GPUCOST_TEST_SHORT set to anything but "" or "0"
// (.ci/run sets it for the sanitizer run, where each check costs ten times more).
inline bool short_mode() {
  const char* value = std::getenv("GPUCOST_TEST_SHORT");
  return value != nullptr && std::string_view(value) != "" && std::string_view(value) != "0";
}

// `full`, or a fifth of it (at least 1) in the short mode: the size of a randomized check's loop.
inline int scaled(int full) {
  return short_mode() ? (full / 5 > 0 ? full / 5 : 1) : full;
}

} // namespace gpucost::test
