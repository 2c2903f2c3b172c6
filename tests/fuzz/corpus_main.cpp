// Runs one registered fuzz target over every file of a corpus directory (no libFuzzer needed), so
// CI exercises each target and its past crashes with the normal compiler: `fuzz_corpus NAME DIR`.

#include "fuzz_target.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace gpucost::fuzz {

namespace {

std::map<std::string, TargetFunction>& targets() {
  static std::map<std::string, TargetFunction> registry;
  return registry;
}

} // namespace

bool register_target(const char* name, TargetFunction function) {
  targets()[name] = function;
  return true;
}

} // namespace gpucost::fuzz

int main(int argc, char** argv) {
  auto& targets = gpucost::fuzz::targets();
  if (argc != 3 || targets.count(argv[1]) == 0) {
    std::cerr << "usage: fuzz_corpus TARGET CORPUS_DIR; targets:";
    for (const auto& [name, function] : targets) {
      std::cerr << ' ' << name;
    }
    std::cerr << '\n';
    return 2;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[2])) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::cerr << "fuzz_corpus: no input in " << argv[2] << '\n';
    return 1;
  }
  const auto run = targets.at(argv[1]);
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    run(input);
    // Every prefix too: a cut answer is the commonest hostile input.
    for (std::size_t cut = 1; cut < input.size() && cut <= 4096; cut += 1 + cut / 8) {
      run(std::string_view(input).substr(0, cut));
    }
  }
  std::cout << "fuzz_corpus " << argv[1] << ": " << files.size() << " inputs (and prefixes) ok\n";
  return 0;
}
