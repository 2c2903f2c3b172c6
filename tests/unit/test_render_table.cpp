#include "sample_result.hpp"

#include <gpucost/render/render.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/table_layout.hpp>
#include <gpucost/util/time.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_render_table {

using gpucost::CompareResult;
using gpucost::render_compare_table;
using gpucost::TableStyle;
using gpucost::render::decimals_for_significant;
using gpucost::render::display_width;
using gpucost::render::format_fixed;
using gpucost::render::format_shortest;
using gpucost::render::truncate_to_width;
using gpucost::test::sample_result;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

// The lines of the table itself: from the header (starting "#") to the first blank line.
std::vector<std::string> table_lines(const std::string& text) {
  std::vector<std::string> table;
  bool inside = false;
  for (const auto& line : lines_of(text)) {
    inside = inside || line.rfind("#  ", 0) == 0;
    if (inside && line.empty()) {
      break;
    }
    if (inside) {
      table.push_back(line);
    }
  }
  return table;
}

std::string strip_ansi(const std::string& text) {
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b') {
      i = text.find('m', i);
      continue;
    }
    plain += text[i];
  }
  return plain;
}

} // namespace

TEST_SUITE("render_table") {
  TEST_CASE("the sample result at 100 columns") {
    const std::string expected =
        "Cost per job for \"render-60s\": 15 s on RTX 4090, 1000 jobs/month, revenue $0.004/job\n"
        "\n"
        "#  provider  mode          gpu                  $/hour    $/job  $/month    margin  "
        "notes\n"
        "1  runpod    per-job       RTX 4090 x1           0.740  0.00308     3.08     22.9%\n"
        "2  runpod    keep-alive    RTX 4090 x1           1.116  0.00651     6.51    -62.7%  "
        "[1,2]\n"
        "3  aws       per-job spot  A10G x1               1.006  0.01677    16.77   -319.2%  "
        "[3,4,5]\n"
        "4  hetzner   always-on     RTX 4000 SFF Ada x1   0.252  0.18400   184.00  -4500.0%\n"
        "\n"
        "Hidden to fit 100 columns: product, instance, region, job time, cold start, price age. "
        "--wide shows\n"
        "  every column, or COLUMNS=158 fits them.\n"
        "\n"
        "[1] keep-alive treats the instance as one worker running one job at a time\n"
        "[2] built-in defaults used for billing_minimum_s\n"
        "[3] spot: 0.05 interruptions per hour assumed; a rerun fits in the 60 s minimum\n"
        "[4] billed at least 60 s per session\n"
        "[5] built-in defaults used for interruptions_per_hour, cold_start_billed\n"
        "\n"
        "Job time: measured (job_seconds on RTX 4090): 2 rows; spec (FP16 tensor TFLOPS ratio\n"
        "  (data/gpus.json)): 2 rows.\n"
        "\n"
        "warning: lambda: no offer has an RTX 4090; left out\n"
        "\n"
        "Prices from (catalog sha256 9f86d081884c):\n"
        "  bundled data/catalog/runpod.json (runpod, 12 offers, fetched 2026-11-20T00:00:00Z, 3d "
        "old)\n"
        "  cache /home/u/.cache/gpucost/aws.json (aws, 340 offers, fetched 2026-11-23T07:00:00Z, "
        "5h "
        "old)\n"
        "  file data/catalog/hetzner.json (1 offer, fetch time unknown)\n";
    CHECK(render_compare_table(sample_result(), TableStyle{.columns = 100, .color = false})
          == expected);
  }

  TEST_CASE("a wide terminal shows every column") {
    const std::string table =
        render_compare_table(sample_result(), TableStyle{.columns = 200, .color = false});
    const auto lines = table_lines(table);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0]
          == "#  provider  product     mode          instance   gpu                  region     "
             "$/hour  job time  cold start    $/job  $/month    margin  price age  notes");
    CHECK(lines[3]
          == "3  aws       vm          per-job spot  g5.xlarge  A10G x1              us-east-1   "
             "1.006       15s           -  0.01677    16.77   -319.2%         5h  [3,4,5]");
    CHECK(lines[4]
          == "4  hetzner   dedicated   always-on     GEX44      RTX 4000 SFF Ada x1  -           "
             "0.252       30s          0s  0.18400   184.00  -4500.0%          -");
  }

  TEST_CASE("60 columns drop the least useful columns and every line fits") {
    const std::string table =
        render_compare_table(sample_result(), TableStyle{.columns = 60, .color = false});
    const auto lines = table_lines(table);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0] == "#  provider  mode          gpu                $/job  notes");
    CHECK(lines[4] == "4  hetzner   always-on     RTX 4000 SFF A~  0.18400");
    for (const auto& line : lines_of(table)) {
      CHECK(display_width(line) <= 60);
    }
  }

  TEST_CASE("a narrow table names the columns it hid and how to see them") {
    std::size_t full_width = 0; // the widest line of the table with every column
    for (const auto& line :
         table_lines(render_compare_table(sample_result(), TableStyle{.columns = 200}))) {
      full_width = std::max(full_width, display_width(line));
    }
    const std::string narrow = render_compare_table(sample_result(), TableStyle{.columns = 60});
    std::string unwrapped = narrow; // the note wraps: join its lines again
    for (auto at = unwrapped.find("\n  "); at != std::string::npos; at = unwrapped.find("\n  ")) {
      unwrapped.replace(at, 3, " ");
    }
    CAPTURE(narrow);
    CHECK(
        unwrapped.find("Hidden to fit 60 columns: product, instance, region, $/hour, job time, "
                       "cold start, $/month, margin, price age; cut short: gpu. --wide shows every "
                       "column, or COLUMNS="
                       + std::to_string(full_width) + " fits them.")
        != std::string::npos);
    for (const auto& line : lines_of(narrow)) {
      CHECK(display_width(line) <= 60);
    }
    CHECK(render_compare_table(sample_result(), TableStyle{.columns = 200}).find("Hidden to fit")
          == std::string::npos);
  }

  TEST_CASE("--wide shows every column however narrow the terminal, and wraps the prose") {
    const auto wide =
        render_compare_table(sample_result(), TableStyle{.columns = 60, .wide = true});
    CHECK(table_lines(wide)[0]
          == table_lines(render_compare_table(sample_result(), TableStyle{.columns = 200}))[0]);
    CHECK(wide.find("Hidden to fit") == std::string::npos);
    CHECK(wide.find("Cut short") == std::string::npos);
  }

  TEST_CASE("columns come back when a less useful one frees enough space") {
    // At 112 columns product (12 wide with its gap) must go, and then the narrower price age,
    // dropped before it, fits again.
    const auto lines =
        table_lines(render_compare_table(sample_result(), TableStyle{.columns = 112}));
    REQUIRE(!lines.empty());
    CHECK(lines[0].find("price age") != std::string::npos);
    CHECK(lines[0].find("product") == std::string::npos);
    CHECK(lines[0].find("margin") != std::string::npos);
    CHECK(display_width(lines[0]) <= 112);
  }

  TEST_CASE("a non-positive width never drops a column") {
    const auto lines = table_lines(render_compare_table(sample_result(), TableStyle{.columns = 0}));
    REQUIRE(!lines.empty());
    CHECK(lines[0].find("instance") != std::string::npos);
  }

  TEST_CASE("colour: bold header, green rank 1, and the same layout without the escapes") {
    const CompareResult result = sample_result();
    const std::string plain = render_compare_table(result, TableStyle{.columns = 100});
    const std::string coloured =
        render_compare_table(result, TableStyle{.columns = 100, .color = true});
    CHECK(plain.find('\x1b') == std::string::npos);
    CHECK(strip_ansi(coloured) == plain);
    CHECK(coloured.find("\x1b[1m#  provider") != std::string::npos);
    CHECK(coloured.find("\x1b[32m1  runpod") != std::string::npos);
    CHECK(coloured.find("\x1b[32m2  runpod") == std::string::npos);
    CHECK(coloured.find("\x1b[33mwarning:\x1b[0m lambda") != std::string::npos);
  }

  TEST_CASE("optional columns with nothing known are left out") {
    CompareResult result = sample_result();
    result.workload.revenue_per_job.reset();
    for (auto& option : result.options) {
      option.estimate.margin.reset();
      option.estimate.monthly_cost.reset();
    }
    const auto lines = table_lines(render_compare_table(result, TableStyle{.columns = 0}));
    REQUIRE(!lines.empty());
    CHECK(lines[0].find("margin") == std::string::npos);
    CHECK(lines[0].find("$/month") == std::string::npos);
    CHECK(lines[0].find("$/job") != std::string::npos);
  }

  TEST_CASE("no options") {
    CompareResult result = sample_result();
    result.options.clear();
    result.catalog.sources.clear();
    result.catalog.sha256.clear();
    result.warnings.clear();
    result.workload.name.clear();
    result.workload.jobs_per_month.reset();
    CHECK(render_compare_table(result, TableStyle{})
          == "Cost per job: 15 s on RTX 4090, no monthly volume, revenue $0.004/job\n"
             "\n"
             "No option can run this workload.\n"
             "\n"
             "Prices from: no catalog source recorded\n");
  }

  TEST_CASE("control characters in provider data cannot break the layout") {
    CompareResult result = sample_result();
    result.options[0].offer.provider = "evil\x1b[2J\nco";
    result.options[0].estimate.notes = {"line\r\nbreak"};
    result.warnings = {"bell\a"};
    const std::string table = render_compare_table(result, TableStyle{.columns = 100});
    CHECK(table.find('\x1b') == std::string::npos);
    CHECK(table.find('\r') == std::string::npos);
    CHECK(table.find('\a') == std::string::npos);
    CHECK(table.find("1  evil [2J co  ") != std::string::npos);
    CHECK(table.find("[1] line break\n") != std::string::npos);
  }

  TEST_CASE("equal notes share one footnote number") {
    CompareResult result = sample_result();
    result.options[3].estimate.notes = {"billed at least 60 s per session"};
    const auto notes = gpucost::render::number_notes(result.options);
    REQUIRE(notes.notes.size() == 5);
    CHECK(notes.row_numbers[2] == std::vector<std::size_t>{3, 4, 5});
    CHECK(notes.row_numbers[3] == std::vector<std::size_t>{4});
  }

  TEST_CASE("long footnotes wrap under their marker") {
    const auto lines = lines_of(render_compare_table(sample_result(), TableStyle{.columns = 60}));
    CHECK(std::find(lines.begin(),
                    lines.end(),
                    "[1] keep-alive treats the instance as one worker running one")
          != lines.end());
    CHECK(std::find(lines.begin(), lines.end(), "    job at a time") != lines.end());
  }
}

TEST_SUITE("render_util") {
  TEST_CASE("display width counts terminal columns, not bytes") {
    CHECK(display_width("RTX 4090 x1") == 11);
    CHECK(display_width("RTX 4090\u00d71") == 10); // the multiplication sign is 2 bytes
    CHECK(display_width("S\u00e3o Paulo") == 9);   // precomposed
    CHECK(display_width("Sa\u0303o Paulo") == 9);  // combining tilde
    CHECK(display_width("\u6771\u4eac") == 4);     // Tokyo in kanji: wide
    CHECK(display_width("\xff") == 1);             // invalid UTF-8 byte
    CHECK(truncate_to_width("\u6771\u4eac\u90fd", 4) == "\u6771~"); // never splits a wide char
    CHECK(truncate_to_width("abc", 3) == "abc");
    CHECK(gpucost::render::printable("a\tb\x1b[0m\u0085c\u00e9") == "a b [0m c\u00e9");
  }

  TEST_CASE("money keeps three significant digits of the smallest value in a column") {
    CHECK(decimals_for_significant({0.0030833333333333333}, 3, 2, 8) == 5);
    CHECK(format_fixed(0.0030833333333333333, 5) == "0.00308");
    CHECK(decimals_for_significant({0.74, 1.006}, 3, 2, 4) == 3);
    CHECK(decimals_for_significant({20.0, std::nullopt}, 3, 2, 4) == 2);
    CHECK(decimals_for_significant({0.0, std::nullopt}, 3, 2, 4) == 2);
    CHECK(decimals_for_significant({1e-12}, 3, 2, 8) == 8);
    CHECK(format_fixed(-0.0001, 2) == "0.00");
    CHECK(format_fixed(-1.5, 2) == "-1.50");
  }

  TEST_CASE("job times and ages in table cells, from the one duration formatter") {
    using gpucost::DurationStyle;
    using gpucost::format_duration;
    CHECK(format_duration(0, DurationStyle::clock) == "0s");
    CHECK(format_duration(0.5, DurationStyle::clock) == "0.5s");
    CHECK(format_duration(2.24, DurationStyle::clock) == "2.2s");
    CHECK(format_duration(15, DurationStyle::clock) == "15s");
    CHECK(format_duration(420, DurationStyle::clock) == "7m00s");
    CHECK(format_duration(4260, DurationStyle::clock) == "1h11m");
    CHECK(format_duration(-1, DurationStyle::clock) == "-");
    CHECK(format_duration(45, DurationStyle::compact) == "45s");
    CHECK(format_duration(720, DurationStyle::compact) == "12m");
    CHECK(format_duration(18000, DurationStyle::compact) == "5h");
    CHECK(format_duration(86400, DurationStyle::compact) == "1d"); // words say "24 h"
    CHECK(format_duration(86400, DurationStyle::words) == "24 h");
    CHECK(format_duration(302400, DurationStyle::compact) == "3d");
    CHECK(format_duration(-10, DurationStyle::compact) == "0s");
    for (const auto style : {DurationStyle::words, DurationStyle::compact, DurationStyle::clock}) {
      CHECK(format_duration(std::numeric_limits<double>::quiet_NaN(), style) == "-");
      CHECK(format_duration(std::numeric_limits<double>::infinity(), style) == "-");
    }
  }

  TEST_CASE("shortest round-trip numbers") {
    CHECK(format_shortest(0.0030833333333333333) == "0.0030833333333333333");
    CHECK(format_shortest(15) == "15");
    CHECK(format_shortest(-3.1916666666666664) == "-3.1916666666666664");
    CHECK(format_shortest(std::numeric_limits<double>::quiet_NaN()).empty());
    CHECK(format_shortest(std::numeric_limits<double>::infinity()).empty());
  }
}

namespace {

// The column fitting as it was before it was made linear (one display column at a time, every
// cell measured again each time): the reference fit_columns must agree with.
void reference_truncate(std::vector<gpucost::render::Column>& columns, std::size_t limit) {
  using gpucost::render::Align;
  const auto width_of = [](const gpucost::render::Column& column) {
    std::size_t width = display_width(column.header);
    for (const auto& cell : column.cells) {
      width = std::max(width, display_width(cell));
    }
    return width;
  };
  const auto total = [&] {
    std::size_t width = columns.empty() ? 0 : 2 * (columns.size() - 1);
    for (const auto& column : columns) {
      width += width_of(column);
    }
    return width;
  };
  while (total() > limit) {
    gpucost::render::Column* widest = nullptr;
    for (auto& column : columns) {
      const bool cuttable =
          column.align == Align::left && column.header != "notes" && width_of(column) > 4;
      if (cuttable && (widest == nullptr || width_of(column) > width_of(*widest))) {
        widest = &column;
      }
    }
    if (widest == nullptr) {
      return;
    }
    const std::size_t target = width_of(*widest) - 1;
    widest->header = gpucost::render::truncate_to_width(widest->header, target);
    for (auto& cell : widest->cells) {
      cell = gpucost::render::truncate_to_width(cell, target);
    }
  }
}

} // namespace

TEST_CASE("describe_fit: cut-only tables, and tables too wide for any COLUMNS") {
  using gpucost::render::Column;
  Column name;
  name.header = "name";
  name.cells = {std::string(60, 'x')};
  Column price;
  price.header = "$/hour";
  price.align = gpucost::render::Align::right;
  price.cells = {"1.00"};
  std::vector<Column> columns = {name, price};
  const auto fit = gpucost::render::fit_columns(columns, TableStyle{.columns = 40});
  CHECK(fit.hidden.empty());
  CHECK(fit.cut == std::vector<std::string>{"name"});
  CHECK(fit.full_width == 60 + 2 + 6);
  CHECK(gpucost::render::describe_fit(fit)
        == "Cut short to fit 40 columns: name.\n"
           "  --wide shows every column, or\n"
           "  COLUMNS=68 fits them.\n");
  std::vector<Column> huge = {name, price};
  huge[0].cells = {std::string(2000, 'x')};
  const auto too_wide = gpucost::render::fit_columns(huge, TableStyle{.columns = 40});
  CHECK(gpucost::render::describe_fit(too_wide)
        == "Cut short to fit 40 columns: name.\n  --wide shows every column.\n");
  std::vector<Column> fits = {price};
  CHECK(gpucost::render::describe_fit(gpucost::render::fit_columns(fits, TableStyle{.columns = 40}))
            .empty());
}

TEST_CASE("fitting columns cuts them as one column at a time would, wide characters included") {
  std::mt19937 random(7);
  const std::vector<std::string> pieces = {"a",
                                           "b",
                                           " ",
                                           "\xe4\xb8\xad" /* 中, two columns */,
                                           "e\xcc\x81" /* e + combining acute */,
                                           "\xc3\xa9",
                                           "\xf0\x9f\x98\x80" /* emoji */};
  for (int round = 0; round < 300; ++round) {
    std::vector<gpucost::render::Column> columns(1 + random() % 4);
    for (auto& column : columns) {
      column.align =
          random() % 4 == 0 ? gpucost::render::Align::right : gpucost::render::Align::left;
      column.header = "h" + std::to_string(random() % 100);
      const std::size_t rows = 1 + random() % 4;
      for (std::size_t row = 0; row < rows; ++row) {
        std::string cell;
        const std::size_t length = random() % 40;
        for (std::size_t i = 0; i < length; ++i) {
          cell += pieces[random() % pieces.size()];
        }
        column.cells.push_back(cell);
      }
    }
    const std::size_t limit = 5 + random() % 60;
    auto expected = columns;
    reference_truncate(expected, limit);
    TableStyle style;
    style.columns = static_cast<int>(limit);
    gpucost::render::fit_columns(columns, style);
    CAPTURE(round);
    REQUIRE(columns.size() == expected.size());
    for (std::size_t i = 0; i < columns.size(); ++i) {
      CHECK(columns[i].header == expected[i].header);
      CHECK(columns[i].cells == expected[i].cells);
    }
  }
}

} // namespace gpucost_test_render_table
