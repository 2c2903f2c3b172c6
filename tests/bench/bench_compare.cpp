// Benchmark of `gpucost compare` as a whole process over generated catalogs of 10k, 100k and 1M
// offers, or over catalog files given by path (../shared/bench/gen_catalog.py's): CPU time (user +
// sys, median of the runs), wall time (best run), and peak memory (RSS, mapped file pages
// included) against the file's size. Two commands: a mixed ranking (every product, a volume, the
// top 20) and issue 14's (one GPU, per-job, the top 10, JSON). Not a test: run it by hand,
//   build/tests/bench/bench_compare build/cli/gpucost [sizes or catalog files...] [--runs N]
// and copy the figures into docs/performance.md; ctest runs a short mode (2000 offers, one run).

#include "process_run.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using gpucost_bench::median;
using gpucost_bench::ProcessRun;
using gpucost_bench::run_process;

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

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr,
               "usage: bench_compare PATH/TO/gpucost [offers or catalog files...] [--runs N]\n");
    return 1;
  }
  const std::string binary = argv[1];
  std::vector<std::string> inputs;
  int runs = 3;
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      inputs.emplace_back(argv[i]);
    }
  }
  if (inputs.empty()) {
    inputs = {"10000", "100000", "1000000"};
  }
  const fs::path dir = fs::temp_directory_path() / "gpucost-bench";
  fs::create_directories(dir);
  setenv("GPUCOST_NOW", "2026-11-23T12:00:00Z", 1);
  setenv("GPUCOST_OFFLINE", "1", 1);
  fmt::print("CPU ms: user + sys, median of {} runs; wall ms: the best run\n", runs);
  fmt::print("{:>10}  {:>8}  {:<8}  {:>8}  {:>8}  {:>12}  {:>8}  {:>10}\n",
             "offers",
             "file MB",
             "command",
             "CPU ms",
             "wall ms",
             "offers/s CPU",
             "RSS MB",
             "RSS / file");
  for (const std::string& input : inputs) {
    fs::path catalog = input;
    std::size_t size = 0;
    if (!fs::exists(catalog)) {
      size = static_cast<std::size_t>(std::stoull(input));
      catalog = dir / fmt::format("catalog-{}.json", size);
      if (!fs::exists(catalog)) {
        write_catalog(catalog, size);
      }
    }
    const std::vector<std::string> base = {binary, "compare", "--catalog", catalog.string()};
    const std::vector<std::pair<std::string, std::vector<std::string>>> commands = {
        {"mixed",
         {"--ref-gpu",
          "RTX 4090",
          "--job-seconds",
          "15",
          "--jobs-per-month",
          "3000",
          "--top",
          "20"}},
        {"issue14",
         {"--ref-gpu",
          "RTX 4090",
          "--job-seconds",
          "60",
          "--gpu",
          "RTX 4090",
          "--mode",
          "per-job",
          "--top",
          "10",
          "--format",
          "json"}}};
    for (const auto& [name, extra] : commands) {
      std::vector<std::string> args = base;
      args.insert(args.end(), extra.begin(), extra.end());
      std::vector<double> cpu_ms;
      double wall_ms = 0;
      double rss_mb = 0;
      for (int attempt = 0; attempt < runs; ++attempt) {
        const ProcessRun run = run_process(args);
        if (run.status != 0) {
          fmt::print(stderr, "gpucost exited with status {} on {}\n", run.status, catalog.string());
          return 1;
        }
        cpu_ms.push_back(run.cpu_ms);
        wall_ms = attempt == 0 ? run.wall_ms : std::min(wall_ms, run.wall_ms);
        rss_mb = std::max(rss_mb, run.max_rss_mb);
      }
      const auto bytes = static_cast<double>(fs::file_size(catalog));
      const double cpu = median(cpu_ms);
      fmt::print("{:>10}  {:>8.1f}  {:<8}  {:>8.1f}  {:>8.1f}  {:>12}  {:>8.1f}  {:>10.2f}\n",
                 size == 0 ? catalog.filename().string() : std::to_string(size),
                 bytes / 1e6,
                 name,
                 cpu,
                 wall_ms,
                 size == 0 ? std::string("-")
                           : fmt::format("{:.0f}", static_cast<double>(size) / (cpu / 1000)),
                 rss_mb,
                 rss_mb * 1024 * 1024 / bytes);
    }
  }
  return 0;
}
