// Benchmark of the cached-prices path against the same files given with --catalog: CPU time
// (user + sys, from wait4) of a whole `gpucost compare --offline` process, median of the runs.
//   build-perf/tests/bench/bench_cache build-perf/cli/gpucost [offers_per_provider] [runs]
// Writes seven provider caches with write_provider_cache (the code `catalog update` runs) into a
// temporary cache directory, then runs compare once with GPUCOST_CACHE_DIR pointing at it (the
// bundled catalog with the seven caches over it) and once with the seven files as --catalog.
// Fails when either command fails; a short mode (small sizes, one run) is run by ctest. Not a
// timed assertion.

#include "process_run.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/sources/cache.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using gpucost_bench::median;
using gpucost_bench::ProcessRun;
using gpucost_bench::run_process;

constexpr const char* k_now = "2026-11-23T12:00:00Z";
const std::vector<std::string> k_providers = {
    "vastai", "runpod", "lambda", "aws", "gcp", "azure", "oci"};
const std::vector<std::string> k_gpus = {"RTX 4090", "L4", "A100 SXM 80GB", "H100 SXM", "T4"};

// A catalog text of `count` offers of `provider`.
std::string catalog_text(const std::string& provider, std::size_t count, std::mt19937_64& random) {
  std::uniform_real_distribution<double> price(0.1, 30.0);
  std::string out = "{\"schema\": \"gpucost/catalog\", \"schemaVersion\": 1, \"offers\": [\n";
  for (std::size_t i = 0; i < count; ++i) {
    const double hourly = price(random);
    out += fmt::format(
        "{{\"provider\": \"{}\", \"product\": \"{}\", \"name\": \"offer {}\", \"gpu\": \"{}\", "
        "\"gpu_count\": {}, \"vcpus\": {}, \"ram_gb\": {}, \"region\": \"region-{}\", "
        "\"price_per_hour\": {:.4f}, \"spot_price_per_hour\": {}, \"billing_granularity_s\": 1, "
        "\"source\": \"generated\", \"fetched_at\": \"{}\"}}{}\n",
        provider,
        i % 2 == 0 ? "pod" : "vm",
        i,
        k_gpus[i % k_gpus.size()],
        1U << (i % 4),
        8 * (1 + i % 8),
        32 * (1 + i % 8),
        i % 30,
        hourly,
        i % 3 == 0 ? fmt::format("{:.4f}", hourly * 0.4) : "null",
        k_now,
        i + 1 == count ? "" : ",");
  }
  return out + "]}\n";
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_cache PATH/TO/gpucost [offers_per_provider] [runs]\n");
    return 1;
  }
  const std::string binary = argv[1];
  const std::size_t per_provider = argc > 2 ? std::stoull(argv[2]) : 1600;
  const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 9;
  const fs::path dir = fs::temp_directory_path() / fmt::format("gpucost-bench-cache-{}", getpid());
  const fs::path cache = dir / "cache";
  fs::create_directories(cache);
  setenv("GPUCOST_NOW", k_now, 1);
  setenv("GPUCOST_CACHE_DIR", cache.c_str(), 1);

  std::mt19937_64 random(42);
  std::vector<std::string> catalog_args = {binary, "compare", "--offline"};
  std::uintmax_t bytes = 0;
  for (const auto& provider : k_providers) {
    auto offers =
        gpucost::parse_catalog(catalog_text(provider, per_provider, random), provider, {});
    if (!offers) {
      fmt::print(stderr, "{}\n", offers.error().message);
      return 1;
    }
    const auto written =
        gpucost::write_provider_cache(cache, provider, *offers, k_now, "https://example.test/");
    if (!written) {
      fmt::print(stderr, "{}\n", written.error().message);
      return 1;
    }
    const fs::path copy = dir / fmt::format("{}.json", provider);
    fs::copy_file(*written, copy);
    bytes += fs::file_size(copy);
    catalog_args.push_back("--catalog");
    catalog_args.push_back(copy.string());
  }
  const std::vector<std::string> common = {"--workload",
                                           std::string(GPUCOST_SOURCE_DATADIR)
                                               + "/examples/whisperx-transcription.json",
                                           "--top",
                                           "10",
                                           "--format",
                                           "json"};
  std::vector<std::string> cached_args = {binary, "compare", "--offline"};
  cached_args.insert(cached_args.end(), common.begin(), common.end());
  catalog_args.insert(catalog_args.end(), common.begin(), common.end());

  // A cache file changed less than two seconds ago gets no verified record (sources/cache.cpp).
  const auto remove_records = [&] {
    for (const auto& provider : k_providers) {
      fs::remove(cache / fmt::format(".{}.verified", provider));
    }
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  std::vector<double> first_ms;
  std::vector<double> cached_ms;
  std::vector<double> catalog_ms;
  const std::string cached_out = (dir / "cached.out").string();
  const std::string catalog_out = (dir / "catalog.out").string();
  for (int i = 0; i < runs; ++i) {
    remove_records();
    const ProcessRun first =
        run_process(cached_args, cached_out); // checks the hashes, writes records
    const ProcessRun cached = run_process(cached_args, cached_out);
    const ProcessRun catalog = run_process(catalog_args, catalog_out);
    if (first.status != 0 || cached.status != 0 || catalog.status != 0) {
      fmt::print(stderr,
                 "compare failed: cached status {}, --catalog status {}\n",
                 cached.status,
                 catalog.status);
      return 1;
    }
    first_ms.push_back(first.cpu_ms);
    cached_ms.push_back(cached.cpu_ms);
    catalog_ms.push_back(catalog.cpu_ms);
  }
  const double first = median(first_ms);
  const double cached = median(cached_ms);
  const double catalog = median(catalog_ms);
  fmt::print("{} providers x {} offers, {:.1f} MB; CPU ms (user+sys), median of {}\n",
             k_providers.size(),
             per_provider,
             static_cast<double>(bytes) / 1e6,
             runs);
  const auto ratio = [&](double value) { return catalog > 0 ? value / catalog : 0.0; };
  fmt::print("  cached, first run after an update  {:8.1f}  ({:.2f}x)\n", first, ratio(first));
  fmt::print("  cached, later runs                 {:8.1f}  ({:.2f}x)\n", cached, ratio(cached));
  fmt::print("  same files via --catalog           {:8.1f}\n", catalog);
  fs::remove_all(dir);
  return 0;
}
