#include <gpucost/model/gpu.hpp>
#include <gpucost/util/suggest.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace gpucost {

namespace {

// Marketing words providers prepend or drop at will; they never tell two GPUs apart.
constexpr std::array<std::string_view, 3> k_noise_words = {"nvidia", "geforce", "tesla"};

// The lower-case words of `text`: runs of letters and digits.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      word += static_cast<char>(std::tolower(u));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) {
    words.push_back(std::move(word));
  }
  return words;
}

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

std::vector<const GpuSpec*> GpuDatabase::match_family(std::string_view query) const {
  const std::vector<std::string> wanted = words_of(query);
  std::vector<const GpuSpec*> matches;
  if (wanted.empty()) {
    return matches;
  }
  for (const auto& gpu : m_gpus) {
    const std::vector<std::string> have = words_of(gpu.family.empty() ? gpu.name : gpu.family);
    if (std::all_of(wanted.begin(), wanted.end(), [&](const std::string& word) {
          return std::find(have.begin(), have.end(), word) != have.end();
        })) {
      matches.push_back(&gpu);
    }
  }
  return matches;
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
