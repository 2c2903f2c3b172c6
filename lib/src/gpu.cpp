#include "json_util.hpp"

#include <gpucost/gpu.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace gpucost {

namespace {

// Marketing words providers prepend or drop at will; they never tell two GPUs apart.
constexpr std::array<std::string_view, 3> k_noise_words = {"nvidia", "geforce", "tesla"};

} // namespace

std::string fold_gpu_name(std::string_view name) {
  std::string folded;
  std::string word;
  auto flush = [&] {
    if (!word.empty()
        && std::find(k_noise_words.begin(), k_noise_words.end(), word) == k_noise_words.end()) {
      folded += word;
    }
    word.clear();
  };
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      word += static_cast<char>(std::tolower(u));
    } else {
      flush();
    }
  }
  flush();
  return folded;
}

GpuDatabase::GpuDatabase(std::vector<GpuSpec> gpus) : m_gpus(std::move(gpus)) {
  for (std::size_t i = 0; i < m_gpus.size(); ++i) {
    m_index.emplace(fold_gpu_name(m_gpus[i].name), i);
    for (const auto& alias : m_gpus[i].aliases) {
      m_index.emplace(fold_gpu_name(alias), i);
    }
  }
}

const GpuSpec* GpuDatabase::find(std::string_view name) const {
  const auto it = m_index.find(fold_gpu_name(name));
  return it == m_index.end() ? nullptr : &m_gpus[it->second];
}

std::vector<std::string> GpuDatabase::suggest(std::string_view name) const {
  const std::string folded = fold_gpu_name(name);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& [key, index] : m_index) {
    const std::size_t distance = edit_distance(folded, key);
    if (distance <= std::max<std::size_t>(2, folded.size() / 3)) {
      scored.emplace_back(distance, m_gpus[index].name);
    }
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> names;
  for (const auto& [distance, gpu] : scored) {
    if (std::find(names.begin(), names.end(), gpu) == names.end() && names.size() < 3) {
      names.push_back(gpu);
    }
  }
  return names;
}

Expected<GpuDatabase> GpuDatabase::parse(std::string_view json_text, const std::string& origin) {
  auto document = parse_json_document(json_text, origin);
  if (!document) {
    return Unexpected{document.error()};
  }
  JsonReader root(*document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/gpus", 1));
  auto list = root.array("gpus");
  if (!list) {
    return Unexpected{list.error()};
  }
  std::vector<GpuSpec> gpus;
  for (const auto& item : *list) {
    GpuSpec gpu;
    GPUCOST_TRY(item.string_field("name", gpu.name, true));
    GPUCOST_TRY(item.string_field("vendor", gpu.vendor, false));
    GPUCOST_TRY(item.string_list_field("aliases", gpu.aliases));
    GPUCOST_TRY(item.number_field("memory_gb", gpu.memory_gb, 0, true));
    GPUCOST_TRY(item.number_field("fp16_tflops", gpu.fp16_tflops, 0, true));
    GPUCOST_TRY(item.number_field("fp32_tflops", gpu.fp32_tflops, 0, true));
    GPUCOST_TRY(item.number_field("memory_bandwidth_gbs", gpu.memory_bandwidth_gbs, 0, true));
    GPUCOST_TRY(item.int_field("nvenc", gpu.nvenc, 0));
    GPUCOST_TRY(item.string_field("source", gpu.source, false));
    gpus.push_back(std::move(gpu));
  }
  return GpuDatabase(std::move(gpus));
}

} // namespace gpucost
