// Benchmark of a small offline run, the README's first example: CPU time (user + sys) of the whole
// `gpucost compare --offline --workload data/examples/whisperx-transcription.json --top 8
// --revenue-per-job 14` process with an empty cache, median of the runs, and its peak RSS.
//   build-perf/tests/bench/bench_startup build-perf/cli/gpucost [runs]
// The workload's volume makes four serverless rows simulated fleets (about 10 ms each), none of
// them among the 8 shown. Fails when the command fails; ctest runs it once (short mode). Not a
// timed assertion.

#include "process_run.hpp"

#include <filesystem>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using gpucost_bench::median;
using gpucost_bench::run_process;

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_startup PATH/TO/gpucost [runs]\n");
    return 1;
  }
  const std::string binary = argv[1];
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 21;
  const fs::path cache =
      fs::temp_directory_path() / fmt::format("gpucost-bench-startup-{}", getpid());
  fs::create_directories(cache);
  setenv("GPUCOST_NOW", "2026-11-23T12:00:00Z", 1);
  setenv("GPUCOST_CACHE_DIR", cache.c_str(), 1);
  const std::vector<std::string> args = {binary,
                                         "compare",
                                         "--offline",
                                         "--workload",
                                         std::string(GPUCOST_SOURCE_DATADIR)
                                             + "/examples/whisperx-transcription.json",
                                         "--top",
                                         "8",
                                         "--revenue-per-job",
                                         "14"};
  std::vector<double> cpu_ms;
  std::vector<double> wall_ms;
  double rss_mb = 0;
  for (int i = 0; i < runs; ++i) {
    const auto run = run_process(args);
    if (run.status != 0) {
      fmt::print(stderr, "compare failed with status {}\n", run.status);
      return 1;
    }
    cpu_ms.push_back(run.cpu_ms);
    wall_ms.push_back(run.wall_ms);
    rss_mb = std::max(rss_mb, run.max_rss_mb);
  }
  fmt::print("README example (compare --offline, whisperx workload, --top 8), median of {}:\n",
             runs);
  fmt::print(
      "  CPU ms (user+sys) {:8.1f}\n  wall ms           {:8.1f}\n  peak RSS MB       {:8.1f}\n",
      median(cpu_ms),
      median(wall_ms),
      rss_mb);
  fs::remove_all(cache);
  return 0;
}
