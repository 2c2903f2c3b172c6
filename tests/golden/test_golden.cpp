// Golden CLI tests: each tests/golden/cases/NAME.args runs through cli::run in-process and its
// stdout, stderr and exit code are compared with NAME.out, NAME.err and NAME.code.
//
// NAME.args holds one argument per line (no shell quoting); NAME.env, when present, holds
// KEY=VALUE lines added to the pinned environment. GPUCOST_UPDATE_GOLDEN=1 rewrites the expected
// files instead of comparing; review the diff.

#include "cli_runner.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_golden {

namespace fs = std::filesystem;

namespace {

const fs::path k_cases = fs::path(GPUCOST_SOURCE_DIR) / "tests" / "golden" / "cases";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(line);
  }
  return lines;
}

// Replaces the machine-specific source path so expected files are the same on every clone.
std::string portable(std::string text) {
  const std::string source = GPUCOST_SOURCE_DIR;
  for (std::size_t at = text.find(source); at != std::string::npos; at = text.find(source, at)) {
    text.replace(at, source.size(), "$SRC");
  }
  return text;
}

gpucost::test::CliOutcome run_case(const fs::path& args_file, const fs::path& cache_dir) {
  auto env = gpucost::test::pinned_env(cache_dir.string());
  fs::path env_file = args_file;
  env_file.replace_extension(".env");
  if (fs::exists(env_file)) {
    for (const auto& line : lines_of(read_file(env_file))) {
      if (const auto eq = line.find('='); eq != std::string::npos) {
        env[line.substr(0, eq)] = line.substr(eq + 1);
      }
    }
  }
  std::vector<std::string> args;
  for (const auto& line : lines_of(read_file(args_file))) {
    if (!line.empty()) {
      args.push_back(line);
    }
  }
  auto outcome = gpucost::test::run_cli(args, env, k_cases.string());
  outcome.out = portable(outcome.out);
  outcome.err = portable(outcome.err);
  return outcome;
}

} // namespace

TEST_CASE("golden CLI cases") {
  const bool update = std::getenv("GPUCOST_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(k_cases)) {
    if (entry.path().extension() == ".args") {
      cases.push_back(entry.path());
    }
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(!cases.empty());
  for (const auto& args_file : cases) {
    const gpucost::test::TempDir cache_dir; // each case, and each test run, has its own cache
    const auto outcome = run_case(args_file, cache_dir.path());
    auto expected = [&](const char* extension) {
      fs::path path = args_file;
      path.replace_extension(extension);
      return path;
    };
    if (update) {
      write_file(expected(".out"), outcome.out);
      if (outcome.err.empty()) {
        fs::remove(expected(".err"));
      } else {
        write_file(expected(".err"), outcome.err);
      }
      if (outcome.code == 0) {
        fs::remove(expected(".code"));
      } else {
        write_file(expected(".code"), std::to_string(outcome.code) + "\n");
      }
      continue;
    }
    CAPTURE(args_file.filename().string());
    CHECK(outcome.out == read_file(expected(".out")));
    const std::string err = fs::exists(expected(".err")) ? read_file(expected(".err")) : "";
    CHECK(outcome.err == err);
    const std::string code = fs::exists(expected(".code")) ? read_file(expected(".code")) : "0\n";
    CHECK(std::to_string(outcome.code) + "\n" == code);
  }
}

} // namespace gpucost_test_golden
