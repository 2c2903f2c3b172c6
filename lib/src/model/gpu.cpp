#include <gpucost/model/gpu.hpp>
#include <gpucost/util/suggest.hpp>

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

} // namespace gpucost
