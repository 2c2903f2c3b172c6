// Benchmark of `gpucost compare` as a whole process over generated catalogs of 10k, 100k and 1M
// offers: wall time, offers per second and peak memory (RSS). Not a test: run it by hand,
//   build/tests/bench/bench_compare build/cli/gpucost [sizes...]
// and copy the figures into docs/performance.md.

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> k_gpus = {"RTX 4090",
                                         "RTX 3090",
                                         "L4",
                                         "A100 SXM 80GB",
                                         "H100 SXM",
                                         "L40S",
                                         "RTX A5000",
                                         "T4",
                                         "RTX 5090",
                                         "A10"};
const std::vector<std::string> k_products = {"pod", "vm", "serverless", "dedicated"};

// Writes a catalog of `count` varied offers (every field present, some null) to `path`.
void write_catalog(const fs::path& path, std::size_t count) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> price(0.1, 30.0);
  std::ofstream out(path);
  out << "{\"schema\": \"gpucost/catalog\", \"schemaVersion\": 1, \"offers\": [\n";
  for (std::size_t i = 0; i < count; ++i) {
    const auto& gpu = k_gpus[i % k_gpus.size()];
    const auto& product = k_products[(i / 7) % k_products.size()];
    const double hourly = price(random);
    out << fmt::format(
        "  {{\"provider\": \"p{}\", \"product\": \"{}\", \"name\": \"offer {}\", \"gpu\": \"{}\", "
        "\"gpu_count\": {}, \"gpu_memory_gb\": null, \"vcpus\": {}, \"ram_gb\": {}, "
        "\"region\": \"region-{}\", \"price_per_hour\": {:.4f}, \"spot_price_per_hour\": {}, "
        "\"monthly_price\": {}, \"billing_granularity_s\": 1, \"billing_minimum_s\": {}, "
        "\"cold_start_s\": {}, \"cold_start_billed\": true, \"idle_timeout_s\": {}, "
        "\"source\": \"generated\", \"fetched_at\": \"2026-11-20T00:00:00Z\"}}{}\n",
        i % 40,
        product,
        i,
        gpu,
        1U << (i % 4),
        8 * (1 + i % 8),
        32 * (1 + i % 8),
        i % 30,
        hourly,
        i % 3 == 0 ? fmt::format("{:.4f}", hourly * 0.4) : "null",
        product == "dedicated" ? fmt::format("{:.2f}", hourly * 730) : "null",
        i % 2 == 0 ? 60 : 0,
        i % 5 * 10,
        i % 4 == 0 ? "300" : "null",
        i + 1 == count ? "" : ",");
  }
  out << "]}\n";
}

struct Run {
  double seconds = 0;
  long max_rss_kb = 0;
  int status = 0;
};

Run run_process(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    std::perror("posix_spawn");
    std::exit(1);
  }
  Run run;
  rusage usage{};
  wait4(pid, &run.status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.max_rss_kb = usage.ru_maxrss;
  posix_spawn_file_actions_destroy(&actions);
  return run;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_compare PATH/TO/gpucost [offers...]\n");
    return 1;
  }
  const std::string binary = argv[1];
  std::vector<std::size_t> sizes = {10'000, 100'000, 1'000'000};
  if (argc > 2) {
    sizes.clear();
    for (int i = 2; i < argc; ++i) {
      sizes.push_back(static_cast<std::size_t>(std::stoull(argv[i])));
    }
  }
  const fs::path dir = fs::temp_directory_path() / "gpucost-bench";
  fs::create_directories(dir);
  setenv("GPUCOST_NOW", "2026-11-23T12:00:00Z", 1);
  setenv("GPUCOST_OFFLINE", "1", 1);
  fmt::print("{:>10}  {:>10}  {:>9}  {:>14}  {:>12}\n",
             "offers",
             "file MB",
             "ms",
             "offers/s",
             "peak RSS MB");
  for (const std::size_t size : sizes) {
    const fs::path catalog = dir / fmt::format("catalog-{}.json", size);
    if (!fs::exists(catalog)) {
      write_catalog(catalog, size);
    }
    const std::vector<std::string> args = {binary,
                                           "compare",
                                           "--catalog",
                                           catalog.string(),
                                           "--ref-gpu",
                                           "RTX 4090",
                                           "--job-seconds",
                                           "15",
                                           "--jobs-per-month",
                                           "3000",
                                           "--top",
                                           "20"};
    Run best;
    for (int attempt = 0; attempt < 3; ++attempt) {
      const Run run = run_process(args);
      if (run.status != 0) {
        fmt::print(stderr, "gpucost exited with status {} on {}\n", run.status, catalog.string());
        return 1;
      }
      if (attempt == 0 || run.seconds < best.seconds) {
        best = run;
      }
    }
    fmt::print("{:>10}  {:>10.1f}  {:>9.0f}  {:>14.0f}  {:>12.1f}\n",
               size,
               static_cast<double>(fs::file_size(catalog)) / 1e6,
               best.seconds * 1000,
               static_cast<double>(size) / best.seconds,
               static_cast<double>(best.max_rss_kb) / 1024);
  }
  return 0;
}
