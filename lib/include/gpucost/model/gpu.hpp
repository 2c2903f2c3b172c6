#pragma once

#include <gpucost/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gpucost {

// One GPU model from data/gpus.json; figures are the maker's spec-sheet values, unknown when empty.
struct GpuSpec {
  std::string name;                           // canonical name, e.g. "RTX 4090"
  std::string family;                         // model family, e.g. "H100" for SXM, PCIe, NVL
  std::string vendor;                         // "nvidia", "amd", ...
  std::vector<std::string> aliases;           // other spellings providers use
  std::optional<double> memory_gb;            // per GPU, as marketed
  std::optional<double> fp16_tflops;          // dense FP16 tensor TFLOPS (no sparsity)
  std::optional<double> fp32_tflops;          // FP32 TFLOPS
  std::optional<double> memory_bandwidth_gbs; // GB/s
  std::optional<int> nvenc;                   // NVENC engines; 0 means none
  std::string source;                         // spec sheet URL
};

// Folds a GPU name for matching: lower case, letters and digits only, "nvidia"/"geforce"/"tesla"
// prefixes dropped ("NVIDIA GeForce RTX_4090" -> "rtx4090").
std::string fold_gpu_name(std::string_view name);

// The GPU table, looked up by canonical name or alias, case- and punctuation-insensitive.
class GpuDatabase {
public:
  GpuDatabase() = default;
  explicit GpuDatabase(std::vector<GpuSpec> gpus);

  // The GPU a provider's name refers to, or nullptr when nothing matches.
  const GpuSpec* find(std::string_view name) const;

  // The GPUs whose family (their name when it has none) holds every word of `query` as a whole
  // word, case-insensitive ("H100" matches H100 SXM, PCIe and NVL; "A10" is not "A100"), in
  // file order; empty when none.
  std::vector<const GpuSpec*> match_family(std::string_view query) const;

  // Up to three canonical names closest to `name`, for "did you mean" hints.
  std::vector<std::string> suggest(std::string_view name) const;

  // Every GPU, in file order.
  const std::vector<GpuSpec>& all() const { return m_gpus; }

private:
  std::vector<GpuSpec> m_gpus;
  std::unordered_map<std::string, std::size_t> m_index; // folded name -> position
};

} // namespace gpucost
