#pragma once

#include <gpucost/util/clock.hpp>
#include <gpucost/util/time.hpp>

#include <iosfwd>
#include <string>

namespace gpucost::cli {

// What a command needs from the outside world; tests build one with their own streams and env.
struct Context {
  std::ostream& out;
  std::ostream& err;
  EnvLookup env;
  bool out_is_terminal = false; // colour and width detection only for a terminal
  bool err_is_terminal = false; // progress lines only for a terminal
  std::string executable;       // argv[0], to find the data directory
  int exit_code = 0;
};

// Runs gpucost with the process environment and the real terminal; returns the exit code
// (0 ok, 1 error, 2 and 3 reserved for `check`).
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// Runs gpucost in `context` (tests pass their own streams and environment); never calls exit().
int run(int argc, const char* const* argv, Context& context);

} // namespace gpucost::cli
