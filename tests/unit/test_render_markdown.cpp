#include "sample_result.hpp"

#include <gpucost/render/render.hpp>

#include <doctest/doctest.h>

#include <string>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_render_markdown {

using gpucost::CompareResult;
using gpucost::render_compare_markdown;
using gpucost::test::sample_result;

TEST_SUITE("render_markdown") {
  TEST_CASE("the sample result, exactly") {
    const std::string expected =
        "### Cost per job for \"render-60s\": 15 s on RTX 4090, 1000 jobs/month, revenue "
        "\\$0.004/job\n"
        "\n"
        "Prices from bundled data/catalog/runpod.json (runpod, 12 offers, fetched "
        "2026-11-20T00:00:00Z, 3d old); cache /home/u/.cache/gpucost/aws.json (aws, 340 offers, "
        "fetched 2026-11-23T07:00:00Z, 5h old); file data/catalog/hetzner.json (1 offer, fetch "
        "time unknown). Catalog sha256 9f86d081884c.\n"
        "\n"
        "| # | provider | product | mode | instance | gpu | region | \\$/hour | job time | "
        "cold start | \\$/job | \\$/month | margin | price age | notes |\n"
        "| --: | --- | --- | --- | --- | --- | --- | --: | --: | --: | --: | --: | --: | --: | --- "
        "|\n"
        "| 1 | runpod | pod | per-job | - | RTX 4090 x1 | EU-RO-1 | 0.740 | 15s | 0s | 0.00308 | "
        "3.08 | 22.9% | 3d |  |\n"
        "| 2 | runpod | serverless | keep-alive | - | RTX 4090 x1 | - | 1.116 | 15s | 1s | "
        "0.00651 | 6.51 | -62.7% | 3d | \\[1,2\\] |\n"
        "| 3 | aws | vm | per-job spot | g5.xlarge | A10G x1 | us-east-1 | 1.006 | 15s | - | "
        "0.01677 | 16.77 | -319.2% | 5h | \\[3,4,5\\] |\n"
        "| 4 | hetzner | dedicated | always-on | GEX44 | RTX 4000 SFF Ada x1 | - | 0.252 | 30s | "
        "0s | 0.18400 | 184.00 | -4500.0% | - |  |\n"
        "\n"
        "Notes:\n"
        "\n"
        "1. keep-alive treats the instance as one worker running one job at a time\n"
        "2. built-in defaults used for billing\\_minimum\\_s\n"
        "3. spot: 0.05 interruptions per hour assumed; a rerun fits in the 60 s minimum\n"
        "4. billed at least 60 s per session\n"
        "5. built-in defaults used for interruptions\\_per\\_hour, cold\\_start\\_billed\n"
        "\n"
        "Job time: measured (job\\_seconds on RTX 4090): 2 rows; spec (FP16 tensor TFLOPS ratio "
        "(data/gpus.json)): 2 rows.\n"
        "\n"
        "Warnings:\n"
        "\n"
        "- lambda: no offer has an RTX 4090; left out\n";
    CHECK(render_compare_markdown(sample_result()) == expected);
  }

  TEST_CASE("cells cannot break the table or start markup") {
    CompareResult result = sample_result();
    result.options.resize(1);
    result.options[0].offer.provider = "a|b";
    result.options[0].offer.name = "*bold* _it_ `code` <b>x</b> [l](u) ~s~ &amp; \\";
    result.options[0].offer.region = "line\nbreak";
    const std::string markdown = render_compare_markdown(result);
    CHECK(markdown.find("| a\\|b |") != std::string::npos);
    CHECK(markdown.find(
              "| \\*bold\\* \\_it\\_ \\`code\\` \\<b\\>x\\</b\\> \\[l\\](u) \\~s\\~ \\&amp; \\\\ |")
          != std::string::npos);
    CHECK(markdown.find("| line break |") != std::string::npos);
  }

  TEST_CASE("every table row has the same number of cells") {
    CompareResult result = sample_result();
    result.options[1].offer.provider = "x|y|z";
    const std::string markdown = render_compare_markdown(result);
    std::size_t rows = 0;
    std::size_t pos = 0;
    while ((pos = markdown.find("\n|", pos)) != std::string::npos) {
      ++pos;
      const std::string line = markdown.substr(pos, markdown.find('\n', pos) - pos);
      std::size_t bars = 0;
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) {
          ++bars;
        }
      }
      CHECK(bars == 16); // 15 columns
      ++rows;
    }
    CHECK(rows == 6); // header, alignment, four options
  }

  TEST_CASE("no options, no sources, no notes") {
    CompareResult result;
    result.workload.job_seconds = 60;
    CHECK(render_compare_markdown(result)
          == "### Cost per job: 60 s per job, no monthly volume\n"
             "\n"
             "Prices from: no catalog source recorded.\n"
             "\n"
             "No option can run this workload.\n");
  }
}

} // namespace gpucost_test_render_markdown
