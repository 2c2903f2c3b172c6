// Hostile JSON: nesting past the depth limit is a clear error (never a stack overflow), in a
// workload, a catalog, a provider answer or a cache file; messages show only a short excerpt.

#include "cli_runner.hpp"
#include "temp_dir.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/data/json_util.hpp>
#include <gpucost/data/workload_file.hpp>
#include <gpucost/sources/providers/adapter_util.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_json_limits {

namespace fs = std::filesystem;
using namespace gpucost;
using gpucost::test::pinned_env;
using gpucost::test::run_cli;
using gpucost::test::TempDir;

namespace {

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string workload_with_gpu(const std::string& gpu_json) {
  return R"({"schema": "gpucost/workload", "schemaVersion": 1, "name": "deep", "ref_gpu": )"
         + gpu_json + R"(, "job_seconds": 10, "jobs_per_month": 100})";
}

// find_excess_json_depth as one byte at a time: what the word-at-a-time scan must agree with.
std::optional<std::size_t> excess_depth_bytewise(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') {
          ++i;
        }
      }
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return i;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

} // namespace

TEST_SUITE("json_limits") {
  TEST_CASE("find_excess_json_depth finds the first bracket past the limit, skipping strings") {
    CHECK_FALSE(find_excess_json_depth(nested(5), 5));
    CHECK(find_excess_json_depth(nested(6), 5) == 5U);
    CHECK_FALSE(find_excess_json_depth(R"(["[[[[[[[[[[", "\"[[[[[["])", 2));
    CHECK_FALSE(find_excess_json_depth("[][][][][][]", 1));
  }

  TEST_CASE("find_excess_json_depth agrees with a byte-at-a-time scan on random texts") {
    // Brackets, quotes and backslashes at every offset of the 8-byte words, strings left open
    // and a backslash as the last byte included.
    constexpr std::string_view k_alphabet = "[]{}\"\\ax";
    std::uint32_t seed = 7;
    for (int round = 0; round < 3000; ++round) {
      seed = seed * 1664525U + 1013904223U;
      std::string text(seed % 70, ' ');
      for (char& c : text) {
        seed = seed * 1664525U + 1013904223U;
        c = k_alphabet[(seed >> 16) % k_alphabet.size()];
      }
      const std::size_t limit = seed % 5;
      CAPTURE(text);
      CAPTURE(limit);
      CHECK(find_excess_json_depth(text, limit) == excess_depth_bytewise(text, limit));
    }
  }

  TEST_CASE("a workload nested 50,000 levels deep is an error naming the limit") {
    const auto parsed = parse_workload(workload_with_gpu(nested(50000)), "deep.json");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("deep.json:1:") == 0);
    CHECK(parsed.error().message.find("nested deeper than 1000 levels") != std::string::npos);
  }

  TEST_CASE("a bad value nested below the limit is shown as a short excerpt") {
    const auto parsed = parse_workload(workload_with_gpu(nested(900)), "deep.json");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.size() < 200);
    CHECK(parsed.error().message.find("...") != std::string::npos);
  }

  TEST_CASE("json_excerpt cuts long strings and wide or deep containers") {
    CHECK(json_excerpt(nlohmann::ordered_json("abc")) == "\"abc\"");
    CHECK(json_excerpt(nlohmann::ordered_json::parse("[1,2]")) == "[1,2]");
    CHECK(json_excerpt(nlohmann::ordered_json(std::string(100000, 'x'))).size() == 40);
    CHECK(json_excerpt(nlohmann::ordered_json::parse(nested(800))).size() <= 40);
    CHECK(json_excerpt(nlohmann::json::parse(R"({"a":{"b":{"c":{"d":{"e":1}}}}})"))
          == R"({"a":{"b":{"c":{"d":{...}}}}})");
  }

  TEST_CASE("a catalog nested too deep fails in both readers' path") {
    const std::string text =
        R"({"schema":"gpucost/catalog","schemaVersion":1,"offers":[{"x":)" + nested(50000) + "}]}";
    const auto offers = parse_catalog(text, "deep.catalog.json", {});
    REQUIRE_FALSE(offers);
    CHECK(offers.error().message.find("nested deeper than") != std::string::npos);
  }

  TEST_CASE("a provider answer nested too deep is a malformed answer") {
    const auto body = parse_json_body("vastai", nested(50000), "http://127.0.0.1/x");
    REQUIRE_FALSE(body);
    CHECK(body.error().message.find("nested deeper than 1000 levels") != std::string::npos);
    CHECK(server_error_message(R"({"message":)" + nested(50000) + "}").empty());
  }

  TEST_CASE("a cache file nested too deep leaves catalog status and compare working") {
    TempDir temp;
    write(temp.path() / "gpucost" / "runpod.json",
          R"({"schema":"gpucost/catalog","schemaVersion":1,"provider":"runpod","offers":[)"
              + nested(50000) + "]}");
    write(temp.path() / "gpucost" / "runpod.status.json",
          R"({"schema":"gpucost/cache-status","provider":"runpod","error":)" + nested(50000) + "}");
    const auto env = pinned_env(temp.path().string());
    const auto status = run_cli({"catalog", "status"}, env);
    CHECK(status.code == 0);
    CHECK(status.out.find("runpod") != std::string::npos);
    const auto offers = run_cli({"offers", "--provider", "runpod"}, env);
    CHECK(offers.code == 0);
    CHECK(offers.err.size() < 2000);
  }

  TEST_CASE("a workload giving a key twice is an error naming both lines") {
    const std::string text = "{\"schema\": \"gpucost/workload\", \"schemaVersion\": 1,\n"
                             "\"name\": \"dup\", \"ref_gpu\": \"RTX 4090\",\n"
                             "\"job_seconds\": -5,\n"
                             "\"jobs_per_month\": 100,\n"
                             "\"job_seconds\": 10}\n";
    const auto parsed = parse_workload(text, "dup.json");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message
          == "dup.json:5: \"job_seconds\" is given twice (first on line 3); give it once");
  }
}

} // namespace gpucost_test_json_limits
