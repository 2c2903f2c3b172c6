#include <gpucost/model/benchmark.hpp>

namespace gpucost {

const BenchmarkClass* BenchmarkTable::find(WorkloadClass workload_class) const {
  const auto it = m_classes.find(std::string(to_string(workload_class)));
  return it == m_classes.end() ? nullptr : &it->second;
}

std::vector<std::string> BenchmarkTable::classes_covering(const GpuSpec& gpu,
                                                          const GpuDatabase& gpus) const {
  std::vector<std::string> names;
  for (const auto& [name, table] : m_classes) {
    for (const auto& figure : table.figures) {
      if (figure.value && gpus.find(figure.gpu) == &gpu) {
        names.push_back(name);
        break;
      }
    }
  }
  return names;
}

} // namespace gpucost
