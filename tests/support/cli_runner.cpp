#include "cli_runner.hpp"

#include "app.hpp"

#include <filesystem>
#include <optional>
#include <sstream>

namespace gpucost::test {

std::map<std::string, std::string> pinned_env(const std::string& cache_dir) {
  return {
      {"GPUCOST_DATA_DIR", std::string(GPUCOST_SOURCE_DIR) + "/data"},
      {"GPUCOST_NOW", "2026-11-23T12:00:00Z"},
      {"COLUMNS", "120"},
      {"NO_COLOR", "1"},
      {"XDG_CACHE_HOME", cache_dir},
      {"HOME", cache_dir},
      {"GPUCOST_OFFLINE", "1"},
  };
}

CliOutcome run_cli(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env,
                   const std::string& working_dir) {
  std::vector<std::string> full = {"gpucost"};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const auto& arg : full) {
    argv.push_back(arg.c_str());
  }
  std::ostringstream out;
  std::ostringstream err;
  cli::Context context{
      .out = out, .err = err, .env = [env](std::string_view name) -> std::optional<std::string> {
        const auto it = env.find(std::string(name));
        if (it == env.end()) {
          return std::nullopt;
        }
        return it->second;
      }};
  const auto previous = std::filesystem::current_path();
  if (!working_dir.empty()) {
    std::filesystem::current_path(working_dir);
  }
  const int code = cli::run(static_cast<int>(argv.size()), argv.data(), context);
  std::filesystem::current_path(previous);
  return {out.str(), err.str(), code};
}

} // namespace gpucost::test
