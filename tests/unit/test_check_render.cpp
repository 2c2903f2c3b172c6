// The outputs of gpucost check (markdown comment, GitHub annotations, JUnit, JSON, CSV) and the
// CSV writer's dialects.

#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render_check.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_check_render {

using namespace gpucost;

namespace {

CheckReport sample_report() {
  CheckReport report;
  report.tool_version = "0.1.0";
  report.generated_at = "2026-11-23T12:00:00Z";
  report.strict = false;
  CheckWorkloadReport workload;
  workload.name = "video";
  workload.baseline = "base.json";
  workload.changes = {{"a/vm/L4x1/-/per-job/on-demand", ChangeKind::changed, 1.0, 1.2},
                      {"b/vm/L4x1/-/per-job/on-demand", ChangeKind::disappeared, 2.0, {}}};
  workload.verdict = Verdict::fail;
  report.workloads.push_back(workload);

  CheckOutcome fail;
  fail.workload = "video";
  fail.option = "a/vm/L4x1/-/per-job/on-demand";
  fail.rule = "cost_per_job:+10%";
  fail.limit = 10;
  fail.baseline = 1.0;
  fail.current = 1.2;
  fail.delta = 0.2;
  fail.delta_pct = 20;
  fail.config_driven = 0.05;
  fail.price_driven = 0.15;
  fail.verdict = Verdict::fail;
  CheckOutcome warn = fail;
  warn.rule = "cost_per_job:+5%";
  warn.severity = RuleSeverity::warn;
  warn.verdict = Verdict::warn;
  CheckOutcome missing = fail;
  missing.rule = "cost_per_job[b/vm/L4x1/-/per-job/on-demand]:+10%";
  missing.best = false;
  missing.option = "b/vm/L4x1/-/per-job/on-demand";
  missing.current.reset();
  missing.delta.reset();
  missing.delta_pct.reset();
  missing.verdict = Verdict::missing;
  missing.missing_reason = "no option with this key is priced today";
  CheckOutcome pass = fail;
  pass.rule = "cost_per_job:<=5";
  pass.kind = LimitKind::budget;
  pass.limit = 5;
  pass.verdict = Verdict::pass;
  report.checks = {fail, warn, missing, pass};
  report.verdict = Verdict::fail;
  report.exit_code = 2;
  report.incomplete = {"video: cost_per_job[b...]: no option with this key is priced today"};
  return report;
}

} // namespace

TEST_SUITE("check outputs") {
  TEST_CASE("the markdown comment starts with its marker, verdict first, details collapsed") {
    const std::string md = render_check_markdown(sample_report(), k_default_comment_tag);
    CHECK(md.rfind("<!-- gpucost-check -->\n", 0) == 0);
    const auto verdict = md.find("## gpucost check: **FAIL**");
    const auto details = md.find("<details>");
    REQUIRE(verdict != std::string::npos);
    REQUIRE(details != std::string::npos);
    CHECK(verdict < details);
    CHECK(md.find("</details>") > details);
    CHECK(md.find("| video | **FAIL** | 1 | 1 | 1 | 1 |") != std::string::npos);
    CHECK(md.find("disappeared") > details);
    CHECK(render_check_markdown(sample_report(), "my-tag").rfind("<!-- my-tag -->\n", 0) == 0);
  }

  TEST_CASE("annotations: ::error for fail, ::warning for warn and missing, escaped") {
    const std::string text = render_check_annotations(sample_report());
    CHECK(text.find("::error title=gpucost check video%3A cost_per_job%3A+10%25::") == 0);
    CHECK(text.find("\n::warning title=gpucost check video%3A cost_per_job%3A+5%25::")
          != std::string::npos);
    CHECK(text.find("::warning title=gpucost check video%3A cost_per_job[b/vm")
          != std::string::npos);
    CHECK(text.find("title=gpucost check video%3A cost_per_job%3A<=5") == std::string::npos);
    CheckReport strict = sample_report();
    strict.strict = true;
    CHECK(render_check_annotations(strict).find("::error title=gpucost check incomplete::")
          != std::string::npos);
  }

  TEST_CASE("JUnit: testsuites, a testsuite per workload, a testcase per rule") {
    const std::string xml = render_check_junit(sample_report());
    CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 0) == 0);
    CHECK(xml.find("<testsuites name=\"gpucost check\" tests=\"4\" failures=\"1\" errors=\"0\" "
                   "skipped=\"1\">")
          != std::string::npos);
    CHECK(xml.find("<testsuite name=\"video\" tests=\"4\" failures=\"1\"") != std::string::npos);
    CHECK(xml.find("<failure message=\"cost_per_job of the best option") != std::string::npos);
    CHECK(xml.find("<skipped message=") != std::string::npos);
    CHECK(xml.find("name=\"cost_per_job:&lt;=5\" time=\"0\"/>") != std::string::npos);
    CheckReport strict = sample_report();
    strict.strict = true;
    CHECK(render_check_junit(strict).find("failures=\"2\"") != std::string::npos);
  }

  TEST_CASE("JSON: the gpucost/check document with every check field") {
    const auto doc = nlohmann::json::parse(render_check_json(sample_report()));
    CHECK(doc["schema"] == "gpucost/check");
    CHECK(doc["verdict"] == "fail");
    CHECK(doc["exit_code"] == 2);
    REQUIRE(doc["checks"].size() == 4);
    const auto& first = doc["checks"][0];
    for (const char* field : {"workload",
                              "option",
                              "metric",
                              "rule",
                              "baseline",
                              "current",
                              "delta",
                              "delta_pct",
                              "verdict",
                              "config_driven",
                              "price_driven"}) {
      CHECK_MESSAGE(first.contains(field), field);
    }
    CHECK(first["config_driven"].get<double>() + first["price_driven"].get<double>()
          == doctest::Approx(first["delta"].get<double>()));
    CHECK(doc["checks"][2]["current"].is_null()); // missing is null, never 0
    CHECK(doc["checks"][2]["verdict"] == "missing");
  }

  TEST_CASE("describe_check names the parts and the limit") {
    const std::string text = describe_check(sample_report().checks[0]);
    CHECK(text.find("went from 1 to 1.2 USD (+0.2, +20.00%)") != std::string::npos);
    CHECK(text.find("[workload +0.05, prices +0.15]") != std::string::npos);
    CHECK(text.find("breaches +10%") != std::string::npos);
  }
}

TEST_SUITE("CSV dialects") {
  using render::csv_integer_cell;
  using render::csv_number_cell;
  using render::csv_record;
  using render::csv_text_cell;
  using render::CsvDialect;

  TEST_CASE("rfc4180: commas, CRLF, quoting, no BOM") {
    CHECK(csv_record({csv_text_cell("a,b"), csv_number_cell(1.5), csv_text_cell("say \"hi\"")},
                     CsvDialect::rfc4180)
          == "\"a,b\",1.5,\"say \"\"hi\"\"\"\r\n");
    CHECK(render::CsvWriter(CsvDialect::rfc4180, {"a_usd", "b"}).text() == "a_usd,b\r\n");
  }

  TEST_CASE("excel: a UTF-8 BOM, otherwise rfc4180") {
    CHECK(render::CsvWriter(CsvDialect::excel, {"a_usd", "b"}).text()
          == "\xEF\xBB\xBF"
             "a_usd,b\r\n");
    CHECK(csv_record({csv_text_cell("x"), csv_number_cell(0.25)}, CsvDialect::excel)
          == "x,0.25\r\n");
  }

  TEST_CASE("excel-eu: semicolons and decimal commas in number cells only") {
    render::CsvWriter document(CsvDialect::excel_eu, {"name", "usd", "count"});
    document.add_record({csv_text_cell("x"), csv_number_cell(1.5), csv_integer_cell(2)});
    CHECK(std::move(document).text()
          == "\xEF\xBB\xBF"
             "name;usd;count\r\nx;1,5;2\r\n");
    CHECK(csv_record({csv_text_cell("v1.2"), csv_number_cell(0.25), csv_integer_cell(3)},
                     CsvDialect::excel_eu)
          == "v1.2;0,25;3\r\n");
    CHECK(csv_record({csv_text_cell("a;b"), csv_text_cell("c,d")}, CsvDialect::excel_eu)
          == "\"a;b\";c,d\r\n");
  }

  TEST_CASE("formula starts get an apostrophe in text cells; numbers are untouched") {
    for (const char* text : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"}) {
      CHECK(csv_text_cell(text).value == std::string("'") + text);
    }
    CHECK(csv_number_cell(-1.5).value == "-1.5");
    CHECK(csv_text_cell("plain").value == "plain");
  }

  TEST_CASE("the writer refuses a record that is not as wide as its header") {
    render::CsvWriter document(CsvDialect::rfc4180, {"a", "b"});
    CHECK_THROWS_AS(document.add_record({csv_text_cell("x")}), std::logic_error);
    CHECK_THROWS_AS(
        document.add_record({csv_text_cell("x"), csv_text_cell("y"), csv_text_cell("z")}),
        std::logic_error);
    document.add_record({csv_text_cell("x"), csv_number_cell(std::nullopt)});
    CHECK(document.text() == "a,b\r\nx,\r\n");
    CHECK(document.column_count() == 2);
  }

  TEST_CASE("unknown numbers are empty cells") {
    CHECK(csv_number_cell(std::nullopt).value.empty());
    CHECK(csv_integer_cell(std::nullopt).value.empty());
    CHECK(csv_integer_cell(-3).value == "-3");
  }

  TEST_CASE("dialect names") {
    CHECK(render::parse_csv_dialect("rfc4180") == CsvDialect::rfc4180);
    CHECK(render::parse_csv_dialect("excel") == CsvDialect::excel);
    CHECK(render::parse_csv_dialect("excel-eu") == CsvDialect::excel_eu);
    CHECK(!render::parse_csv_dialect("excel_eu"));
  }

  TEST_CASE("the check CSV has units in its column names") {
    const std::string csv = render_check_csv(sample_report(), CsvDialect::rfc4180);
    CHECK(csv.rfind("workload,option,metric,rule,baseline_usd,current_usd,delta_usd,delta_pct,"
                    "verdict,config_driven_usd,price_driven_usd,price_age_s\r\n",
                    0)
          == 0);
  }
}

} // namespace gpucost_test_check_render
