#pragma once

// Running a whole gpucost process for the benchmarks: its CPU time (user + sys, from wait4), wall
// time and peak resident memory, and the median of several runs. CPU time is what the figures in
// docs/performance.md compare, as the build machine is shared and its wall times swing.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace gpucost_bench {

// One finished process.
struct ProcessRun {
  double cpu_ms = 0;     // user + sys
  double wall_ms = 0;    // from spawn to exit
  double max_rss_mb = 0; // peak resident set, mapped file pages included
  int status = 0;        // as wait4 gives it: 0 for exit code 0
};

// Runs `args` (args[0] a path) with stdout to `out_path` and stderr discarded; exits the benchmark
// when it cannot be started.
inline ProcessRun run_process(const std::vector<std::string>& args,
                              const std::string& out_path = "/dev/null") {
  std::vector<char*> argv;
  for (const auto& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(
      &actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    std::perror("posix_spawn");
    std::exit(1);
  }
  ProcessRun run;
  rusage usage{};
  wait4(pid, &run.status, 0, &usage);
  run.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
  };
  run.cpu_ms = ms(usage.ru_utime) + ms(usage.ru_stime);
  run.max_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024;
  posix_spawn_file_actions_destroy(&actions);
  return run;
}

// The median of `values` (not empty); the upper one of an even count.
inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

} // namespace gpucost_bench
