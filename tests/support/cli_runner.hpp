#pragma once

// Runs the real CLI in-process with a pinned, hermetic environment, for golden and CLI tests.

#include <map>
#include <string>
#include <vector>

namespace gpucost::test {

// What one run printed and returned.
struct CliOutcome {
  std::string out;
  std::string err;
  int code = 0;
};

// The environment every CLI test starts from: the source tree's data, "now" pinned to
// 2026-11-23T12:00:00Z, 120 columns, NO_COLOR, and a cache under `cache_dir`.
std::map<std::string, std::string> pinned_env(const std::string& cache_dir);

// Runs `gpucost ARGS...` through cli::run in `working_dir` (empty: the current one) with exactly
// `env` as its environment.
CliOutcome run_cli(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env,
                   const std::string& working_dir = "");

} // namespace gpucost::test
