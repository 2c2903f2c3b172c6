#pragma once

// Helpers shared by the provider adapter tests: fixture reading, a small hand-built GPU table and
// look-ups in a FetchResult.

#include <gpucost/model/gpu.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/sources/providers/adapter_util.hpp>
#include <gpucost/sources/providers/provider.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace gpucost::test {

// The whole text of a file, or nullopt when it cannot be read.
inline std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A file of tests/fixtures/ (e.g. "vastai/bundles.json"); fails the test when it is missing.
inline std::string fixture(const std::string& relative) {
  const std::string path = std::string(GPUCOST_TEST_FIXTURES) + "/" + relative;
  auto text = read_text(path);
  REQUIRE_MESSAGE(text.has_value(), "missing fixture " << path);
  return *text;
}

// A real captured response from the shared samples next to the repository
// (../shared/samples/<name>), or nullopt when that folder is not there.
inline std::optional<std::string> shared_sample(const std::string& name) {
  return read_text(std::string(GPUCOST_SOURCE_DIR) + "/../shared/samples/" + name);
}

// One GPU of the test table.
inline GpuSpec spec(std::string name, double memory_gb, std::vector<std::string> aliases = {}) {
  GpuSpec gpu;
  gpu.name = std::move(name);
  gpu.vendor = "nvidia";
  gpu.memory_gb = memory_gb;
  gpu.aliases = std::move(aliases);
  return gpu;
}

// A small GPU table covering the fixtures; "A100 SXM4" and "A100 PCIE" deliberately alias
// different sizes so that the memory check is exercised.
inline const GpuDatabase& test_gpus() {
  static const GpuDatabase gpus(std::vector<GpuSpec>{
      spec("RTX 4090", 24, {"GeForce RTX 4090"}),
      spec("RTX 3070", 8),
      spec("H100 SXM", 80, {"H100 SXM5", "H100 80GB HBM3"}),
      spec("H100 PCIe", 80, {"H100 PCIE", "H100 80GB PCIe"}),
      spec("H200", 141, {"H200 SXM"}),
      spec("A100 40GB", 40, {"A100", "A100 SXM 40GB", "A100-SXM4-40GB", "A100 PCIE"}),
      spec("A100 80GB", 80, {"A100 SXM4", "A100 80GB SXM4", "A100 PCIE 80GB", "A100 80GB PCIe"}),
      spec("B200", 192, {"B200 SXM6"}),
      spec("B300", 288),
      spec("GB200", 186),
      spec("GH200", 96),
      spec("V100", 16, {"Tesla V100"}),
      spec("P100", 16),
      spec("A10", 24),
      spec("L40S", 48),
      spec("MI300X", 192, {"AMD Instinct MI300X OAM"}),
      spec("MI355X", 288),
      spec("RTX 6000 Ada", 48, {"RTX 6000"}),
  });
  return gpus;
}

// A ParseContext with the test table and a fixed clock.
inline ParseContext test_context(std::string source_url) {
  return ParseContext{&test_gpus(), "2026-11-23T12:00:00Z", std::move(source_url)};
}

// FetchOptions against a loopback server.
inline FetchOptions test_fetch_options(std::string base_url, std::string api_key = {}) {
  FetchOptions options;
  options.base_url = std::move(base_url);
  options.api_key = std::move(api_key);
  options.now = "2026-11-23T12:00:00Z";
  options.gpus = &test_gpus();
  options.data_dir = std::string(GPUCOST_SOURCE_DIR) + "/data"; // the adapters' static tables
  return options;
}

// An HTTP client for loopback tests: one attempt, short timeout.
inline HttpOptions test_http_options() {
  HttpOptions options;
  options.timeout_s = 5;
  options.max_attempts = 1;
  options.backoff_s = 0.01;
  options.max_backoff_s = 0.01;
  return options;
}

// The offers matching `predicate`.
template<typename Predicate>
std::vector<Offer> offers_where(const FetchResult& result, Predicate predicate) {
  std::vector<Offer> found;
  std::copy_if(result.offers.begin(), result.offers.end(), std::back_inserter(found), predicate);
  return found;
}

// Whether some warning contains `text`.
inline bool has_warning(const FetchResult& result, const std::string& text) {
  return std::any_of(result.warnings.begin(), result.warnings.end(), [&](const std::string& w) {
    return w.find(text) != std::string::npos;
  });
}

} // namespace gpucost::test
