#pragma once

#include <gpucost/util/clock.hpp>
#include <gpucost/util/time.hpp>

#include <iosfwd>
#include <string>

namespace gpucost::cli {

// The exit codes gpucost returns (docs/ci.md "Exit codes"). A command ends with one of these by
// setting Context::exit_code; an exception always ends with `error`.
enum class ExitCode : int {
  ok = 0,         // success; `check`: every fail rule held (warnings allowed)
  error = 1,      // bad input, usage, I/O or any other error
  breached = 2,   // `check`: a --fail-on rule was breached
  incomplete = 3, // `check --strict`: a price missing, too old, or from another catalog
};

// Records `code` as the command's exit code.
struct Context;
void set_exit_code(Context& context, ExitCode code);

// What a command needs from the outside world; tests build one with their own streams and env.
struct Context {
  std::ostream& out;
  std::ostream& err;
  EnvLookup env;
  bool out_is_terminal = false; // colour and width detection only for a terminal
  bool err_is_terminal = false; // progress lines only for a terminal
  std::string executable{};     // argv[0], to find the data directory
  int exit_code = 0;            // set with set_exit_code
};

// Runs gpucost with the process environment and the real terminal; returns the exit code
// (0 ok, 1 error, 2 and 3 reserved for `check`).
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// Runs gpucost in `context` (tests pass their own streams and environment); never calls exit().
int run(int argc, const char* const* argv, Context& context);

} // namespace gpucost::cli
