#pragma once

#include <gpucost/model/gpu.hpp>
#include <gpucost/model/workload.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpucost {

// One GPU's figure in one benchmark class of data/benchmarks.json: relative throughput, higher is
// faster, meaningful only as a ratio to a figure of the same source_group.
struct BenchmarkFigure {
  std::string gpu;             // GPU name as written in the file (resolved by the caller)
  std::optional<double> value; // relative throughput; empty when the GPU cannot run the class
  std::optional<bool> nvenc;   // encode: whether the GPU has an NVENC engine
  bool split_frame = false;    // encode: one stream can be split over the GPU's engines (Ada+)
  std::string source;          // repository and path, or URL
  std::string as_of;           // date of the figure
  std::string source_group;    // figures are compared only within one group
  // encode: the GPU's max video clock (nvidia-smi -q), and the clock `value` was measured at (the
  // NVENC note's card of this generation); the model scales `value` by their ratio when both exist.
  std::optional<double> video_clock_mhz;
  std::optional<double> reference_video_clock_mhz;
};

// One workload class of data/benchmarks.json (asr, diffusion, llm, training, render, encode).
struct BenchmarkClass {
  std::string metric;       // what the figures measure
  std::string source;       // the class's primary source
  std::string as_of;        // date of the source, may be empty
  std::string latency_note; // e.g. "MLPerf Offline measures batched throughput"
  std::vector<BenchmarkFigure> figures;
};

// The benchmark classes by name; empty when data/benchmarks.json is absent.
class BenchmarkTable {
public:
  BenchmarkTable() = default;
  explicit BenchmarkTable(std::map<std::string, BenchmarkClass> classes)
      : m_classes(std::move(classes)) {}

  // The class `workload_class` names, or nullptr when the table has none.
  const BenchmarkClass* find(WorkloadClass workload_class) const;

  // The classes with a figure for `gpu` (a value, or for encode an NVENC engine), by name.
  std::vector<std::string> classes_covering(const GpuSpec& gpu, const GpuDatabase& gpus) const;

  // Every class, by name.
  const std::map<std::string, BenchmarkClass>& all() const { return m_classes; }

private:
  std::map<std::string, BenchmarkClass> m_classes;
};

} // namespace gpucost
