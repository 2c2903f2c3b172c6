// Every CSV gpucost writes, through the real CLI in every --csv-dialect: gpus, providers, compare,
// offers, check, matrix, breakeven, sweep, simulate (--format csv and --timeline FILE.csv). Each
// export is read back by the tests' own strict reader (support/csv_reader, not the writer) and
// compared cell by cell with the JSON of the same run: numbers parse back to the same double (with
// decimal commas in excel-eu), unknown values are empty cells, text cells are the JSON text with an
// apostrophe before a formula start, the BOM is there for the Excel dialects only, and the column
// names are the documented ones with their units.

#include "cli_runner.hpp"
#include "csv_reader.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_cli_csv {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json; // keeps the documents' key order
using gpucost::test::CliOutcome;
using gpucost::test::CsvDocument;

struct Dialect {
  std::string name;
  char separator = ',';
  char decimal = '.';
  bool bom = false;
};

const std::vector<Dialect> k_dialects = {
    {"rfc4180", ',', '.', false}, {"excel", ',', '.', true}, {"excel-eu", ';', ',', true}};

const std::string k_source = GPUCOST_SOURCE_DIR;
const std::string k_fixtures = std::string(GPUCOST_TEST_FIXTURES);

// What a text cell must read back as: the text, with an apostrophe in front of a leading
// = + - @ TAB or CR (written out here rather than shared with the writer).
std::string guarded(const std::string& text) {
  if (!text.empty() && std::string("=+-@\t\r").find(text.front()) != std::string::npos) {
    return "'" + text;
  }
  return text;
}

std::string read_file(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE_MESSAGE(file.good(), "cannot read ", path.string());
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  REQUIRE(file.good());
}

// The cells one record must carry: column name -> the JSON value of the same run.
using Expected = std::vector<std::pair<std::string, Json>>;

// How much of a document was compared, so that a test cannot pass on empty exports.
struct Tally {
  std::size_t numbers = 0;  // number cells compared with a JSON number
  std::size_t empty = 0;    // empty cells for JSON nulls
  std::size_t guarded = 0;  // text cells that needed the apostrophe
  std::size_t negative = 0; // negative number cells, written without one
};

void check_cell(const std::string& cell, const Json& value, const Dialect& dialect, Tally& tally) {
  if (value.is_null()) {
    CHECK(cell.empty());
    ++tally.empty;
  } else if (value.is_boolean()) {
    CHECK(cell == (value.get<bool>() ? "true" : "false"));
  } else if (value.is_number()) {
    const auto number = gpucost::test::csv_number(cell, dialect.decimal);
    REQUIRE_MESSAGE(number.has_value(), "not a bare number in ", dialect.name, ": ", cell);
    CHECK(*number == value.get<double>());
    ++tally.numbers;
    if (*number < 0) {
      ++tally.negative;
    }
  } else if (value.is_array()) {
    std::string joined;
    for (const auto& part : value) {
      joined += (joined.empty() ? "" : "; ") + part.get<std::string>();
    }
    CHECK(cell == guarded(joined));
  } else {
    const std::string text = value.get<std::string>();
    CHECK(cell == guarded(text));
    if (guarded(text) != text) {
      ++tally.guarded;
    }
  }
}

// Reads `text` as a document in `dialect` and checks its BOM, its header and every expected cell.
Tally check_document(const std::string& text,
                     const Dialect& dialect,
                     const std::vector<std::string>& header,
                     const std::vector<Expected>& rows) {
  INFO("dialect ", dialect.name);
  CHECK(text.rfind("\xEF\xBB\xBF", 0) == (dialect.bom ? 0 : std::string::npos));
  // The reader refuses a bare LF or CR outside quotes and a last record without CRLF.
  const CsvDocument document = gpucost::test::read_csv_document(text, dialect.separator);
  CHECK(document.bom == dialect.bom);
  CHECK(document.header == header);
  REQUIRE(document.rows.size() == rows.size());
  Tally tally;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (const auto& [column, value] : rows[r]) {
      // Not the bindings themselves: clang 14 cannot capture one in doctest's lambda.
      const auto& column_name = column;
      const std::string json_text = value.dump();
      INFO("row ", r + 1, " column ", column_name, " JSON ", json_text);
      check_cell(document.cell(r, column), value, dialect, tally);
    }
  }
  return tally;
}

// A hermetic environment and a scratch directory for one test case.
class Cli {
public:
  Cli() : m_env(gpucost::test::pinned_env((m_dir.path() / "cache").string())) {}

  const fs::path& dir() const { return m_dir.path(); }

  // Points GPUCOST_DATA_DIR at a copy of the source tree's data, for a test that edits it.
  fs::path own_data() {
    const fs::path data = m_dir.path() / "data";
    fs::copy(k_source + "/data", data, fs::copy_options::recursive);
    m_env["GPUCOST_DATA_DIR"] = data.string();
    return data;
  }

  // Runs gpucost with `args`; the exit code must be `code`.
  CliOutcome run(const std::vector<std::string>& args, int code = 0) const {
    const CliOutcome outcome = gpucost::test::run_cli(args, m_env, m_dir.path().string());
    INFO("gpucost ", join(args), "\n", outcome.err);
    REQUIRE(outcome.code == code);
    return outcome;
  }

  // The JSON document of `args --format json`.
  Json json(std::vector<std::string> args, int code = 0) const {
    args.insert(args.end(), {"--format", "json"});
    return Json::parse(run(args, code).out);
  }

  // `args --format csv --csv-dialect NAME`, checked against `rows` in each dialect.
  Tally check_csv(std::vector<std::string> args,
                  const std::vector<std::string>& header,
                  const std::vector<Expected>& rows,
                  int code = 0) const {
    Tally total;
    for (const Dialect& dialect : k_dialects) {
      auto with = args;
      with.insert(with.end(), {"--format", "csv", "--csv-dialect", dialect.name});
      const Tally tally = check_document(run(with, code).out, dialect, header, rows);
      total.numbers += tally.numbers;
      total.empty += tally.empty;
      total.guarded += tally.guarded;
      total.negative += tally.negative;
    }
    return total;
  }

private:
  static std::string join(const std::vector<std::string>& args) {
    std::string text;
    for (const auto& arg : args) {
      text += arg + " ";
    }
    return text;
  }

  gpucost::test::TempDir m_dir;
  std::map<std::string, std::string> m_env;
};

// tests/fixtures/check/catalog.json with one offer whose provider, name and region start like
// formulas (the catalog reader takes any provider id), written to `dir`.
std::string evil_catalog(const fs::path& dir) {
  Json catalog = Json::parse(read_file(k_fixtures + "/check/catalog.json"));
  for (auto& offer : catalog["offers"]) {
    if (offer["provider"] == "vastai") {
      offer["provider"] = "=evil";
      offer["name"] = "@offer";
      offer["region"] = "-EU";
    }
  }
  const fs::path path = dir / "evil.catalog.json";
  write_file(path, catalog.dump(2));
  return path.string();
}

const std::string k_workload = k_fixtures + "/check/workload.json";

} // namespace

TEST_SUITE("csv exports") {
  TEST_CASE("gpus") {
    Cli cli;
    const fs::path data = cli.own_data();
    Json gpus = Json::parse(read_file(data / "gpus.json"));
    gpus["gpus"][0]["family"] = "=HYPERLINK(\"http://x\", \"a, b\")";
    gpus["gpus"][1]["vendor"] = "+nvidia";
    write_file(data / "gpus.json", gpus.dump(2));

    std::vector<Expected> rows;
    const Json doc = cli.json({"gpus"});
    for (const auto& gpu : doc["gpus"]) {
      rows.push_back({{"name", gpu["name"]},
                      {"family", gpu["family"]},
                      {"vendor", gpu["vendor"]},
                      {"memory_gb", gpu["memory_gb"]},
                      {"fp16_tflops", gpu["fp16_tflops"]},
                      {"memory_bandwidth_gbs", gpu["memory_bandwidth_gbs"]},
                      {"nvenc", gpu["nvenc"]},
                      {"benchmark_classes", gpu["benchmark_classes"]}});
    }
    const Tally tally = cli.check_csv({"gpus"},
                                      {"name",
                                       "family",
                                       "vendor",
                                       "memory_gb",
                                       "fp16_tflops",
                                       "memory_bandwidth_gbs",
                                       "nvenc",
                                       "benchmark_classes"},
                                      rows);
    CHECK(tally.numbers > 3 * 3 * 10);
    CHECK(tally.empty > 0);
    CHECK(tally.guarded == 3 * 2);
  }

  TEST_CASE("providers") {
    Cli cli;
    const fs::path data = cli.own_data();
    Json providers = Json::parse(read_file(data / "providers.json"));
    providers["providers"]["vastai"]["display_name"] = "@Vast";
    providers["providers"]["vastai"]["products"]["pod"]["source"] = "-see the docs";
    write_file(data / "providers.json", providers.dump(2));

    std::vector<Expected> rows;
    const Json doc = cli.json({"providers"});
    for (const auto& provider : doc["providers"]) {
      for (const auto& product : provider["products"]) {
        const Json& range = product["idle_timeout_range_s"];
        rows.push_back({{"provider", provider["id"]},
                        {"display_name", provider["display_name"]},
                        {"product", product["product"]},
                        {"billing_granularity_s", product["billing_granularity_s"]},
                        {"billing_minimum_s", product["billing_minimum_s"]},
                        {"cold_start_s", product["cold_start_s"]},
                        {"cold_start_default", product["cold_start_default"]},
                        {"cold_start_billed", product["cold_start_billed"]},
                        {"idle_billed", product["idle_billed"]},
                        {"idle_timeout_s", product["idle_timeout_s"]},
                        {"idle_timeout_min_s", range.is_null() ? Json(nullptr) : range[0]},
                        {"idle_timeout_max_s", range.is_null() ? Json(nullptr) : range[1]},
                        {"always_on", product["always_on"]},
                        {"source", product["source"]},
                        {"as_of", product["as_of"]}});
      }
    }
    const Tally tally = cli.check_csv({"providers"},
                                      {"provider",
                                       "display_name",
                                       "product",
                                       "billing_granularity_s",
                                       "billing_minimum_s",
                                       "cold_start_s",
                                       "cold_start_default",
                                       "cold_start_billed",
                                       "idle_billed",
                                       "idle_timeout_s",
                                       "idle_timeout_min_s",
                                       "idle_timeout_max_s",
                                       "always_on",
                                       "source",
                                       "as_of"},
                                      rows);
    CHECK(tally.numbers > 3 * 20);
    CHECK(tally.empty > 0);
    CHECK(tally.guarded >= 3 * 2);
  }

  TEST_CASE("compare") {
    Cli cli;
    const std::vector<std::string> args = {
        "compare", "--catalog", evil_catalog(cli.dir()), "--workload", k_workload};
    std::vector<Expected> rows;
    const Json doc = cli.json(args);
    for (const auto& option : doc["options"]) {
      rows.push_back({{"rank", option["rank"]},
                      {"provider", option["provider"]},
                      {"product", option["product"]},
                      {"mode", option["mode"]},
                      {"pricing", option["pricing"]},
                      {"name", option["name"]},
                      {"gpu", option["gpu"]},
                      {"gpu_count", option["gpu_count"]},
                      {"region", option["region"]},
                      {"price_per_hour_usd", option["price_per_hour"]},
                      {"job_seconds", option["job_seconds"]},
                      {"billed_seconds_per_job", option["billed_seconds_per_job"]},
                      {"cost_per_job_usd", option["cost_per_job"]},
                      {"execution_usd", option["split"]["execution"]},
                      {"cold_start_usd", option["split"]["cold_start"]},
                      {"idle_usd", option["split"]["idle"]},
                      {"monthly_cost_usd", option["monthly_cost"]},
                      {"capacity_jobs_per_month", option["capacity_jobs_per_month"]},
                      {"p_cold", option["p_cold"]},
                      {"utilization", option["utilization"]},
                      {"margin", option["margin"]},
                      {"source", option["source"]},
                      {"fetched_at", option["fetched_at"]}});
    }
    const Tally tally = cli.check_csv(args,
                                      {"rank",
                                       "provider",
                                       "product",
                                       "mode",
                                       "pricing",
                                       "name",
                                       "gpu",
                                       "gpu_count",
                                       "gpu_memory_gb",
                                       "vcpus",
                                       "ram_gb",
                                       "region",
                                       "price_per_hour_usd",
                                       "job_seconds",
                                       "job_seconds_basis",
                                       "job_seconds_source",
                                       "billed_seconds_per_job",
                                       "cost_per_job_usd",
                                       "execution_usd",
                                       "cold_start_usd",
                                       "idle_usd",
                                       "rounding_usd",
                                       "rerun_usd",
                                       "egress_usd",
                                       "monthly_cost_usd",
                                       "capacity_jobs_per_month",
                                       "p_cold",
                                       "utilization",
                                       "margin",
                                       "defaulted",
                                       "notes",
                                       "source",
                                       "fetched_at",
                                       "unit",
                                       "price_per_unit_usd",
                                       "units_per_job"},
                                      rows);
    CHECK(tally.numbers > 3 * 5 * 10);
    CHECK(tally.empty > 0);
    CHECK(tally.guarded >= 3 * 3);
  }

  TEST_CASE("offers") {
    Cli cli;
    const std::vector<std::string> args = {"offers", "--catalog", evil_catalog(cli.dir())};
    std::vector<Expected> rows;
    const Json doc = cli.json(args);
    for (const auto& offer : doc["offers"]) {
      rows.push_back({{"provider", offer["provider"]},
                      {"product", offer["product"]},
                      {"name", offer["name"]},
                      {"gpu", offer["gpu"]},
                      {"gpu_count", offer["gpu_count"]},
                      {"gpu_memory_gb", offer["gpu_memory_gb"]},
                      {"vcpus", offer["vcpus"]},
                      {"ram_gb", offer["ram_gb"]},
                      {"region", offer["region"]},
                      {"price_per_hour_usd", offer["price_per_hour"]},
                      {"spot_price_per_hour_usd", offer["spot_price_per_hour"]},
                      {"monthly_price_usd", offer["monthly_price"]},
                      {"always_on_price_per_hour_usd", offer["always_on_price_per_hour"]},
                      {"reliability", offer["reliability"]},
                      {"price_age_s", offer["price_age_s"]},
                      {"source", offer["source"]},
                      {"fetched_at", offer["fetched_at"]}});
    }
    const Tally tally = cli.check_csv(args,
                                      {"provider",
                                       "product",
                                       "name",
                                       "gpu",
                                       "gpu_count",
                                       "gpu_memory_gb",
                                       "vcpus",
                                       "ram_gb",
                                       "region",
                                       "price_per_hour_usd",
                                       "spot_price_per_hour_usd",
                                       "monthly_price_usd",
                                       "always_on_price_per_hour_usd",
                                       "reliability",
                                       "price_age_s",
                                       "source",
                                       "fetched_at",
                                       "unit",
                                       "price_per_unit_usd"},
                                      rows);
    CHECK(tally.numbers > 3 * 3 * 4);
    CHECK(tally.empty > 0);
    CHECK(tally.guarded == 3 * 3);
  }

  TEST_CASE("check") {
    Cli cli;
    Json workload = Json::parse(read_file(k_workload));
    workload["name"] = "@render";
    const fs::path workload_file = cli.dir() / "workload.json";
    write_file(workload_file, workload.dump(2));
    const fs::path baseline = cli.dir() / "baseline.json";
    write_file(baseline,
               cli.run({"compare",
                        "--catalog",
                        k_fixtures + "/check/catalog.json",
                        "--workload",
                        workload_file.string(),
                        "--format",
                        "json"})
                   .out);
    // Prices up 20%: both rules fail (exit 2), every figure known and the parts attributed.
    const std::vector<std::string> args = {"check",
                                           "--baseline",
                                           baseline.string(),
                                           "--catalog",
                                           k_fixtures + "/check/catalog-up20.json",
                                           "--fail-on",
                                           "cost_per_job:+10%",
                                           "--fail-on",
                                           "monthly_cost:+1%",
                                           "--reprice-baseline"};
    std::vector<Expected> rows;
    const Json doc = cli.json(args, 2);
    for (const auto& check : doc["checks"]) {
      rows.push_back({{"workload", check["workload"]},
                      {"option", check["option"]},
                      {"metric", check["metric"]},
                      {"rule", check["rule"]},
                      {"baseline_usd", check["baseline"]},
                      {"current_usd", check["current"]},
                      {"delta_usd", check["delta"]},
                      {"delta_pct", check["delta_pct"]},
                      {"verdict", check["verdict"]},
                      {"config_driven_usd", check["config_driven"]},
                      {"price_driven_usd", check["price_driven"]},
                      {"price_age_s", check["price_age_s"]}});
    }
    REQUIRE(rows.size() == 2);
    const Tally tally = cli.check_csv(args,
                                      {"workload",
                                       "option",
                                       "metric",
                                       "rule",
                                       "baseline_usd",
                                       "current_usd",
                                       "delta_usd",
                                       "delta_pct",
                                       "verdict",
                                       "config_driven_usd",
                                       "price_driven_usd",
                                       "price_age_s"},
                                      rows,
                                      2);
    CHECK(tally.numbers == 3 * 2 * 7);
    CHECK(tally.guarded == 3 * 2);
  }

  TEST_CASE("matrix") {
    Cli cli;
    write_file(cli.dir() / "scores.csv",
               "option,speed,price\n=SUM(A1),3,7\n-minus,9.5,2\nplain,5,5.5\n");
    const std::vector<std::string> args = {"matrix",
                                           "--scores",
                                           "scores.csv",
                                           "--weights",
                                           "speed=2,price=1",
                                           "--weight-samples",
                                           "200"};
    const Json doc = cli.json(args);
    std::vector<Expected> rows;
    for (const auto& option : doc["options"]) {
      rows.push_back({{"option", option["option"]},
                      {"rank", option["rank"]},
                      {"total", option["total"]},
                      {"distance_to_first", option["distance_to_first"]},
                      {"chance_first", option["chance_first"]},
                      {"score:speed", option["scores"]["speed"]},
                      {"score:price", option["scores"]["price"]},
                      {"contribution:speed", option["contributions"]["speed"]},
                      {"contribution:price", option["contributions"]["price"]}});
    }
    REQUIRE(rows.size() == 3);
    const Tally tally = cli.check_csv(args,
                                      {"option",
                                       "rank",
                                       "total",
                                       "distance_to_first",
                                       "chance_first",
                                       "score:speed",
                                       "score:price",
                                       "contribution:speed",
                                       "contribution:price"},
                                      rows);
    CHECK(tally.numbers == 3 * 3 * 8);
    CHECK(tally.guarded == 3 * 2);
  }

  TEST_CASE("breakeven") {
    Cli cli;
    const std::vector<std::string> args = {
        "breakeven", "--catalog", evil_catalog(cli.dir()), "--workload", k_workload};
    std::vector<Expected> rows;
    const Json doc = cli.json(args);
    for (const auto& pair : doc["pairs"]) {
      rows.push_back({{"a", pair["a"]},
                      {"b", pair["b"]},
                      {"jobs_per_month", pair["jobs_per_month"]},
                      {"cheaper_below", pair["cheaper_below"]},
                      {"cheaper_above", pair["cheaper_above"]},
                      {"capacity_jobs_per_month", pair["capacity_jobs_per_month"]},
                      {"capacity_jobs_per_month_full", pair["capacity_jobs_per_month_full"]},
                      {"servers_needed", pair["servers_needed"]}});
    }
    const Tally tally = cli.check_csv(args,
                                      {"a",
                                       "b",
                                       "jobs_per_month",
                                       "cheaper_below",
                                       "cheaper_above",
                                       "capacity_jobs_per_month",
                                       "capacity_jobs_per_month_full",
                                       "servers_needed"},
                                      rows);
    CHECK(tally.numbers > 0);
    CHECK(tally.empty > 0);
    CHECK(tally.guarded > 0);
  }

  TEST_CASE("breakeven volumes") {
    // R4 of cost-model.md: pairs that do cross, so the volumes and servers are numbers.
    Cli cli;
    const std::vector<std::string> args = {"breakeven",
                                           "--catalog",
                                           k_source + "/tests/golden/cases/r4.catalog.json",
                                           "--ref-gpu",
                                           "L4",
                                           "--job-seconds",
                                           "420"};
    std::vector<Expected> rows;
    const Json doc = cli.json(args);
    for (const auto& pair : doc["pairs"]) {
      rows.push_back({{"a", pair["a"]},
                      {"b", pair["b"]},
                      {"jobs_per_month", pair["jobs_per_month"]},
                      {"capacity_jobs_per_month", pair["capacity_jobs_per_month"]},
                      {"servers_needed", pair["servers_needed"]}});
    }
    const Tally tally = cli.check_csv(args,
                                      {"a",
                                       "b",
                                       "jobs_per_month",
                                       "cheaper_below",
                                       "cheaper_above",
                                       "capacity_jobs_per_month",
                                       "capacity_jobs_per_month_full",
                                       "servers_needed"},
                                      rows);
    CHECK(tally.numbers >= 3 * 3);
  }

  TEST_CASE("sweep") {
    Cli cli;
    const std::vector<std::string> args = {"sweep",
                                           "--catalog",
                                           evil_catalog(cli.dir()),
                                           "--workload",
                                           k_workload,
                                           "--vary",
                                           "job-seconds=-30%..+30%",
                                           "--steps",
                                           "3"};
    std::vector<Expected> rows;
    const Json doc = cli.json(args);
    for (const auto& step : doc["steps"]) {
      for (const auto& option : step["options"]) {
        rows.push_back({{"job_seconds_change_pct", step["value"]},
                        {"rank", option["rank"]},
                        {"option", option["option"]},
                        {"cost_per_job_usd", option["cost_per_job"]},
                        {"monthly_cost_usd", option["monthly_cost"]}});
      }
    }
    REQUIRE(rows.size() == 9);
    const Tally tally = cli.check_csv(
        args,
        {"job_seconds_change_pct", "rank", "option", "cost_per_job_usd", "monthly_cost_usd"},
        rows);
    CHECK(tally.numbers == 3 * 9 * 4);
    CHECK(tally.negative == 3 * 3); // -30%: a number, never guarded
    CHECK(tally.guarded == 3 * 3);
  }

  TEST_CASE("sweep: the varied input's column carries its unit") {
    Cli cli;
    const std::string catalog = k_fixtures + "/check/catalog.json";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"job-seconds=60..180", "job_seconds"},
        {"job-seconds=-10%..+10%", "job_seconds_change_pct"},
        {"jobs-per-month=10..1000", "jobs_per_month"},
        {"idle-timeout=0..600", "idle_timeout_s"},
        {"price=-20%..+20%", "price_change_pct"},
        {"price:aws=-20%..+20%", "price_change_pct"}};
    for (const auto& [vary, column] : cases) {
      const auto& varied = vary; // clang 14 cannot capture a structured binding in INFO's lambda
      INFO(varied);
      const auto outcome = cli.run({"sweep",
                                    "--catalog",
                                    catalog,
                                    "--workload",
                                    k_workload,
                                    "--vary",
                                    vary,
                                    "--steps",
                                    "2",
                                    "--format",
                                    "csv"});
      const CsvDocument document = gpucost::test::read_csv_document(outcome.out);
      REQUIRE(!document.header.empty());
      CHECK(document.header.front() == column);
    }
  }

  TEST_CASE("simulate --format csv") {
    Cli cli;
    const std::vector<std::string> args = {"simulate",
                                           "--catalog",
                                           evil_catalog(cli.dir()),
                                           "--workload",
                                           k_workload,
                                           "--jobs-per-month",
                                           "30000",
                                           "--top",
                                           "2",
                                           "--horizon",
                                           "1d",
                                           "--runs",
                                           "3",
                                           "--threads",
                                           "1"};
    // The unit of each figure, written out independently of the renderer.
    const std::set<std::string> usd = {"total_cost",
                                       "cost_per_job",
                                       "split_execution",
                                       "split_cold_start",
                                       "split_idle",
                                       "split_rounding",
                                       "split_always_on"};
    const auto column_of = [&](const std::string& name) {
      if (usd.count(name) != 0) {
        return name + "_usd";
      }
      if (name.rfind("wait_", 0) == 0 || name.rfind("latency_", 0) == 0) {
        return name + "_s";
      }
      return name;
    };
    const Json doc = cli.json(args);
    std::vector<std::string> header = {"option"};
    std::vector<Expected> rows;
    for (const auto& option : doc["options"]) {
      Expected row = {{"option", option["option"]}};
      for (const auto& [key, value] : option.items()) {
        if (!option.contains(key + "_ci95")) {
          continue; // not a figure (option, traits, defaulted) or an interval itself
        }
        const Json& interval = option[key + "_ci95"];
        const std::string column = column_of(key);
        row.emplace_back(column, value);
        row.emplace_back(column + "_ci95_low", interval.is_null() ? Json(nullptr) : interval[0]);
        row.emplace_back(column + "_ci95_high", interval.is_null() ? Json(nullptr) : interval[1]);
        if (rows.empty()) {
          header.insert(header.end(), {column, column + "_ci95_low", column + "_ci95_high"});
        }
      }
      rows.push_back(std::move(row));
    }
    REQUIRE(rows.size() == 2);
    CHECK(header.size() == 1 + 3 * 30);
    for (const char* column : {"total_cost_usd",
                               "cost_per_job_usd",
                               "wait_p95_s",
                               "latency_mean_s",
                               "billed_seconds_per_job",
                               "hours_at_spend_cap",
                               "p_cold"}) {
      CHECK(std::find(header.begin(), header.end(), column) != header.end());
    }
    const Tally tally = cli.check_csv(args, header, rows);
    CHECK(tally.numbers == 3 * 2 * 3 * 30);
    CHECK(tally.guarded == 3);
  }

  TEST_CASE("simulate --format csv: the queue alone has empty costs") {
    Cli cli;
    const std::vector<std::string> args = {
        "simulate", "--service", "fixed:60", "--arrivals", "poisson:0.01", "--horizon", "1d"};
    const Json doc = cli.json(args);
    REQUIRE(doc["options"].size() == 1);
    const Json& option = doc["options"][0];
    CHECK(option["option"].is_null());
    const Expected row = {{"option", "queue only"},
                          {"total_cost_usd", option["total_cost"]},
                          {"cost_per_job_usd", option["cost_per_job"]},
                          {"cost_per_job_usd_ci95_low", nullptr},
                          {"jobs_arrived", option["jobs_arrived"]},
                          {"wait_mean_s", option["wait_mean"]}};
    CHECK(option["total_cost"].is_null());
    for (const Dialect& dialect : k_dialects) {
      INFO(dialect.name);
      auto with = args;
      with.insert(with.end(), {"--format", "csv", "--csv-dialect", dialect.name});
      const std::string text = cli.run(with).out;
      const CsvDocument document = gpucost::test::read_csv_document(text, dialect.separator);
      CHECK(document.bom == dialect.bom);
      REQUIRE(document.rows.size() == 1);
      Tally tally;
      for (const auto& [column, value] : row) {
        const auto& column_name = column; // clang 14: no structured binding in INFO's lambda
        INFO(column_name);
        check_cell(document.cell(0, column), value, dialect, tally);
      }
      CHECK(tally.numbers == 2);
      CHECK(tally.empty == 3);
    }
  }

  TEST_CASE("simulate --timeline FILE.csv") {
    Cli cli;
    const std::vector<std::string> header = {"option",
                                             "t_s",
                                             "workers",
                                             "peak_workers",
                                             "busy",
                                             "queue",
                                             "spend_usd_per_hour",
                                             "peak_spend_usd_per_hour"};
    std::vector<std::vector<double>> reference; // the rfc4180 file's numbers, row by row
    for (const Dialect& dialect : k_dialects) {
      INFO(dialect.name);
      const fs::path timeline = cli.dir() / ("timeline-" + dialect.name + ".csv");
      const Json doc = cli.json({"simulate",
                                 "--catalog",
                                 evil_catalog(cli.dir()),
                                 "--workload",
                                 k_workload,
                                 "--jobs-per-month",
                                 "30000",
                                 "--top",
                                 "2",
                                 "--horizon",
                                 "1d",
                                 "--csv-dialect",
                                 dialect.name,
                                 "--timeline",
                                 timeline.string()});
      const std::string text = read_file(timeline);
      CHECK(text.rfind("\xEF\xBB\xBF", 0) == (dialect.bom ? 0 : std::string::npos));
      const CsvDocument document = gpucost::test::read_csv_document(text, dialect.separator);
      CHECK(document.header == header);
      REQUIRE(document.rows.size() == 2 * 1440); // two options, a record a simulated minute
      std::vector<std::vector<double>> numbers;
      std::map<std::string, double> peak; // per option: the most workers in any minute
      std::map<std::string, double> last_t_s;
      for (const auto& record : document.rows) {
        std::vector<double> values;
        for (std::size_t c = 1; c < record.size(); ++c) {
          const auto value = gpucost::test::csv_number(record[c], dialect.decimal);
          REQUIRE_MESSAGE(value.has_value(), "column ", header[c], ": ", record[c]);
          values.push_back(*value);
        }
        CHECK(values[0] == last_t_s[record[0]] + 60);
        last_t_s[record[0]] = values[0];
        peak[record[0]] = std::max(peak[record[0]], values[2]);
        numbers.push_back(std::move(values));
      }
      // The timeline agrees with the summary of the same run: its peak is the run's peak.
      for (const auto& option : doc["options"]) {
        const std::string label = guarded(option["option"].get<std::string>());
        REQUIRE(peak.count(label) == 1);
        CHECK(peak[label] == option["peak_workers"].get<double>());
      }
      CHECK(peak.size() == 2);
      CHECK(peak.count("'=evil pod RTX 4090 @offer -EU") == 1);
      if (reference.empty()) {
        reference = numbers;
      } else {
        CHECK(numbers == reference); // every dialect carries the same values
      }
    }
  }

  TEST_CASE("--csv-dialect is offered only where a command writes CSV") {
    Cli cli;
    const auto status = cli.run({"catalog", "status", "--format", "csv"}, 1);
    CHECK(status.err.find("unknown format \"csv\" (expected table or json)") != std::string::npos);
    const auto dialect =
        cli.run({"catalog", "status", "--format", "json", "--csv-dialect", "excel"}, 1);
    CHECK(dialect.err.find("--csv-dialect") != std::string::npos);
    const auto bad = cli.run({"gpus", "--format", "csv", "--csv-dialect", "excel_eu"}, 1);
    CHECK(bad.err.find("unknown dialect \"excel_eu\" (expected rfc4180, excel or excel-eu)")
          != std::string::npos);
  }
}

} // namespace gpucost_test_cli_csv
