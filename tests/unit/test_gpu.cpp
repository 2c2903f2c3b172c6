// GPU names: folding, alias matching against the bundled data/gpus.json, suggestions, parse errors.

#include <gpucost/data/data_set.hpp>
#include <gpucost/data/gpu_file.hpp>

#include <doctest/doctest.h>

#include <string>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_gpu {

namespace {

const gpucost::GpuDatabase& bundled() {
  static const gpucost::GpuDatabase database = [] {
    const std::string path = std::string(GPUCOST_SOURCE_DIR) + "/data/gpus.json";
    return gpucost::parse_gpu_database(*gpucost::read_text_file(path), path).value();
  }();
  return database;
}

std::string canonical(const std::string& name) {
  const gpucost::GpuSpec* gpu = bundled().find(name);
  return gpu == nullptr ? std::string("<none>") : gpu->name;
}

} // namespace

TEST_CASE("fold_gpu_name drops case, punctuation and marketing words") {
  CHECK(gpucost::fold_gpu_name("NVIDIA GeForce RTX_4090") == "rtx4090");
  CHECK(gpucost::fold_gpu_name("Tesla V100-SXM2-16GB") == "v100sxm216gb");
  CHECK(gpucost::fold_gpu_name("  h100   sxm ") == "h100sxm");
  CHECK(gpucost::fold_gpu_name("") == "");
}

TEST_CASE("provider spellings resolve to one canonical GPU") {
  for (const char* name : {"RTX 4090",
                           "GeForce RTX 4090",
                           "NVIDIA GeForce RTX 4090",
                           "4090",
                           "RTX_4090",
                           "rtx-4090",
                           "nvidia rtx 4090"}) {
    CAPTURE(name);
    CHECK(canonical(name) == "RTX 4090");
  }
  CHECK(canonical("NVIDIA H100 80GB HBM3") == "H100 SXM"); // RunPod's id
  CHECK(canonical("H100 SXM5") == "H100 SXM");             // Lambda's description
  CHECK(canonical("nvidia-l4") == "L4");                   // GCP's accelerator type
  CHECK(canonical("Tesla T4") == "T4");
  CHECK(canonical("Tesla V100") == "V100 16GB"); // Vast.ai
  CHECK(canonical("RTX A5000") == "RTX A5000");
  CHECK(canonical("A100-SXM4-80GB") == "A100 SXM 80GB");
  CHECK(canonical("A100 PCIe 40GB") == "A100 PCIe 40GB");
  CHECK(canonical("Instinct MI300X") == "MI300X");
}

TEST_CASE("unknown names do not match, and suggestions point at the near miss") {
  CHECK(bundled().find("RTX 4O90") == nullptr);
  CHECK(bundled().find("H1OO") == nullptr);
  const auto suggestions = bundled().suggest("RTX 4O90");
  REQUIRE(!suggestions.empty());
  CHECK(suggestions.front() == "RTX 4090");
  CHECK(bundled().suggest("completely different").empty());
}

TEST_CASE("every bundled GPU has a memory size and a source") {
  for (const auto& gpu : bundled().all()) {
    CAPTURE(gpu.name);
    CHECK(gpu.memory_gb.has_value());
    CHECK(!gpu.source.empty());
    CHECK(bundled().find(gpu.name) == &gpu);
  }
}

TEST_CASE("a malformed gpus.json names the file, line and field") {
  const std::string text = "{\"schema\": \"gpucost/gpus\", \"schemaVersion\": 1, \"gpus\": [\n"
                           "  {\"name\": \"X1\", \"memory_gb\": -4}\n]}\n";
  const auto parsed = gpucost::parse_gpu_database(text, "g.json");
  REQUIRE(!parsed);
  CHECK(parsed.error().message == "g.json:2: gpus[0].memory_gb: must be > 0 (got -4)");

  const auto wrong = gpucost::parse_gpu_database("{\"schema\": \"gpucost/catalog\"}", "g.json");
  REQUIRE(!wrong);
  CHECK(wrong.error().message
        == "g.json:1: schema: expected \"gpucost/gpus\" (got \"gpucost/catalog\")");
}

} // namespace gpucost_test_gpu
