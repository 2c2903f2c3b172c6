// AWS adapter: the incremental CSV parser, the bulk price list reader, the Spot Advisor and the
// streaming fetch against the loopback server.

#include "loopback_server.hpp"

#include <gpucost/data/data_set.hpp>
#include <gpucost/sources/providers/aws.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_aws {

namespace {

gpucost::GpuSpec spec(std::string name, double memory_gb, std::vector<std::string> aliases = {}) {
  gpucost::GpuSpec gpu;
  gpu.name = std::move(name);
  gpu.memory_gb = memory_gb;
  gpu.aliases = std::move(aliases);
  return gpu;
}

const gpucost::GpuDatabase& test_gpus() {
  static const gpucost::GpuDatabase gpus({spec("T4", 16),
                                          spec("L4", 24),
                                          spec("A10G", 24),
                                          spec("A100 40GB", 40, {"A100 SXM4 40GB"}),
                                          spec("A100 80GB", 80, {"A100 SXM4 80GB"}),
                                          spec("H100", 80, {"H100 SXM", "H100 SXM5"})});
  return gpus;
}

const std::string k_source = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/"
                             "current/us-east-1/index.csv";

gpucost::ParseContext context() {
  return gpucost::ParseContext{&test_gpus(), "2026-11-23T00:00:00Z", k_source};
}

std::string fixture(const std::string& name) {
  return gpucost::value_or_throw(
      gpucost::read_text_file(std::string(GPUCOST_TEST_FIXTURES) + "/aws/" + name));
}

const gpucost::AwsInstanceTable& table() {
  static const gpucost::AwsInstanceTable loaded = gpucost::value_or_throw(
      gpucost::load_aws_instance_table(std::string(GPUCOST_SOURCE_DIR) + "/data"));
  return loaded;
}

// Every row of `csv` read in pieces of `chunk` bytes (0: at once), fields joined by '|'.
std::vector<std::string>
rows_of(std::string_view csv, std::size_t chunk, std::string* error = nullptr) {
  std::vector<std::string> rows;
  gpucost::CsvStreamParser parser([&](std::span<const std::string_view> fields) {
    std::string row;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      row += (i == 0 ? "" : "|") + std::string(fields[i]);
    }
    rows.push_back(row);
    return true;
  });
  const std::size_t step = chunk == 0 ? std::max<std::size_t>(csv.size(), 1) : chunk;
  bool ok = true;
  for (std::size_t at = 0; ok && at < csv.size(); at += step) {
    ok = parser.feed(csv.substr(at, step));
  }
  if (ok) {
    ok = parser.finish();
  }
  if (error != nullptr) {
    *error = parser.error();
  }
  return rows;
}

std::string describe(const gpucost::Offer& offer) {
  return offer.name + "@" + offer.region + " " + std::to_string(offer.price_per_hour.value_or(-1))
         + " " + offer.gpu + "x" + std::to_string(offer.gpu_count);
}

const gpucost::Offer* find_offer(const std::vector<gpucost::Offer>& offers,
                                 const std::string& name,
                                 const std::string& region) {
  const auto it = std::find_if(offers.begin(), offers.end(), [&](const gpucost::Offer& offer) {
    return offer.name == name && offer.region == region;
  });
  return it == offers.end() ? nullptr : &*it;
}

} // namespace

TEST_SUITE("aws csv") {
  TEST_CASE(
      "quoted fields hold commas, doubled quotes and line breaks; empty fields are unquoted") {
    const std::string csv = "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",,\"\"\nx,y\r\n\"\",z";
    for (const std::size_t chunk : {0UL, 1UL, 2UL, 3UL, 7UL}) {
      CAPTURE(chunk);
      std::string error;
      const auto rows = rows_of(csv, chunk, &error);
      CHECK(error.empty());
      CHECK(rows == std::vector<std::string>{"a|b,c|say \"hi\"|two\nlines||", "x|y", "|z"});
    }
  }

  TEST_CASE("CRLF split across chunks, blank lines and a missing final line break") {
    const std::string csv = "h1,h2\r\n\r\n1,2\r\n\n3,\"4\"";
    for (const std::size_t chunk : {0UL, 1UL, 5UL}) {
      CAPTURE(chunk);
      CHECK(rows_of(csv, chunk) == std::vector<std::string>{"h1|h2", "1|2", "3|4"});
    }
    CHECK(rows_of("a,b,\n", 1) == std::vector<std::string>{"a|b|"});
    CHECK(rows_of("a,", 0) == std::vector<std::string>{"a|"});
    CHECK(rows_of("", 0).empty());
  }

  TEST_CASE("malformed input is an error naming the record") {
    std::string error;
    rows_of("a,b\n\"open,c\n", 3, &error);
    CHECK(error == "record 2: quoted field not closed at the end of the input");
    rows_of("a\n\"x\"y,z\n", 1, &error);
    CHECK(error == "record 2: unexpected 'y' after a closing quote");

    std::vector<std::string> rows;
    gpucost::CsvStreamParser bounded(
        [&](std::span<const std::string_view>) {
          rows.emplace_back();
          return true;
        },
        16);
    CHECK(bounded.feed("short,row\n"));
    CHECK(!bounded.feed("\"this field never ends and keeps going"));
    CHECK(bounded.error() == "record 2: row longer than 16 bytes (an unclosed quote?)");
    CHECK(rows.size() == 1);
  }

  TEST_CASE("the handler can stop the reading") {
    int seen = 0;
    gpucost::CsvStreamParser parser([&](std::span<const std::string_view>) { return ++seen < 2; });
    CHECK(!parser.feed("1\n2\n3\n"));
    CHECK(seen == 2);
    CHECK(parser.error().empty());
  }
}

TEST_SUITE("aws offers") {
  TEST_CASE("the bundled tables load") {
    REQUIRE(table().types.count("p4d.24xlarge") == 1);
    const auto& p4d = table().types.at("p4d.24xlarge");
    CHECK(p4d.gpu_count == 8);
    CHECK(p4d.gpu_memory_gb == 40);
    CHECK(table().types.count("trn1.32xlarge") == 0);
    auto regions = gpucost::load_aws_regions(std::string(GPUCOST_SOURCE_DIR) + "/data");
    REQUIRE(regions);
    CHECK(regions->front() == "us-east-1");
  }

  TEST_CASE("the price list keeps Linux on-demand shared GPU rows, read by column name") {
    auto result = gpucost::parse_aws_offer_csv(fixture("offers-us-east-1.csv"), table(), context());
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    std::vector<std::string> got;
    for (const auto& offer : result->offers) {
      got.push_back(describe(offer));
    }
    CHECK(got
          == std::vector<std::string>{"g4dn.xlarge@us-east-1 0.526000 T4x1",
                                      "g5.xlarge@eu-west-1 1.123000 A10Gx1",
                                      "g5.xlarge@us-east-1 1.006000 A10Gx1",
                                      "p4d.24xlarge@us-east-1 21.957600 A100 40GBx8",
                                      "p5.48xlarge@us-east-1 55.040000 H100x8"});
    const auto* p4d = find_offer(result->offers, "p4d.24xlarge", "us-east-1");
    REQUIRE(p4d != nullptr);
    CHECK(p4d->provider == "aws");
    CHECK(p4d->product == gpucost::Product::vm);
    CHECK(p4d->gpu_memory_gb == 40);
    CHECK(p4d->vcpus == 96);
    CHECK(p4d->ram_gb == 1152);
    CHECK(p4d->source == k_source);
    CHECK(p4d->fetched_at == "2026-11-23T00:00:00Z");
    CHECK(!p4d->spot_price_per_hour);
    // Reserved (also MarketOption OnDemand), Windows, Dedicated, unused reservations, SQL,
    // capacity blocks, Local Zones, Trainium, Inferentia, CPU-only and zero rows are gone; an
    // unknown GPU type warns once.
    REQUIRE(result->warnings.size() == 1);
    CHECK(result->warnings[0]
          == "aws: GPU instance type \"g7e.2xlarge\" is not in "
             "data/providers/aws-instance-types.json; "
             "skipped (add its GPU model there)");
  }

  TEST_CASE("1-byte and 7-byte chunks give the same offers as the whole file") {
    const std::string csv = fixture("offers-us-east-1.csv");
    auto whole = gpucost::parse_aws_offer_csv(csv, table(), context());
    REQUIRE(whole);
    for (const std::size_t chunk : {1UL, 7UL, 4096UL}) {
      CAPTURE(chunk);
      auto pieces = gpucost::parse_aws_offer_csv(csv, table(), context(), chunk);
      REQUIRE(pieces);
      REQUIRE(pieces->offers.size() == whole->offers.size());
      for (std::size_t i = 0; i < whole->offers.size(); ++i) {
        CHECK(describe(pieces->offers[i]) == describe(whole->offers[i]));
        CHECK(pieces->offers[i].vcpus == whole->offers[i].vcpus);
        CHECK(pieces->offers[i].ram_gb == whole->offers[i].ram_gb);
      }
      CHECK(pieces->warnings == whole->warnings);
    }
  }

  TEST_CASE("errors: no header, a missing column, malformed CSV, short rows") {
    auto no_header = gpucost::parse_aws_offer_csv(
        "\"FormatVersion\",\"v1.0\"\n\"a\",\"b\"\n", table(), context());
    REQUIRE(!no_header);
    CHECK(no_header.error().message
          == "aws: unexpected response from " + k_source
                 + ": no header row naming TermType, PricePerUnit and Instance Type (is it an EC2 "
                   "price list?)");

    auto missing = gpucost::parse_aws_offer_csv(
        "\"SKU\",\"TermType\",\"PricePerUnit\",\"Instance Type\",\"Unit\"\n", table(), context());
    REQUIRE(!missing);
    CHECK(missing.error().message.find("the price list header lacks the column(s) \"Currency\", "
                                       "\"Product Family\", \"Tenancy\"")
          != std::string::npos);

    const std::string csv = fixture("offers-us-east-1.csv");
    auto broken = gpucost::parse_aws_offer_csv(csv + "\"unclosed,row\n", table(), context(), 7);
    REQUIRE(!broken);
    CHECK(broken.error().message.find("malformed CSV: record ") != std::string::npos);
    CHECK(broken.error().message.find("quoted field not closed") != std::string::npos);

    auto short_rows =
        gpucost::parse_aws_offer_csv(csv + "\"g5.xlarge\",\"AWS Region\"\n", table(), context());
    REQUIRE(short_rows);
    CHECK(short_rows->warnings.back()
          == "aws: 1 row(s) of " + k_source + " had fewer fields than the header; skipped");
  }

  TEST_CASE("the shared sample's header and rows read when present"
            * doctest::test_suite("samples")) {
    const std::string path =
        std::string(GPUCOST_SOURCE_DIR) + "/../shared/samples/aws-offer-excerpt.csv";
    if (!std::filesystem::exists(path)) {
      MESSAGE("skipped: " << path << " is absent");
      return;
    }
    auto result = gpucost::parse_aws_offer_csv(
        gpucost::value_or_throw(gpucost::read_text_file(path)), table(), context(), 3);
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    CHECK(result->offers.empty()); // two Reserved, Dedicated, Windows c6i rows
    CHECK(result->warnings.empty());
  }
}

TEST_SUITE("aws spot advisor") {
  TEST_CASE("bands come from the labels; the open top band runs to its max") {
    auto advisor = gpucost::parse_aws_spot_advisor(fixture("spot-advisor-data.json"), "advisor");
    REQUIRE(advisor);
    REQUIRE(advisor->bands.size() == 5);
    CHECK(advisor->bands[0].low_percent == 0);
    CHECK(advisor->bands[0].high_percent == 5);
    CHECK(advisor->bands[1].low_percent == 5);
    CHECK(advisor->bands[1].high_percent == 10);
    CHECK(advisor->bands[4].low_percent == 20);
    CHECK(advisor->bands[4].high_percent == 100);
    CHECK(*gpucost::aws_interruptions_per_hour(*advisor, 1) == doctest::Approx(0.075 / 730));
    CHECK(*gpucost::aws_interruptions_per_hour(*advisor, 0) == doctest::Approx(0.025 / 730));
    CHECK(*gpucost::aws_interruptions_per_hour(*advisor, 4) == doctest::Approx(0.60 / 730));
    CHECK(!gpucost::aws_interruptions_per_hour(*advisor, 5));
    CHECK(advisor->advice.count({"us-east-1", "g5.xlarge"}) == 1);
    CHECK(advisor->advice.at({"us-east-1", "g5.xlarge"}).savings_percent
          == 59);                                                     // Linux, not Windows
    CHECK(advisor->advice.count({"us-east-1", "p4d.24xlarge"}) == 0); // Windows only
  }

  TEST_CASE("spot price = on-demand x (1 - savings), with interruptions and a note") {
    auto result = gpucost::parse_aws_offer_csv(fixture("offers-us-east-1.csv"), table(), context());
    REQUIRE(result);
    auto advisor = gpucost::parse_aws_spot_advisor(fixture("spot-advisor-data.json"), "advisor");
    REQUIRE(advisor);
    gpucost::apply_aws_spot_advice(result->offers, *advisor);
    const auto* g5 = find_offer(result->offers, "g5.xlarge", "us-east-1");
    REQUIRE(g5 != nullptr);
    CHECK(*g5->spot_price_per_hour == doctest::Approx(1.006 * 0.41));
    CHECK(*g5->interruptions_per_hour == doctest::Approx(0.075 / 730));
    CHECK(g5->notes
          == "spot price estimated from the AWS Spot Advisor's average saving of 59% (not a live "
             "spot price); interruption frequency 5-10% a month, taken as 7.5%");
    const auto* ireland = find_offer(result->offers, "g5.xlarge", "eu-west-1");
    REQUIRE(ireland != nullptr);
    CHECK(*ireland->spot_price_per_hour == doctest::Approx(1.123 * 0.44));
    const auto* p4d = find_offer(result->offers, "p4d.24xlarge", "us-east-1");
    REQUIRE(p4d != nullptr);
    CHECK(!p4d->spot_price_per_hour);
    CHECK(!p4d->interruptions_per_hour);
    CHECK(p4d->notes.empty());
  }

  TEST_CASE("a document without spot_advisor is an error") {
    auto advisor =
        gpucost::parse_aws_spot_advisor(R"({"ranges": []})", "https://x/spot-advisor-data.json");
    REQUIRE(!advisor);
    CHECK(advisor.error().message
          == "aws: unexpected response from https://x/spot-advisor-data.json: missing object "
             "\"spot_advisor\"");
  }

  TEST_CASE("the shared sample parses when present" * doctest::test_suite("samples")) {
    const std::string path =
        std::string(GPUCOST_SOURCE_DIR) + "/../shared/samples/aws-spot-advisor-excerpt.json";
    if (!std::filesystem::exists(path)) {
      MESSAGE("skipped: " << path << " is absent");
      return;
    }
    auto advisor = gpucost::parse_aws_spot_advisor(
        gpucost::value_or_throw(gpucost::read_text_file(path)), path);
    REQUIRE(advisor);
    CHECK(advisor->advice.at({"eu-west-1", "p4d.24xlarge"}).savings_percent == 34);
    CHECK(advisor->advice.at({"eu-west-1", "p4d.24xlarge"}).band == 4);
  }
}

TEST_SUITE("aws fetch") {
  using gpucost::test::LoopbackServer;
  using gpucost::test::ScriptedResponse;

  ScriptedResponse reply(int status, std::string body) {
    ScriptedResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
  }

  // `response` cut short: 100 bytes more are announced than sent.
  ScriptedResponse truncated(ScriptedResponse response) {
    response.truncate = true;
    return response;
  }

  gpucost::HttpOptions http_options() {
    gpucost::HttpOptions options;
    options.timeout_s = 5;
    options.max_attempts = 1;
    options.backoff_s = 0.01;
    options.max_backoff_s = 0.01;
    return options;
  }

  gpucost::FetchOptions fetch_options(const std::string& base, std::vector<std::string> regions) {
    gpucost::FetchOptions options;
    options.base_url = base;
    options.now = "2026-11-23T00:00:00Z";
    options.gpus = &test_gpus();
    options.data_dir = std::string(GPUCOST_SOURCE_DIR) + "/data";
    options.regions = std::move(regions);
    return options;
  }

  const std::string k_csv_path = "/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.csv";

  TEST_CASE("fetch streams each region's CSV and derives spot prices from the advisor") {
    LoopbackServer server;
    server.route(k_csv_path, reply(200, fixture("offers-us-east-1.csv")));
    server.route("/spot-advisor-data.json", reply(200, fixture("spot-advisor-data.json")));
    auto http = gpucost::make_curl_client(http_options());
    const auto provider = gpucost::make_aws_provider();
    CHECK(provider->id() == "aws");
    CHECK(provider->api_key_env().empty());
    CHECK(!provider->key_required());
    CHECK(provider->default_base_url() == "https://pricing.us-east-1.amazonaws.com");

    auto result = provider->fetch(*http, fetch_options(server.url(), {"us-east-1"}));
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    CHECK(result->offers.size() == 5);
    CHECK(result->source_url == server.url() + k_csv_path);
    const auto* g5 = find_offer(result->offers, "g5.xlarge", "us-east-1");
    REQUIRE(g5 != nullptr);
    CHECK(g5->source == server.url() + k_csv_path);
    CHECK(*g5->spot_price_per_hour == doctest::Approx(1.006 * 0.41));
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].target == k_csv_path);
    CHECK(requests[1].target == "/spot-advisor-data.json");
  }

  TEST_CASE("a failing region is skipped with a warning; all failing is an error") {
    LoopbackServer server;
    server.route(k_csv_path, reply(200, fixture("offers-us-east-1.csv")));
    server.route("/spot-advisor-data.json", reply(500, R"({"message": "boom"})"));
    auto http = gpucost::make_curl_client(http_options());
    const auto provider = gpucost::make_aws_provider();

    auto partial = provider->fetch(*http, fetch_options(server.url(), {"eu-west-9", "us-east-1"}));
    REQUIRE_MESSAGE(partial, (partial ? "" : partial.error().message));
    CHECK(partial->offers.size() == 5);
    const std::string missing_url =
        server.url() + "/offers/v1.0/aws/AmazonEC2/current/eu-west-9/index.csv";
    CHECK(std::find(
              partial->warnings.begin(),
              partial->warnings.end(),
              "aws: GET " + missing_url
                  + " returned HTTP 404: not found (check the base URL); region eu-west-9 skipped")
          != partial->warnings.end());
    CHECK(
        std::find(partial->warnings.begin(),
                  partial->warnings.end(),
                  "aws: GET " + server.url()
                      + "/spot-advisor-data.json returned HTTP 500: server error; try again later "
                        "(server said \"boom\"); spot prices left unknown")
        != partial->warnings.end());
    CHECK(!partial->offers[0].spot_price_per_hour);

    auto none = provider->fetch(*http, fetch_options(server.url(), {"eu-west-9"}));
    REQUIRE(!none);
    CHECK(none.error().message
          == "aws: GET " + missing_url + " returned HTTP 404: not found (check the base URL)");

    auto bad_region = provider->fetch(*http, fetch_options(server.url(), {"../etc"}));
    REQUIRE(!bad_region);
    CHECK(bad_region.error().message == "aws: \"../etc\" is not a region code (e.g. us-east-1)");
  }

  TEST_CASE("a truncated or malformed price list is an error") {
    LoopbackServer server;
    auto http = gpucost::make_curl_client(http_options());
    const auto provider = gpucost::make_aws_provider();

    SUBCASE("truncated") {
      server.route(k_csv_path, truncated(reply(200, fixture("offers-us-east-1.csv"))));
      auto result = provider->fetch(*http, fetch_options(server.url(), {"us-east-1"}));
      REQUIRE(!result);
      CHECK(result.error().message.rfind(
                "aws: GET " + server.url() + k_csv_path + ": response body truncated", 0)
            == 0);
    }
    SUBCASE("malformed") {
      server.route(k_csv_path, reply(200, fixture("offers-us-east-1.csv") + "\"a\"b\n"));
      auto result = provider->fetch(*http, fetch_options(server.url(), {"us-east-1"}));
      REQUIRE(!result);
      CHECK(result.error().message.find("malformed CSV: record ") != std::string::npos);
    }
  }

  TEST_CASE("regions are fetched at once, within one deadline for all of the provider's requests") {
    // Each region's price list answers after 700 ms: one after another, three would take 2.1 s.
    LoopbackServer server;
    const std::vector<std::string> regions{"us-east-1", "us-west-2", "eu-west-1"};
    for (const auto& region : regions) {
      auto slow = reply(200, fixture("offers-us-east-1.csv"));
      slow.delay_ms = 700;
      server.route("/offers/v1.0/aws/AmazonEC2/current/" + region + "/index.csv", slow);
    }
    server.route("/spot-advisor-data.json", reply(200, fixture("spot-advisor-data.json")));
    const auto provider = gpucost::make_aws_provider();

    SUBCASE("concurrently") {
      auto http = gpucost::make_curl_client(http_options());
      const auto start = std::chrono::steady_clock::now();
      auto result = provider->fetch(*http, fetch_options(server.url(), regions));
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
      CHECK(result->missing_regions.empty());
      CHECK(server.request_count() == 4);
      CHECK(elapsed < 1.9);
    }
    SUBCASE("the deadline ends every region's request") {
      auto options = http_options();
      options.deadline_s = 0.3;
      auto http = gpucost::make_curl_client(options);
      const auto start = std::chrono::steady_clock::now();
      auto result = provider->fetch(*http, fetch_options(server.url(), regions));
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      REQUIRE(!result);
      CHECK(result.error().message.find("the 0.3 s deadline for this provider's requests passed")
            != std::string::npos);
      CHECK(elapsed < 0.65);
    }
  }
}

} // namespace gpucost_test_aws
