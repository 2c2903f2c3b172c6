#include "csv_reader.hpp"
#include "sample_result.hpp"

#include <gpucost/render/render.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_render_csv {

using gpucost::CompareResult;
using gpucost::render_compare_csv;
using gpucost::test::sample_result;

namespace {

using gpucost::test::read_csv;
using Record = gpucost::test::CsvRecord;

constexpr auto k_rfc4180 = gpucost::render::CsvDialect::rfc4180;

constexpr std::string_view k_header =
    "rank,provider,product,mode,pricing,name,gpu,gpu_count,gpu_memory_gb,vcpus,ram_gb,region,"
    "price_per_hour_usd,job_seconds,job_seconds_basis,job_seconds_source,billed_seconds_per_job,"
    "cost_per_job_usd,execution_usd,"
    "cold_start_usd,idle_usd,rounding_usd,rerun_usd,egress_usd,monthly_cost_usd,"
    "capacity_jobs_per_month,p_cold,utilization,margin,defaulted,notes,source,fetched_at,"
    "unit,price_per_unit_usd,units_per_job";

std::vector<Record> parse_csv(const std::string& text) {
  auto records = gpucost::test::read_csv(text);
  REQUIRE(records.has_value());
  return std::move(*records);
}

Record header_names() {
  Record names;
  std::string_view rest = k_header;
  while (!rest.empty()) {
    const std::size_t comma = std::min(rest.find(','), rest.size());
    names.emplace_back(rest.substr(0, comma));
    rest.remove_prefix(std::min(comma + 1, rest.size()));
  }
  return names;
}

std::string cell(const std::vector<Record>& records, std::size_t row, std::string_view column) {
  const Record names = header_names();
  const auto at = std::find(names.begin(), names.end(), column);
  REQUIRE(at != names.end());
  return records.at(row).at(static_cast<std::size_t>(at - names.begin()));
}

} // namespace

TEST_SUITE("render_csv") {
  TEST_CASE("one header row with units in the names, CRLF after every record") {
    const std::string csv = render_compare_csv(sample_result(), k_rfc4180);
    CHECK(csv.rfind(std::string(k_header) + "\r\n", 0) == 0);
    CHECK(csv.substr(csv.size() - 2) == "\r\n");
    for (std::size_t i = 0; i < csv.size(); ++i) {
      if (csv[i] == '\n') {
        CHECK(csv[i - 1] == '\r');
      }
    }
    const auto records = parse_csv(csv);
    REQUIRE(records.size() == 5);
    for (const auto& record : records) {
      CHECK(record.size() == 36);
    }
    CHECK(records[0] == header_names());
  }

  TEST_CASE("the test's reader is strict") {
    CHECK(read_csv("a,\"b\"\"c\"\r\n") == std::vector<Record>{{"a", "b\"c"}});
    CHECK(!read_csv("a\nb\r\n"));
    CHECK(!read_csv("a,b"));
    CHECK(!read_csv("a\"b\r\n"));
    CHECK(!read_csv("\"a\"b\r\n"));
    CHECK(!read_csv("\"a\r\n"));
    CHECK(read_csv("a;\"b;c\"\r\n", ';') == std::vector<Record>{{"a", "b;c"}});
    CHECK(read_csv("a,b\r\n", ';') == std::vector<Record>{{"a,b"}});
    CHECK(gpucost::test::csv_number("0,25", ',') == 0.25);
    CHECK(gpucost::test::csv_number("-1e-05") == -1e-05);
    CHECK(!gpucost::test::csv_number("1,000.5"));
    CHECK(!gpucost::test::csv_number("$1"));
    CHECK(!gpucost::test::csv_number(""));
  }

  TEST_CASE("the first row, exactly") {
    const std::string csv = render_compare_csv(sample_result(), k_rfc4180);
    const std::size_t start = csv.find("\r\n") + 2;
    CHECK(csv.substr(start, csv.find("\r\n", start) - start)
          == "1,runpod,pod,per-job,on-demand,,RTX 4090,1,24,16,62,EU-RO-1,0.74,15,measured,"
             "job_seconds on RTX 4090,15,"
             "0.0030833333333333333,0.0030833333333333333,0,0,0,0,0,3.0833333333333335,,1,1,"
             "0.22916666666666663,,,data/catalog/runpod.json,2026-11-20T00:00:00Z,,,");
  }

  TEST_CASE("numbers at full precision, unknown as an empty cell") {
    const auto records = parse_csv(render_compare_csv(sample_result(), k_rfc4180));
    CHECK(cell(records, 1, "cost_per_job_usd") == "0.0030833333333333333");
    CHECK(cell(records, 4, "price_per_hour_usd") == "0.25205479452054796");
    CHECK(cell(records, 2, "vcpus").empty());
    CHECK(cell(records, 1, "capacity_jobs_per_month").empty());
    CHECK(cell(records, 4, "capacity_jobs_per_month") == "70080");
    CHECK(cell(records, 4, "fetched_at").empty());
    CHECK(cell(records, 1, "name").empty());
  }

  TEST_CASE("defaulted traits and notes are joined with a semicolon") {
    const auto records = parse_csv(render_compare_csv(sample_result(), k_rfc4180));
    CHECK(cell(records, 3, "defaulted") == "interruptions_per_hour; cold_start_billed");
    CHECK(cell(records, 3, "notes")
          == "spot: 0.05 interruptions per hour assumed; a rerun fits in the 60 s minimum; "
             "billed at least 60 s per session");
  }

  TEST_CASE("fields with a comma, a quote or a line break are quoted") {
    CompareResult result = sample_result();
    result.options.resize(1);
    result.options[0].offer.name = "pod, \"secure\"";
    result.options[0].offer.region = "EU\r\nRO";
    result.options[0].estimate.notes = {"line one\nline two"};
    const std::string csv = render_compare_csv(result, k_rfc4180);
    CHECK(csv.find(",\"pod, \"\"secure\"\"\",") != std::string::npos);
    CHECK(csv.find(",\"EU\r\nRO\",") != std::string::npos);
    const auto records = parse_csv(csv);
    REQUIRE(records.size() == 2);
    CHECK(cell(records, 1, "name") == "pod, \"secure\"");
    CHECK(cell(records, 1, "region") == "EU\r\nRO");
    CHECK(cell(records, 1, "notes") == "line one\nline two");
  }

  TEST_CASE("formula starts get an apostrophe in text columns only") {
    CompareResult result = sample_result();
    result.options.resize(1);
    auto& option = result.options[0];
    option.offer.provider = "=HYPERLINK(\"http://x\")";
    option.offer.name = "+1";
    option.offer.gpu = "@SUM(A1)";
    option.offer.region = "\tus";
    option.offer.source = "\rfile";
    option.estimate.notes = {"-2+3"};
    option.defaulted = {"cold_start_s"};
    option.estimate.margin = -3.1916666666666664;
    option.estimate.split.egress = -0.5;
    const auto records = parse_csv(render_compare_csv(result, k_rfc4180));
    REQUIRE(records.size() == 2);
    CHECK(cell(records, 1, "provider") == "'=HYPERLINK(\"http://x\")");
    CHECK(cell(records, 1, "name") == "'+1");
    CHECK(cell(records, 1, "gpu") == "'@SUM(A1)");
    CHECK(cell(records, 1, "region") == "'\tus");
    CHECK(cell(records, 1, "source") == "'\rfile");
    CHECK(cell(records, 1, "notes") == "'-2+3");
    CHECK(cell(records, 1, "defaulted") == "cold_start_s");
    CHECK(cell(records, 1, "margin") == "-3.1916666666666664");
    CHECK(cell(records, 1, "egress_usd") == "-0.5");
  }

  TEST_CASE("NaN and infinity become empty cells") {
    CompareResult result = sample_result();
    result.options.resize(1);
    result.options[0].estimate.utilization = std::numeric_limits<double>::quiet_NaN();
    result.options[0].estimate.monthly_cost = std::numeric_limits<double>::infinity();
    const auto records = parse_csv(render_compare_csv(result, k_rfc4180));
    CHECK(cell(records, 1, "utilization").empty());
    CHECK(cell(records, 1, "monthly_cost_usd").empty());
  }

  TEST_CASE("no options: the header alone") {
    CompareResult result = sample_result();
    result.options.clear();
    CHECK(render_compare_csv(result, k_rfc4180) == std::string(k_header) + "\r\n");
  }
}

} // namespace gpucost_test_render_csv
