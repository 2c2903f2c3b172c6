#pragma once

// One fuzz target per parser. GPUCOST_FUZZ_TARGET(name) defines the body that gets each input:
// built with -fsanitize=fuzzer (CMake option GPUCOST_FUZZ, clang only) it is libFuzzer's
// LLVMFuzzerTestOneInput; otherwise it is registered under `name` for corpus_main.cpp, which feeds
// it every file of a seed corpus as an ordinary ctest.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace gpucost::fuzz {

using TargetFunction = void (*)(std::string_view input);

// Registers `function` under `name`; returns true so it can initialise a static.
bool register_target(const char* name, TargetFunction function);

// Reports a broken invariant (the readers disagree, ...) and aborts, as a crash would.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

} // namespace gpucost::fuzz

#ifdef GPUCOST_LIBFUZZER
#define GPUCOST_FUZZ_TARGET(name)                                                                  \
  static void gpucost_fuzz_body(std::string_view input);                                           \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {              \
    gpucost_fuzz_body(std::string_view(reinterpret_cast<const char*>(data), size));                \
    return 0;                                                                                      \
  }                                                                                                \
  static void gpucost_fuzz_body(std::string_view input)
#else
#define GPUCOST_FUZZ_TARGET(name)                                                                  \
  static void gpucost_fuzz_body_##name(std::string_view input);                                    \
  static const bool gpucost_fuzz_registered_##name =                                               \
      ::gpucost::fuzz::register_target(#name, &gpucost_fuzz_body_##name);                          \
  static void gpucost_fuzz_body_##name(std::string_view input)
#endif
