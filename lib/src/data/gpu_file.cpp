#include <gpucost/data/gpu_file.hpp>
#include <gpucost/data/json_util.hpp>

namespace gpucost {

Expected<GpuDatabase> parse_gpu_database(std::string_view json_text, const std::string& origin) {
  GPUCOST_TRY_ASSIGN(const auto document, parse_json_document(json_text, origin));
  JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/gpus", 1));
  GPUCOST_TRY_ASSIGN(const auto list, root.array("gpus"));
  std::vector<GpuSpec> gpus;
  for (const auto& item : list) {
    GpuSpec gpu;
    GPUCOST_TRY(item.string_field("name", gpu.name, Presence::required));
    GPUCOST_TRY(item.string_field("family", gpu.family, Presence::optional));
    GPUCOST_TRY(item.string_field("vendor", gpu.vendor, Presence::optional));
    GPUCOST_TRY(item.string_list_field("aliases", gpu.aliases));
    GPUCOST_TRY(item.number_field("memory_gb", gpu.memory_gb, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY(
        item.number_field("fp16_tflops", gpu.fp16_tflops, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY(
        item.number_field("fp32_tflops", gpu.fp32_tflops, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY(item.number_field(
        "memory_bandwidth_gbs", gpu.memory_bandwidth_gbs, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY(item.int_field("nvenc", gpu.nvenc, 0));
    GPUCOST_TRY(item.string_field("source", gpu.source, Presence::optional));
    gpus.push_back(std::move(gpu));
  }
  return GpuDatabase(std::move(gpus));
}

} // namespace gpucost
