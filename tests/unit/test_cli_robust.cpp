// The CLI as scripts and terminals meet it: exit codes and streams of `catalog update`, outside
// text shown escaped, whole-number flags read as decimal.

#include "cli_runner.hpp"
#include "temp_dir.hpp"

#include <gpucost/util/text_safety.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_cli_robust {

namespace fs = std::filesystem;
using namespace gpucost;
using gpucost::test::pinned_env;
using gpucost::test::run_cli;
using gpucost::test::TempDir;

namespace {

const std::string k_workload = std::string(GPUCOST_SOURCE_DIR) + "/data/examples/video-render.json";

std::size_t count_lines(const std::string& text, const std::string& prefix) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = std::min(text.find('\n', at), text.size());
    if (text.compare(at, prefix.size(), prefix) == 0) {
      ++count;
    }
    at = end + 1;
  }
  return count;
}

} // namespace

TEST_SUITE("cli_robust") {
  TEST_CASE("terminal_safe escapes control characters and keeps printable UTF-8") {
    CHECK(terminal_safe("plain RTX 4090 \xE2\x82\xAC") == "plain RTX 4090 \xE2\x82\xAC");
    CHECK(terminal_safe("a\x1b]0;title\x07") == "a\\e]0;title\\x07");
    CHECK(terminal_safe("x\r\ny\t") == "x\\r\\ny\\t");
    CHECK(terminal_safe("x\ny", Newlines::keep) == "x\ny");
    CHECK(terminal_safe("c1 \xC2\x9B") == "c1 \\u{9b}");
    CHECK(terminal_safe("del \x7F") == "del \\x7f");
    CHECK(terminal_safe("cut \xE2\x82") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(is_terminal_safe("ok"));
    CHECK_FALSE(is_terminal_safe("\x1b[2J"));
  }

  TEST_CASE("valid_utf8 replaces bad sequences and keeps valid ones") {
    CHECK(valid_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(valid_utf8("\xFF") == "\xEF\xBF\xBD");
    CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                 // overlong
    CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
    CHECK(valid_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
  }

  TEST_CASE("catalog update exits 1 when a requested provider is only skipped, on stderr") {
    TempDir temp;
    auto env = pinned_env(temp.path().string());
    env.erase("GPUCOST_OFFLINE");
    const auto outcome = run_cli({"catalog", "update", "--provider", "lambda"}, env);
    CHECK(outcome.code == 1);
    CHECK(outcome.out.find("skipped") == std::string::npos);
    CHECK(outcome.err.find("lambda   skipped") != std::string::npos);
    CHECK(count_lines(outcome.err, "gpucost: error: catalog update: 0 of 1 providers updated")
          == 1);
  }

  TEST_CASE("catalog update exits 1 when one of several providers fails") {
    TempDir temp;
    auto env = pinned_env(temp.path().string());
    env.erase("GPUCOST_OFFLINE");
    env["GPUCOST_VASTAI_URL"] = "http://127.0.0.1:9"; // nothing listens on the discard port
    const auto outcome = run_cli(
        {"catalog", "update", "--provider", "vastai", "--provider", "lambda", "--timeout", "5"},
        env);
    CHECK(outcome.code == 1);
    CHECK(outcome.err.find("vastai   failed") != std::string::npos);
    CHECK(outcome.err.find("0 of 2 providers updated; failed: vastai; skipped: lambda")
          != std::string::npos);
  }

  TEST_CASE("catalog status shows a hostile stored error escaped, on one line") {
    TempDir temp;
    fs::create_directories(temp.path() / "gpucost");
    std::ofstream(temp.path() / "gpucost" / "vastai.status.json")
        << R"({"schema":"gpucost/cache-status","schemaVersion":1,"provider":"vastai",)"
        << R"("attempted_at":"2026-11-23T11:00:00Z","ok":false,"skipped":false,)"
        << R"("error":"vastai: \u001b]0;pwned\u0007\u001b[2J\nvastai   ok  999 offers"})";
    const auto outcome = run_cli({"catalog", "status"}, pinned_env(temp.path().string()));
    CHECK(outcome.code == 0);
    CHECK(outcome.out.find('\x1b') == std::string::npos);
    CHECK(outcome.out.find('\x07') == std::string::npos);
    CHECK(outcome.out.find("\\e]0;pwned\\x07\\e[2J\\nvastai") != std::string::npos);
    CHECK(count_lines(outcome.out, "vastai") == 1);
  }

  TEST_CASE("a catalog's control characters reach the table escaped") {
    TempDir temp;
    const auto catalog = temp.path() / "evil.json";
    std::ofstream(catalog)
        << R"({"schema":"gpucost/catalog","schemaVersion":1,"offers":[)"
        << R"({"provider":"vastai","product":"pod","name":"evil\u001b[2J",)"
        << R"("gpu":"RTX 4090","gpu_count":1,"region":"US\r\nforged",)"
        << R"("price_per_hour":0.5,"source":"x","fetched_at":"2026-11-20T00:00:00Z"}]})";
    const auto outcome =
        run_cli({"offers", "--catalog", catalog.string()}, pinned_env(temp.path().string()));
    CHECK(outcome.code == 0);
    CHECK(outcome.out.find('\x1b') == std::string::npos);
    CHECK(outcome.out.find('\r') == std::string::npos);
  }

  TEST_CASE("compare matches offers on their escaped text, and counts those it leaves out") {
    // compare keeps only the offers its filters match as the catalog is read (load_inputs): they
    // must match the text as it is shown, and the source still counts every offer.
    TempDir temp;
    const auto catalog = temp.path() / "evil.json";
    const auto offer = [](const char* name, const char* gpu, const char* region, double price) {
      return fmt::format(R"({{"provider":"vastai","product":"pod","name":"{}","gpu":"{}",)"
                         R"("gpu_count":1,"region":"{}","price_per_hour":{},"source":"x",)"
                         R"("fetched_at":"2026-11-20T00:00:00Z"}})",
                         name,
                         gpu,
                         region,
                         price);
    };
    std::ofstream(catalog) << R"({"schema":"gpucost/catalog","schemaVersion":1,"offers":[)"
                           << offer("evil\\u001b[2J", "RTX 4090", "US\\r\\nforged", 0.5) << ","
                           << offer("cheap", "L4", "US\\r\\nforged", 0.1) << ","
                           << offer("del \x7f", "RTX 4090", "US\\r\\nother", 0.6) << ","
                           << offer("plain", "RTX 4090", "US", 0.2) << ","
                           << offer("alias", "GeForce RTX 4090", "US\\r\\nalias", 0.7);
    for (int i = 0; i < 20; ++i) { // more names than the GPU lookups' first table holds
      std::ofstream(catalog, std::ios::app)
          << "," << offer("other", fmt::format("X{}", i).c_str(), "US\\r", 0.05);
    }
    std::ofstream(catalog, std::ios::app) << "]}";
    const auto outcome = run_cli({"compare",
                                  "--catalog",
                                  catalog.string(),
                                  "--ref-gpu",
                                  "RTX 4090",
                                  "--job-seconds",
                                  "60",
                                  "--gpu",
                                  "RTX 4090",
                                  "--mode",
                                  "per-job",
                                  "--region",
                                  "US\\r",
                                  "--format",
                                  "json"},
                                 pinned_env(temp.path().string()));
    REQUIRE(outcome.code == 0);
    CHECK(outcome.out.find('\x1b') == std::string::npos);
    const auto json = nlohmann::json::parse(outcome.out);
    REQUIRE(json["options"].size() == 3);
    CHECK(json["options"][0]["name"] == "evil\\e[2J");
    CHECK(json["options"][0]["region"] == "US\\r\\nforged");
    CHECK(json["options"][1]["name"] == "del \\x7f");
    CHECK(json["options"][2]["name"] == "alias");
    CHECK(json["options"][2]["gpu"] == "RTX 4090");
    CHECK(json["catalog"]["sources"][0]["offers"] == 25);
  }

  TEST_CASE("whole-number flags are decimal: 010 is 10, 0x10 is refused") {
    TempDir temp;
    const auto env = pinned_env(temp.path().string());
    const auto ten = run_cli({"offers", "--top", "010", "--format", "csv"}, env);
    CHECK(ten.code == 0);
    CHECK(count_lines(ten.out, "") == 11); // the header and 10 rows
    const auto hex = run_cli({"offers", "--top", "0x10"}, env);
    CHECK(hex.code == 1);
    CHECK(hex.err.find("decimal whole number") != std::string::npos);
    const auto huge =
        run_cli({"compare", "--workload", k_workload, "--gpus-per-job", "99999999999"}, env);
    CHECK(huge.code == 1);
    CHECK(huge.err.find("at most 1000000000") != std::string::npos);
  }
}

} // namespace gpucost_test_cli_robust
