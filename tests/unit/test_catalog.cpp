// Locks in parse_catalog, parse_fx_rates, serialize_catalog and merge_offers: values, and every
// error message verbatim (they are the contract: users read them and scripts grep them).

#include "test_scale.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/data/catalog_fast.hpp>
#include <gpucost/data/data_set.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/util/number_text.hpp>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_catalog {

using gpucost::FxRate;
using gpucost::Offer;
using gpucost::OptionalNumber;
using gpucost::parse_catalog;
using gpucost::Product;

namespace {

// One offer field as raw JSON text: {"price_per_hour", "0.59"}.
struct Field {
  std::string key;
  std::string json;
};
using Fields = std::vector<Field>;

// The offer of docs/catalog-format.md, every field on its own line once rendered.
Fields base_offer() {
  return {{"provider", R"("runpod")"},
          {"product", R"("pod")"},
          {"name", R"("RTX 4090 secure")"},
          {"gpu", R"("RTX 4090")"},
          {"gpu_count", "1"},
          {"gpu_memory_gb", "24"},
          {"vcpus", "6"},
          {"ram_gb", "41"},
          {"region", R"("US")"},
          {"price_per_hour", "0.59"},
          {"spot_price_per_hour", "null"},
          {"monthly_price", "null"},
          {"billing_granularity_s", "null"},
          {"billing_minimum_s", "null"},
          {"cold_start_s", "null"},
          {"cold_start_billed", "null"},
          {"idle_timeout_s", "null"},
          {"source", R"("https://www.runpod.io/pricing")"},
          {"fetched_at", R"("2026-11-20T00:00:00Z")"}};
}

// `offer` with `key` set to `json`, replacing the field in place or appending it.
Fields with(Fields offer, const std::string& key, const std::string& json) {
  for (auto& field : offer) {
    if (field.key == key) {
      field.json = json;
      return offer;
    }
  }
  offer.push_back({key, json});
  return offer;
}

// `offer` without the field `key`.
Fields without(Fields offer, const std::string& key) {
  std::erase_if(offer, [&](const Field& field) { return field.key == key; });
  return offer;
}

// A catalog of `offers`, laid out one field per line:
//   line 1 "{", 2 "schema", 3 "schemaVersion", 4 "offers": [, 5 "{" of offers[0], 6 its first
//   field, ... With two base offers, offers[1] opens on line 25 and its fields are lines 26-44.
std::string catalog_of(const std::vector<Fields>& offers) {
  std::string text =
      "{\n  \"schema\": \"gpucost/catalog\",\n  \"schemaVersion\": 1,\n  \"offers\": [\n";
  for (std::size_t i = 0; i < offers.size(); ++i) {
    text += "    {\n";
    for (std::size_t j = 0; j < offers[i].size(); ++j) {
      text += fmt::format("      \"{}\": {}{}\n",
                          offers[i][j].key,
                          offers[i][j].json,
                          j + 1 == offers[i].size() ? "" : ",");
    }
    text += i + 1 == offers.size() ? "    }\n" : "    },\n";
  }
  text += "  ]\n}\n";
  return text;
}

// A catalog whose offers[1] is `second` (offers[0] is the base offer), so that errors must name
// the right index and line.
std::string second_offer_is(const Fields& second) {
  return catalog_of({base_offer(), second});
}

const std::vector<FxRate> k_rates = {
    {"EUR", 1.1761, "2026-05-08", "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"}};

// The error parse_catalog gives for `text` read from "c.json"; fails the test when it succeeds.
std::string error_of(const std::string& text) {
  const auto offers = parse_catalog(text, "c.json", k_rates);
  REQUIRE_MESSAGE(!offers.has_value(), "parse_catalog accepted:\n" << text);
  return offers.error().message;
}

// The offers parse_catalog reads from `text`; fails the test on an error.
std::vector<Offer> offers_of(const std::string& text) {
  auto offers = parse_catalog(text, "c.json", k_rates);
  REQUIRE_MESSAGE(offers.has_value(), offers.error().message);
  return std::move(*offers);
}

std::string show(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : std::string("null");
}

} // namespace

TEST_SUITE("parse_catalog") {
  TEST_CASE("reads every field of a valid offer") {
    const auto offers = offers_of(catalog_of({with(
        with(with(with(with(base_offer(), "spot_price_per_hour", "0.29"), "billing_minimum_s", "0"),
                  "cold_start_billed",
                  "true"),
             "notes",
             R"("community \"cloud\"")"),
        "reliability",
        "0.98")}));
    REQUIRE(offers.size() == 1);
    const Offer& offer = offers[0];
    CHECK(offer.provider == "runpod");
    CHECK(offer.product == Product::pod);
    CHECK(offer.name == "RTX 4090 secure");
    CHECK(offer.gpu == "RTX 4090");
    CHECK(offer.gpu_count == 1);
    CHECK(offer.gpu_memory_gb == 24.0);
    CHECK(offer.vcpus == 6.0);
    CHECK(offer.ram_gb == 41.0);
    CHECK(offer.region == "US");
    CHECK(offer.price_per_hour == 0.59);
    CHECK(offer.spot_price_per_hour == 0.29);
    CHECK(offer.billing_minimum_s == 0.0);
    CHECK(offer.cold_start_billed == true);
    CHECK(offer.reliability == 0.98);
    CHECK(offer.source == "https://www.runpod.io/pricing");
    CHECK(offer.fetched_at == "2026-11-20T00:00:00Z");
    CHECK(offer.notes == "community \"cloud\"");
  }

  TEST_CASE("unknown is null, never 0") {
    const auto offers = offers_of(catalog_of({without(without(base_offer(), "vcpus"), "region")}));
    REQUIRE(offers.size() == 1);
    const Offer& offer = offers[0];
    CHECK(!offer.spot_price_per_hour.has_value()); // null
    CHECK(!offer.monthly_price.has_value());
    CHECK(!offer.always_on_price_per_hour.has_value()); // absent
    CHECK(!offer.vcpus.has_value());                    // absent
    CHECK(!offer.cold_start_s.has_value());
    CHECK(!offer.cold_start_billed.has_value());
    CHECK(!offer.interruptions_per_hour.has_value());
    CHECK(!offer.egress_per_gb.has_value());
    CHECK(!offer.reliability.has_value());
    CHECK(offer.region.empty());
    CHECK(offer.notes.empty());
  }

  TEST_CASE("an empty offers array is an empty catalog") {
    CHECK(offers_of(R"({"schema": "gpucost/catalog", "schemaVersion": 1, "offers": []})").empty());
  }

  TEST_CASE("a valid catalog round-trips through serialize_catalog") {
    const auto offers = offers_of(
        catalog_of({base_offer(),
                    with(with(with(with(base_offer(), "product", R"("serverless")"),
                                   "always_on_price_per_hour",
                                   "1.25"),
                              "egress_per_gb",
                              "0"),
                         "notes",
                         R"("per-second \"flex\" workers")"),
                    with(with(with(base_offer(), "gpu_count", "8"), "monthly_price", "9125.5"),
                         "interruptions_per_hour",
                         "0.05")}));
    const std::string text = gpucost::serialize_catalog(offers);
    const auto again = offers_of(text);
    CHECK(gpucost::serialize_catalog(again) == text);
    REQUIRE(again.size() == 3);
    CHECK(again[1].egress_per_gb == 0.0); // a known zero stays a zero
    CHECK(!again[1].monthly_price.has_value());
    CHECK(again[1].notes == "per-second \"flex\" workers");
    CHECK(again[2].monthly_price == 9125.5);
    CHECK(text.starts_with("{\n  \"schema\": \"gpucost/catalog\",\n  \"schemaVersion\": 1,\n"));
  }

  TEST_CASE("unknown fields far from any known one are ignored") {
    const auto offers = offers_of(second_offer_is(
        with(with(base_offer(), "x_vendor_extension", R"({"a": [1, 2, {"b": null}]})"),
             "availability_zone_list",
             R"(["a", "b"])")));
    CHECK(offers.size() == 2);
  }

  TEST_CASE("prices in another currency are converted with the exchange rate, with a note") {
    const auto offers = offers_of(
        catalog_of({with(with(with(base_offer(), "currency", R"("EUR")"), "price_per_hour", "2"),
                         "egress_per_gb",
                         "0.01"),
                    with(with(base_offer(), "currency", R"("EUR")"), "notes", R"("hourly")")}));
    REQUIRE(offers.size() == 2);
    CHECK(offers[0].price_per_hour == 2 * 1.1761);
    CHECK(offers[0].egress_per_gb == 0.01 * 1.1761);
    CHECK(offers[0].notes
          == "prices converted from EUR at 1.1761 USD/EUR (2026-05-08, "
             "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml)");
    CHECK(offers[1].notes
          == "hourly; prices converted from EUR at 1.1761 USD/EUR (2026-05-08, "
             "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml)");
  }
}

TEST_SUITE("parse_catalog errors") {
  TEST_CASE("malformed JSON names the file, line and column") {
    CHECK(error_of("{\n  \"schema\": \"gpucost/catalog\",\n  \"schemaVersion\" 1,\n}")
          == "c.json:3:19: invalid JSON: syntax error while parsing object separator - unexpected "
             "number literal; expected ':'");
    CHECK(error_of("")
          == "c.json:1:1: invalid JSON: syntax error while parsing value - unexpected end of "
             "input; expected '[', '{', or a literal");
    CHECK(error_of(second_offer_is(with(base_offer(), "price_per_hour", "0.5.9")))
          == "c.json:36:28: invalid JSON: syntax error while parsing object - invalid literal; "
             "last read: '0.5.'; expected '}'");
    CHECK(
        error_of(second_offer_is(with(base_offer(), "name", "\"tab\tinside\"")))
        == R"(c.json:29:19: invalid JSON: syntax error while parsing value - invalid string: control character U+0009 (HT) must be escaped to \u0009 or \t; last read: '"tab<U+0009>')");
    CHECK(error_of(catalog_of({base_offer()}) + "]")
          == "c.json:28:1: invalid JSON: syntax error while parsing value - unexpected ']'; "
             "expected end of input");
  }

  TEST_CASE("wrong schema") {
    CHECK(error_of(R"({"schema": "gpucost/gpus", "schemaVersion": 1, "offers": []})")
          == R"(c.json:1: schema: expected "gpucost/catalog" (got "gpucost/gpus"))");
    CHECK(error_of(R"({"schemaVersion": 1, "offers": []})")
          == R"(c.json:1: schema: expected "gpucost/catalog" (got nothing))");
    CHECK(error_of(R"([{"schema": "gpucost/catalog"}])")
          == R"(c.json:1: expected a JSON object with "schema": "gpucost/catalog")");
    CHECK(error_of(R"({"schema": "gpucost/catalog", "schemaVersion": "1", "offers": []})")
          == "c.json:1: schemaVersion: must be a whole number");
  }

  TEST_CASE("a newer schemaVersion is refused") {
    CHECK(error_of("{\"schema\": \"gpucost/catalog\",\n \"schemaVersion\": 2,\n \"offers\": []}")
          == "c.json:2: schemaVersion: version 2 is not supported (this gpucost reads 1 to 1)");
  }

  TEST_CASE("the offers array is required") {
    CHECK(error_of("{\"schema\": \"gpucost/catalog\",\n \"schemaVersion\": 1}")
          == "c.json:1: offers: must be an array");
    CHECK(error_of("{\"schema\": \"gpucost/catalog\",\n \"schemaVersion\": 1,\n \"offers\": {}}")
          == "c.json:3: offers: must be an array");
  }

  TEST_CASE("an offer must be an object") {
    CHECK(error_of("{\"schema\": \"gpucost/catalog\", \"schemaVersion\": 1,\n \"offers\": [\n 42]}")
          == "c.json:3: offers[0]: must be a JSON object (got 42)");
  }

  TEST_CASE("required fields") {
    CHECK(error_of(second_offer_is(without(base_offer(), "provider")))
          == "c.json:26: offers[1].provider: is required");
    CHECK(error_of(second_offer_is(without(base_offer(), "product")))
          == "c.json:26: offers[1].product: is required");
    CHECK(error_of(second_offer_is(without(base_offer(), "gpu")))
          == "c.json:26: offers[1].gpu: is required");
    CHECK(error_of(second_offer_is(without(base_offer(), "gpu_count")))
          == "c.json:26: offers[1].gpu_count: is required (a whole number >= 1)");
    CHECK(error_of(second_offer_is(without(base_offer(), "source")))
          == "c.json:26: offers[1].source: is required");
    CHECK(error_of(second_offer_is(without(base_offer(), "fetched_at")))
          == "c.json:26: offers[1].fetched_at: is required");
    CHECK(error_of(second_offer_is(with(base_offer(), "provider", "null")))
          == "c.json:27: offers[1].provider: is required");
    CHECK(error_of(second_offer_is(with(base_offer(), "gpu", R"("")")))
          == "c.json:30: offers[1].gpu: must not be empty");
  }

  TEST_CASE("unknown product, with the accepted ones as a hint") {
    CHECK(
        error_of(second_offer_is(with(base_offer(), "product", R"("container")")))
        == R"(c.json:28: offers[1].product: unknown product "container" (expected pod, vm, serverless, dedicated, training, prediction or api))");
  }

  TEST_CASE("gpu_count is a whole number >= 1") {
    CHECK(error_of(second_offer_is(with(base_offer(), "gpu_count", "0")))
          == "c.json:31: offers[1].gpu_count: must be a whole number >= 1 (got 0)");
    CHECK(error_of(second_offer_is(with(base_offer(), "gpu_count", "1.5")))
          == "c.json:31: offers[1].gpu_count: must be a whole number >= 1 (got 1.5)");
    CHECK(error_of(second_offer_is(with(base_offer(), "gpu_count", "2.0")))
          == "c.json:31: offers[1].gpu_count: must be a whole number >= 1 (got 2.0)");
    CHECK(error_of(second_offer_is(with(base_offer(), "gpu_count", "-1")))
          == "c.json:31: offers[1].gpu_count: must be a whole number >= 1 (got -1)");
    CHECK(error_of(second_offer_is(with(base_offer(), "gpu_count", R"("2")")))
          == R"(c.json:31: offers[1].gpu_count: must be a whole number >= 1 (got "2"))");
    CHECK(error_of(second_offer_is(with(base_offer(), "gpu_count", "3000000000")))
          == "c.json:31: offers[1].gpu_count: must be a whole number >= 1 (got 3000000000)");
  }

  TEST_CASE("prices must be > 0") {
    CHECK(error_of(second_offer_is(with(base_offer(), "price_per_hour", "-0.59")))
          == "c.json:36: offers[1].price_per_hour: must be >= 1e-06 and <= 1000000 (got -0.59)");
    CHECK(error_of(second_offer_is(with(base_offer(), "price_per_hour", "0")))
          == "c.json:36: offers[1].price_per_hour: must be >= 1e-06 and <= 1000000 (got 0)");
    CHECK(error_of(second_offer_is(with(base_offer(), "spot_price_per_hour", "0.0")))
          == "c.json:37: offers[1].spot_price_per_hour: must be >= 1e-06 and <= 1000000 (got 0.0)");
    CHECK(error_of(second_offer_is(with(base_offer(), "monthly_price", "-1")))
          == "c.json:38: offers[1].monthly_price: must be >= 0.00073 and <= 730000000 (got -1)");
    CHECK(error_of(second_offer_is(with(base_offer(), "always_on_price_per_hour", "0")))
          == "c.json:46: offers[1].always_on_price_per_hour: must be >= 1e-06 and <= 1000000 (got "
             "0)");
    CHECK(error_of(second_offer_is(with(base_offer(), "billing_granularity_s", "0")))
          == "c.json:39: offers[1].billing_granularity_s: must be > 0 and <= 86400 (got 0)");
  }

  TEST_CASE("absurd magnitudes are refused with the limit named, by both readers") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {second_offer_is(with(base_offer(), "price_per_hour", "1e-300")),
         "c.json:36: offers[1].price_per_hour: must be >= 1e-06 and <= 1000000 (got 1e-300)"},
        {second_offer_is(with(base_offer(), "price_per_hour", "0.0000009")),
         "c.json:36: offers[1].price_per_hour: must be >= 1e-06 and <= 1000000 (got 9e-07)"},
        {second_offer_is(with(base_offer(), "spot_price_per_hour", "1000001")),
         "c.json:37: offers[1].spot_price_per_hour: must be >= 1e-06 and <= 1000000 (got 1000001)"},
        {second_offer_is(with(base_offer(), "monthly_price", "1e9")),
         "c.json:38: offers[1].monthly_price: must be >= 0.00073 and <= 730000000 (got "
         "1000000000.0)"},
        {second_offer_is(with(base_offer(), "billing_granularity_s", "86401")),
         "c.json:39: offers[1].billing_granularity_s: must be > 0 and <= 86400 (got 86401)"}};
    for (const auto& [text, message] : cases) {
      CHECK(error_of(text) == message);
      CHECK(!gpucost::parse_catalog_fast(text, k_rates).has_value());
    }
    // The limits themselves are accepted, by the fast reader too.
    const auto edge = second_offer_is(with(
        with(with(base_offer(), "price_per_hour", "0.000001"), "spot_price_per_hour", "1000000"),
        "billing_granularity_s",
        "86400"));
    CHECK(offers_of(edge).size() == 2);
    CHECK(gpucost::parse_catalog_fast(edge, k_rates).has_value());
  }

  TEST_CASE("a key given twice is an error naming both lines, by both readers") {
    Fields twice = base_offer();
    twice.push_back({"price_per_hour", "0.7"});
    Fields unknown_twice = base_offer();
    unknown_twice.push_back({"x_tag", R"("a")"});
    unknown_twice.push_back({"x_tag", R"("b")"});
    const std::vector<std::pair<std::string, std::string>> cases = {
        {second_offer_is(twice),
         "c.json:46: \"price_per_hour\" is given twice in offers[1] (first on line 36); give it "
         "once"},
        {second_offer_is(unknown_twice),
         "c.json:47: \"x_tag\" is given twice in offers[1] (first on line 46); give it once"},
        {second_offer_is(with(base_offer(), "x_extra", R"({"a": 1, "b": {"c": 2, "c": 3}})")),
         "c.json:46: \"c\" is given twice in offers[1].x_extra.b (first on line 46); give it once"},
        {"{\"schema\": \"gpucost/catalog\",\n\"schemaVersion\": 1,\n\"offers\": [],\n"
         "\"schema\": \"gpucost/catalog\"}",
         "c.json:4: \"schema\" is given twice (first on line 1); give it once"},
        {"{\"schema\": \"gpucost/catalog\", \"schemaVersion\": 1, \"offers\": [],\n"
         "\"off\\u0065rs\": []}",
         "c.json:2: \"offers\" is given twice (first on line 1); give it once"}};
    for (const auto& [text, message] : cases) {
      const auto& catalog_text = text; // clang 14 cannot capture a structured binding in CAPTURE
      CAPTURE(catalog_text);
      CHECK(error_of(text) == message);
      CHECK(!gpucost::parse_catalog_fast(text, k_rates).has_value());
      const auto checked = gpucost::parse_catalog_checked(text, "c.json", k_rates);
      REQUIRE(!checked);
      CHECK(checked.error().message == message);
    }
    // Equal keys in different objects are not a duplicate.
    CHECK(offers_of(second_offer_is(with(base_offer(), "x_extra", R"({"a": {"a": 1}})"))).size()
          == 2);
  }

  TEST_CASE("other numbers have their own ranges") {
    CHECK(error_of(second_offer_is(with(base_offer(), "billing_minimum_s", "-1")))
          == "c.json:40: offers[1].billing_minimum_s: must be >= 0 (got -1)");
    CHECK(error_of(second_offer_is(with(base_offer(), "gpu_memory_gb", "-80")))
          == "c.json:32: offers[1].gpu_memory_gb: must be > 0 (got -80)");
    CHECK(error_of(second_offer_is(with(base_offer(), "reliability", "1.5")))
          == "c.json:46: offers[1].reliability: must be >= 0 and <= 1 (got 1.5)");
    CHECK(error_of(second_offer_is(with(base_offer(), "egress_per_gb", "-0.01")))
          == "c.json:46: offers[1].egress_per_gb: must be >= 0 (got -0.01)");
  }

  TEST_CASE("a number too large for a double is refused, not read as infinity") {
    CHECK(error_of(second_offer_is(with(base_offer(), "price_per_hour", "1e999")))
          == "c.json:36:25: invalid JSON: number overflow parsing '1e999'");
    CHECK(error_of(second_offer_is(with(base_offer(), "cold_start_s", "1e999")))
          == "c.json:41:23: invalid JSON: number overflow parsing '1e999'");
    CHECK(error_of(second_offer_is(with(base_offer(), "reliability", "-1e999")))
          == "c.json:46:22: invalid JSON: number overflow parsing '-1e999'");
    // A number too small for a double is read as 0, which the ranges then judge.
    CHECK(error_of(second_offer_is(with(base_offer(), "price_per_hour", "1e-999")))
          == "c.json:36: offers[1].price_per_hour: must be >= 1e-06 and <= 1000000 (got 0.0)");
  }

  TEST_CASE("a value of the wrong type") {
    CHECK(error_of(second_offer_is(with(base_offer(), "price_per_hour", R"("0.59")")))
          == R"(c.json:36: offers[1].price_per_hour: must be a number (got "0.59"))");
    CHECK(error_of(second_offer_is(with(base_offer(), "vcpus", "true")))
          == "c.json:33: offers[1].vcpus: must be a number (got true)");
    CHECK(error_of(second_offer_is(with(base_offer(), "name", "42")))
          == "c.json:29: offers[1].name: must be a string (got 42)");
    CHECK(error_of(second_offer_is(with(base_offer(), "cold_start_billed", "1")))
          == "c.json:42: offers[1].cold_start_billed: must be true or false (got 1)");
    CHECK(
        error_of(second_offer_is(
            with(base_offer(), "price_per_hour", R"("a very long string that will be shortened")")))
        == R"(c.json:36: offers[1].price_per_hour: must be a number (got "a very long string that will be shor...))");
  }

  TEST_CASE("a misspelled field gets a suggestion") {
    CHECK(
        error_of(
            second_offer_is(with(without(base_offer(), "price_per_hour"), "price_per_hr", "0.59")))
        == R"(c.json:45: offers[1].price_per_hr: unknown field "price_per_hr" (did you mean "price_per_hour"?))");
  }

  TEST_CASE("an offer needs a price") {
    CHECK(error_of(second_offer_is(without(base_offer(), "price_per_hour")))
          == "c.json:26: offers[1].price_per_hour: the offer has no price (give price_per_hour, "
             "spot_price_per_hour, monthly_price or always_on_price_per_hour)");
    CHECK(error_of(second_offer_is(with(base_offer(), "price_per_hour", "null")))
          == "c.json:36: offers[1].price_per_hour: the offer has no price (give price_per_hour, "
             "spot_price_per_hour, monthly_price or always_on_price_per_hour)");
  }

  TEST_CASE("fetched_at must be an ISO 8601 time") {
    CHECK(
        error_of(second_offer_is(with(base_offer(), "fetched_at", R"("yesterday")")))
        == R"(c.json:45: offers[1].fetched_at: "yesterday" is not an ISO 8601 UTC time (e.g. "2026-11-20T00:00:00Z"))");
    CHECK(
        error_of(second_offer_is(with(base_offer(), "fetched_at", R"("2026-13-01")")))
        == R"(c.json:45: offers[1].fetched_at: "2026-13-01" is not an ISO 8601 UTC time (e.g. "2026-11-20T00:00:00Z"))");
  }

  TEST_CASE("a currency without an exchange rate") {
    CHECK(
        error_of(second_offer_is(with(base_offer(), "currency", R"("GBP")")))
        == R"(c.json:46: offers[1].currency: no exchange rate for "GBP" in data/fx.json (prices must be converted to USD))");
  }

  TEST_CASE("the first error in document order wins") {
    CHECK(error_of(catalog_of(
              {with(base_offer(), "gpu_count", "0"), with(base_offer(), "price_per_hour", "-1")}))
          == "c.json:10: offers[0].gpu_count: must be a whole number >= 1 (got 0)");
  }
}

TEST_SUITE("OptionalNumber, an offer's number fields") {
  TEST_CASE("empty or a value, any double included, as std::optional<double> would hold it") {
    OptionalNumber none;
    CHECK_FALSE(none.has_value());
    CHECK(none == std::nullopt);
    CHECK(none.value_or(7) == 7);
    CHECK_THROWS_AS(static_cast<void>(none.value()), std::bad_optional_access);
    CHECK(std::optional<double>(none) == std::nullopt);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const double value :
         {0.0, -0.0, 1.5, -2.0, std::numeric_limits<double>::infinity(), nan}) {
      OptionalNumber held = value;
      REQUIRE(held.has_value());
      CHECK(std::bit_cast<std::uint64_t>(*held) == std::bit_cast<std::uint64_t>(value));
      CHECK(std::bit_cast<std::uint64_t>(std::optional<double>(held).value())
            == std::bit_cast<std::uint64_t>(value));
      held.reset();
      CHECK_FALSE(held.has_value());
      held = std::optional<double>(value);
      CHECK(held.has_value());
      held = std::nullopt;
      CHECK_FALSE(held.has_value());
    }
    // The one pattern that means empty, given as a value, is held as a value (a quiet NaN).
    const double empty_pattern = std::bit_cast<double>(std::uint64_t{0x7FF4'0000'0000'0E5DULL});
    const OptionalNumber odd = empty_pattern;
    CHECK(odd.has_value());
    CHECK(std::isnan(*odd));
    CHECK(sizeof(OptionalNumber) == 8);
  }

  TEST_CASE("compares as std::optional<double> compares") {
    const OptionalNumber none;
    const OptionalNumber one = 1.0;
    CHECK(one == 1.0);
    CHECK(one == doctest::Approx(1.0));
    CHECK_FALSE(none == 0.0);
    CHECK(none < 0);
    CHECK_FALSE(none > 0);
    CHECK(one > 0);
    CHECK(one >= 1);
    CHECK(one <= 1);
    CHECK(none == OptionalNumber());
    CHECK_FALSE(none == one);
    CHECK(one == OptionalNumber(1.0));
    CHECK(one == std::optional<double>(1.0));
    CHECK(none == std::optional<double>());
    CHECK_FALSE(one == std::optional<double>());
    OptionalNumber price = 2.0;
    *price *= 1.5; // as convert_to_usd does
    CHECK(price == 3.0);
    CHECK(price.emplace(4.0) == 4.0);
  }

  TEST_CASE("an offer stays small: its number fields take 8 bytes each") {
    // Seven strings, thirteen numbers, and product, gpu_count and cold_start_billed with padding;
    // the api unit price: five numbers and its unit.
    CHECK(sizeof(gpucost::UnitPrice) <= 5 * 8 + 8);
    CHECK(sizeof(Offer) <= 7 * sizeof(std::string) + 13 * 8 + 32 + sizeof(gpucost::UnitPrice));
  }
}

TEST_SUITE("parse_fx_rates") {
  TEST_CASE("reads the rates") {
    const auto rates = gpucost::parse_fx_rates(
        R"({"schema": "gpucost/fx", "schemaVersion": 1, "rates": [
          {"currency": "EUR", "usd_per_unit": 1.08, "as_of": "2026-11-20", "source": "https://x",
           "notes": "optional"}]})",
        "fx.json");
    REQUIRE(rates.has_value());
    REQUIRE(rates->size() == 1);
    CHECK((*rates)[0].currency == "EUR");
    CHECK((*rates)[0].usd_per_unit == 1.08);
    CHECK((*rates)[0].as_of == "2026-11-20");
    CHECK((*rates)[0].source == "https://x");
  }

  TEST_CASE("errors") {
    const auto error = [](const std::string& text) {
      const auto rates = gpucost::parse_fx_rates(text, "fx.json");
      REQUIRE(!rates.has_value());
      return rates.error().message;
    };
    CHECK(error(R"({"schema": "gpucost/catalog", "schemaVersion": 1, "rates": []})")
          == R"(fx.json:1: schema: expected "gpucost/fx" (got "gpucost/catalog"))");
    CHECK(error("{\"schema\": \"gpucost/fx\", \"schemaVersion\": 1, \"rates\": [\n"
                "{\"currency\": \"EUR\", \"as_of\": \"2026-11-20\", \"source\": \"x\"}]}")
          == "fx.json:2: rates[0].usd_per_unit: is required");
    CHECK(error("{\"schema\": \"gpucost/fx\", \"schemaVersion\": 1, \"rates\": [\n"
                "{\"currency\": \"EUR\",\n \"usd_per_unit\": 0, \"as_of\": \"2026-11-20\", "
                "\"source\": \"x\"}]}")
          == "fx.json:3: rates[0].usd_per_unit: must be > 0 (got 0)");
    CHECK(error("{\"schema\": \"gpucost/fx\", \"schemaVersion\": 1, \"rates\": [\n"
                "{\"usd_per_unit\": 1.1, \"as_of\": \"2026-11-20\", \"source\": \"x\"}]}")
          == "fx.json:2: rates[0].currency: is required");
    CHECK(error("{\"schema\": \"gpucost/fx\", \"schemaVersion\": 1}")
          == "fx.json:1: rates: must be an array");
    CHECK(error("{\"schema\": \"gpucost/fx\"")
          == "fx.json:1:24: invalid JSON: syntax error while parsing object - unexpected end of "
             "input; expected '}'");
  }
}

TEST_SUITE("merge_offers") {
  TEST_CASE("an addition with the same key replaces, anything else is appended") {
    Offer a;
    a.provider = "runpod";
    a.product = Product::pod;
    a.gpu = "RTX 4090";
    a.gpu_count = 1;
    a.region = "US";
    a.price_per_hour = 0.59;
    Offer b = a;
    b.region = "EU"; // another region: another offer
    Offer c = a;
    c.gpu_count = 2; // another size: another offer
    Offer a_duplicate = a;
    a_duplicate.name = "duplicate in the base";

    Offer a_new = a;
    a_new.price_per_hour = 0.49;
    Offer d = a;
    d.product = Product::serverless;

    const auto merged = gpucost::merge_offers({a, b, a_duplicate, c}, {a_new, d});
    REQUIRE(merged.size() == 4);
    CHECK(merged[0].region == "EU");
    CHECK(merged[1].gpu_count == 2);
    CHECK(merged[2].price_per_hour == 0.49); // both base offers with a's key are gone
    CHECK(merged[2].name.empty());
    CHECK(merged[3].product == Product::serverless);
    CHECK(show(merged[3].price_per_hour) == "0.59");
  }

  TEST_CASE("merging nothing keeps the base") {
    Offer a;
    a.provider = "aws";
    CHECK(gpucost::merge_offers({a}, {}).size() == 1);
    CHECK(gpucost::merge_offers({}, {a}).size() == 1);
  }
}

namespace {

// Every field of an offer, doubles in shortest round-trip form (so "-0" and "0" differ).
std::string describe(const Offer& offer) {
  const gpucost::UnitPrice& terms = offer.per_unit;
  return fmt::format(
      "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|"
      "{}|{}|{}",
      offer.provider,
      to_string(offer.product),
      offer.name,
      offer.gpu,
      offer.gpu_count,
      show(offer.gpu_memory_gb),
      show(offer.vcpus),
      show(offer.ram_gb),
      offer.region,
      show(offer.price_per_hour),
      show(offer.spot_price_per_hour),
      show(offer.monthly_price),
      show(offer.always_on_price_per_hour),
      show(offer.billing_granularity_s),
      show(offer.billing_minimum_s),
      show(offer.cold_start_s),
      offer.cold_start_billed ? (*offer.cold_start_billed ? "true" : "false") : "null",
      show(offer.idle_timeout_s),
      show(offer.interruptions_per_hour),
      show(offer.egress_per_gb),
      show(offer.reliability),
      offer.source,
      offer.fetched_at,
      offer.notes,
      terms.unit ? to_string(*terms.unit) : "null",
      show(terms.price_per_unit),
      show(terms.minimum_charge),
      show(terms.unit_increment),
      show(terms.max_units_per_call),
      show(terms.rate_limit_per_minute));
}

// Picks from `choices` with `random`.
template<typename T> const T& pick(std::mt19937& random, const std::vector<T>& choices) {
  return choices[std::uniform_int_distribution<std::size_t>(0, choices.size() - 1)(random)];
}

// Some valid JSON spellings of a number that is > 0 as a double.
const std::vector<std::string> k_positive = {"0.59",
                                             "1",
                                             "2.5e1",
                                             "1E-3",
                                             "3e+2",
                                             "12345678901234567890",
                                             "9223372036854775807",
                                             "9223372036854775808",
                                             "18446744073709551616",
                                             "1e-300",
                                             "5e-324",
                                             "0.1000000000000000055511151231257827",
                                             "1" + std::string(308, '0')}; // 1e308 as an integer

// Valid prices in varied spellings, near the limits of 1e-6 and 1e6 an hour (in EUR too).
const std::vector<std::string> k_prices = {
    "0.59", "1", "2.5e1", "1E-3", "3e+2", "1e-6", "8e5", "0.1000000000000000055511151231257827"};

// Valid billing granularities, up to a day.
const std::vector<std::string> k_granularities = {"0.59", "1", "2.5e1", "1E-3", "3e+2", "86400"};

// Some valid JSON spellings of a number that is >= 0 as a double, zeros of both signs included.
const std::vector<std::string> k_non_negative = {
    "0", "-0", "0.0", "-0.0", "0e5", "7", "0.25", "1e2"};

// Strings in raw UTF-8 and in every escape JSON has.
const std::vector<std::string> k_names = {
    R"("plain")",
    R"("")",
    R"("Ünïcødé 日本語 🚀 ÿ")",
    R"("\"quoted\" and \\backslash\\ and \/slash")",
    R"("tab\tnew\nline\r\b\f")",
    R"("\u00e9\u00E9 \u65e5 \ud83d\ude80 \u0000 nul")",
    R"("\u007f\u0080\u07ff\u0800\uffff")",
    "\"del \x7f and a long name that runs past sixteen bytes\""};

std::string offer_text(std::mt19937& random,
                       std::vector<std::pair<std::string, std::string>> fields);

// A valid api offer after `fields` (its provider): a unit and a price per unit, the other api
// fields absent, null or set, GPU fields absent or null; `maybe` adds a field that way.
template<typename Maybe>
std::string random_api_offer(std::mt19937& random,
                             std::vector<std::pair<std::string, std::string>> fields,
                             const Maybe& maybe) {
  fields.emplace_back("product", R"("api")");
  maybe("name", k_names);
  fields.emplace_back("unit",
                      pick(random,
                           std::vector<std::string>{R"("audio_minute")",
                                                    R"("character_1k")",
                                                    R"("token_1m")",
                                                    R"("image")",
                                                    R"("output_second")",
                                                    R"("call")"}));
  fields.emplace_back("price_per_unit", pick(random, k_positive));
  maybe("minimum_charge", k_non_negative);
  maybe("unit_increment", k_positive);
  maybe("max_units_per_call", k_positive);
  maybe("rate_limit_per_minute", k_positive);
  maybe("currency", {R"("USD")", R"("EUR")"});
  maybe("region", k_names);
  maybe("egress_per_gb", k_non_negative);
  for (const char* gpu_field : {"gpu", "gpu_count", "price_per_hour", "cold_start_s"}) {
    if (random() % 4 == 0) {
      fields.emplace_back(gpu_field, "null"); // null is absent: allowed on an api offer
    }
  }
  fields.emplace_back("source", R"("https://x.example/api")");
  fields.emplace_back("fetched_at", R"("2026-11-20")");
  maybe("notes", k_names);
  return offer_text(random, std::move(fields));
}

// A varied but valid offer: every field may be absent, null or oddly spelled, keys may come in
// any order or twice, and unknown fields hold nested values. Every fifth offer (from the third) is
// an api offer.
std::string random_offer(std::mt19937& random, std::size_t index) {
  std::vector<std::pair<std::string, std::string>> fields;
  const auto maybe = [&](const std::string& key, const std::vector<std::string>& values) {
    switch (random() % 4) {
    case 0:
      return; // absent
    case 1:
      fields.emplace_back(key, "null");
      return;
    default:
      fields.emplace_back(key, pick(random, values));
    }
  };
  fields.emplace_back("provider",
                      index % 7 == 0 ? R"("p\u00e9")" : fmt::format("\"p{}\"", index % 40));
  if (index % 5 == 2) { // the mutation test's three-offer catalog has one too
    return random_api_offer(random, std::move(fields), maybe);
  }
  fields.emplace_back(
      "product",
      pick(random,
           std::vector<std::string>{R"("pod")", R"("vm")", R"("serverless")", R"("dedicated")"}));
  maybe("name", k_names);
  fields.emplace_back(
      "gpu",
      pick(random, std::vector<std::string>{R"("RTX 4090")", R"("H100 \"SXM\"")", R"("日本")"}));
  fields.emplace_back("gpu_count",
                      pick(random, std::vector<std::string>{"1", "8", "2147483647", "4"}));
  maybe("gpu_memory_gb", k_positive);
  maybe("vcpus", k_positive);
  maybe("ram_gb", k_positive);
  maybe("region", k_names);
  fields.emplace_back("price_per_hour", pick(random, k_prices)); // every offer has a price
  maybe("spot_price_per_hour", k_prices);
  maybe("monthly_price", {"0.59", "1", "2.5e1", "3e+2", "6e8"});
  maybe("always_on_price_per_hour", k_prices);
  maybe("currency", {R"("USD")", R"("EUR")"});
  maybe("billing_granularity_s", k_granularities);
  maybe("billing_minimum_s", k_non_negative);
  maybe("cold_start_s", k_non_negative);
  maybe("cold_start_billed", {"true", "false"});
  maybe("idle_timeout_s", k_non_negative);
  maybe("interruptions_per_hour", k_non_negative);
  maybe("egress_per_gb", k_non_negative);
  maybe("reliability", {"0", "1", "0.5", "1.0", "-0", "1e-1"});
  fields.emplace_back(
      "source",
      pick(random,
           std::vector<std::string>{R"("https://x.example/p?a=1&b=\"2\"")", R"("generated")"}));
  fields.emplace_back("fetched_at",
                      pick(random,
                           std::vector<std::string>{R"("2026-11-20T00:00:00Z")",
                                                    R"("2026-11-20")",
                                                    R"("2026-11-20T08:30:15.25+01:00")",
                                                    R"("2024-02-29T23:59:59z")"}));
  maybe("notes", k_names);
  maybe("x_vendor_extension_data",
        {R"({"a": [1, 2.5, {"b": null}], "c": "\u00e9"})", "[]", "{}", R"([[["deep"]]])", "true"});
  return offer_text(random, std::move(fields));
}

// The text of an offer of `fields`, shuffled at times, with varied white space.
std::string offer_text(std::mt19937& random,
                       std::vector<std::pair<std::string, std::string>> fields) {
  if (random() % 4 == 0) {
    std::shuffle(fields.begin(), fields.end(), random);
  }
  const std::vector<std::string> spaces = {"", " ", "\n      ", "\t", "\r\n "};
  std::string text = "{" + pick(random, spaces);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string key =
        fields[i].first == "provider" && random() % 10 == 0 ? R"(pro\u0076ider)" : fields[i].first;
    text += fmt::format("\"{}\"{}:{}{}{}",
                        key,
                        pick(random, spaces),
                        pick(random, spaces),
                        fields[i].second,
                        pick(random, spaces));
    text += i + 1 == fields.size() ? "}" : "," + pick(random, spaces);
  }
  return text;
}

// A catalog of `count` random offers, with top-level fields in varied order and unknown ones.
std::string random_catalog(std::mt19937& random, std::size_t count) {
  std::string offers = "[\n";
  for (std::size_t i = 0; i < count; ++i) {
    offers += "  " + random_offer(random, i) + (i + 1 == count ? "\n" : ",\n");
  }
  offers += "]";
  return fmt::format("{{\"generator\": {{\"name\": \"test\", \"seed\": [1, 2]}},\n"
                     " \"offers\": {},\n \"schemaVersion\": 1, \"schema\": \"gpucost/catalog\"}}\n",
                     offers);
}

// The offers of `text` as the fast and the checked readers see them; fails the test where they
// differ. Returns whether the fast reader read the text.
bool same_as_checked(const std::string& text, const std::vector<FxRate>& rates = k_rates) {
  const auto fast = gpucost::parse_catalog_fast(text, rates);
  const auto checked = gpucost::parse_catalog_checked(text, "c.json", rates);
  if (!fast) {
    return false;
  }
  REQUIRE_MESSAGE(checked.has_value(),
                  "the fast reader accepted what the checked one refuses: "
                      << checked.error().message << "\n"
                      << text);
  REQUIRE(fast->size() == checked->size());
  for (std::size_t i = 0; i < fast->size(); ++i) {
    REQUIRE_MESSAGE(describe((*fast)[i]) == describe((*checked)[i]),
                    "offer " << i << " of\n"
                             << text);
  }
  return true;
}

} // namespace

TEST_SUITE("parse_catalog fast path") {
  TEST_CASE("reads a varied generated catalog exactly as the checked DOM reader does") {
    std::mt19937 random(20261123);
    const int offers = gpucost::test::scaled(3000);
    const std::string text = random_catalog(random, static_cast<std::size_t>(offers));
    const auto fast = gpucost::parse_catalog_fast(text, k_rates);
    REQUIRE_MESSAGE(fast.has_value(), "the fast reader refused a valid catalog");
    CHECK(fast->size() == static_cast<std::size_t>(offers));
    CHECK(same_as_checked(text));
    CHECK(same_as_checked(gpucost::serialize_catalog(*fast))); // the layout the cache is written in
  }

  TEST_CASE("reads a catalog with a byte-order mark, and the bundled catalogs") {
    CHECK(same_as_checked("\xEF\xBB\xBF" + catalog_of({base_offer()})));
    CHECK(same_as_checked(catalog_of({base_offer(), with(base_offer(), "currency", R"("EUR")")})));
    // The bundled catalogs are priced in the currencies of the bundled data/fx.json.
    const auto bundled = gpucost::load_data_set(GPUCOST_SOURCE_DIR "/data");
    REQUIRE(bundled.has_value());
    std::size_t files = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(GPUCOST_SOURCE_DIR "/data/catalog")) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      CHECK_MESSAGE(same_as_checked(text.str(), bundled->fx), entry.path());
      ++files;
    }
    CHECK(files > 0);
  }

  TEST_CASE("leaves every error to the checked reader") {
    // Each of these is an error for the checked reader (see the error tests above).
    for (const std::string& text :
         {std::string("{\"schema\": \"gpucost/catalog\", \"schemaVersion\": 1, \"offers\": [] "),
          std::string(
              "\xEF\xBB{\"schema\": \"gpucost/catalog\", \"schemaVersion\": 1, \"offers\": []}"),
          second_offer_is(with(base_offer(), "price_per_hour", "1e999")),
          second_offer_is(with(base_offer(), "price_per_hour", "0")),
          second_offer_is(with(base_offer(), "gpu_count", "2.0")),
          second_offer_is(with(base_offer(), "name", "\"bad \xC3\x28 utf-8\"")),
          second_offer_is(with(base_offer(), "name", "\"lone \\udc00 surrogate\"")),
          second_offer_is(with(base_offer(), "name", "\"lone \\ud800 surrogate\"")),
          second_offer_is(with(base_offer(), "name", "\"overlong \xC0\xAF\"")),
          second_offer_is(with(base_offer(), "name", "\"surrogate \xED\xA0\x80 in utf-8\"")),
          second_offer_is(with(base_offer(), "price_per_hr", "0.59")),
          second_offer_is(with(base_offer(), "currency", R"("GBP")")),
          second_offer_is(with(base_offer(), "fetched_at", R"("2026-13-01")")),
          second_offer_is(without(base_offer(), "source")),
          catalog_of({base_offer()}) + "x"}) {
      CHECK(!gpucost::parse_catalog_fast(text, k_rates).has_value());
      CHECK(!gpucost::parse_catalog_checked(text, "c.json", k_rates).has_value());
    }
  }

  TEST_CASE("never accepts what the checked reader refuses, nor reads it differently") {
    // Mutations of a small catalog: most are errors, which the fast reader must leave to the
    // checked one; whatever it does accept must read the same.
    std::mt19937 random(7);
    const std::string base = random_catalog(random, 3);
    const std::string alphabet = std::string("\"\\,:{}[]0123456789-+.eEuntrfalsd \n\t\x7f") + '\0'
                                 + "\x80\xBF\xC2\xC3\xE0\xED\xEF\xF0\xF4\xF5\xFF";
    std::size_t accepted = 0;
    const int rounds = gpucost::test::scaled(20000);
    for (int round = 0; round < rounds; ++round) {
      std::string text = base;
      for (auto edits = 1 + random() % 3; edits > 0 && !text.empty(); --edits) {
        const std::size_t at = random() % text.size();
        const char c = alphabet[random() % alphabet.size()];
        switch (random() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          text.erase(at, 1 + random() % 4);
        }
      }
      accepted += same_as_checked(text) ? 1U : 0U;
    }
    MESSAGE(accepted << " of " << rounds
                     << " mutated catalogs were valid and read by the fast reader");
    CHECK(accepted > static_cast<std::size_t>(rounds / 200));
  }
}

TEST_SUITE("parse_catalog keep") {
  TEST_CASE("offers it refuses are checked but left out, in order, on both readers") {
    std::mt19937 random(20261202);
    const std::string text = random_catalog(random, 600);
    const auto all = gpucost::parse_catalog_checked(text, "c.json", k_rates);
    REQUIRE(all.has_value());
    // The one-pass reader reads this text; the second gives up on it (a number beyond a double's
    // range, which the checked reader reads as 0), so the calls start again at index 0.
    const std::string given_up = second_offer_is(with(base_offer(), "billing_minimum_s", "1e-999"));
    REQUIRE(!gpucost::parse_catalog_fast(given_up, k_rates).has_value());
    for (const std::string* catalog : {&text, &given_up}) {
      std::vector<std::size_t> shown;
      const auto kept = parse_catalog(*catalog, "c.json", k_rates, {}, [&](Offer&, auto read) {
        shown.push_back(read.index);
        return read.index % 3 == 1;
      });
      REQUIRE(kept.has_value());
      const auto every = gpucost::parse_catalog_checked(*catalog, "c.json", k_rates);
      REQUIRE(every.has_value());
      std::vector<std::string> expected;
      for (std::size_t i = 1; i < every->size(); i += 3) {
        expected.push_back(describe((*every)[i]));
      }
      std::vector<std::string> got;
      for (const auto& offer : *kept) {
        got.push_back(describe(offer));
      }
      CHECK(got == expected);
      // Every offer shown once, in order; the given-up text's first offer twice, once per reader.
      std::vector<std::size_t> in_order(every->size());
      std::iota(in_order.begin(), in_order.end(), std::size_t{0});
      if (catalog == &given_up) {
        in_order.insert(in_order.begin(), 0);
      }
      CHECK(shown == in_order);
    }
    CHECK(all->size() == 600);
  }

  TEST_CASE("an offer whose every string is printable ASCII as read is said to be") {
    // What the one-pass reader says of offers[1] (offers[0] is the plain base offer).
    const auto printable = [](const Fields& second) {
      std::vector<bool> said;
      const auto kept = gpucost::parse_catalog_fast(
          second_offer_is(second), k_rates, nullptr, {}, [&](Offer&, auto read) {
            said.push_back(read.printable_ascii);
            return true;
          });
      REQUIRE(kept.has_value());
      REQUIRE(said.size() == 2);
      CHECK(said[0]);
      return static_cast<bool>(said[1]);
    };
    CHECK(printable(base_offer()));
    CHECK(printable(with(base_offer(), "name", R"(" ~!#$%&'()*+,-./:;<=>?@[]^_`{|}")")));
    CHECK(printable(with(base_offer(), "name", R"("a name longer than eight bytes, twice over")")));
    CHECK_FALSE(printable(with(base_offer(), "name", "\"del \x7f\"")));
    CHECK_FALSE(printable(with(base_offer(), "region", "\"a long name with a del \x7f in it\"")));
    CHECK_FALSE(printable(with(base_offer(), "provider", R"("esc\u001b[2J")")));
    CHECK_FALSE(printable(with(base_offer(), "name", R"("an escaped \"quote\"")")));
    CHECK_FALSE(printable(with(base_offer(), "notes", "\"caf\xC3\xA9\"")));
    CHECK_FALSE(printable(with(base_offer(), "x_extra", "\"\xC2\x9B c1 control\"")));
    CHECK_FALSE(printable(with(base_offer(), "currency", R"("EUR")"))); // a note from fx.json
  }
}

namespace {

// An api offer as docs/catalog-format.md shows it.
Fields api_offer() {
  return {{"provider", R"("mistral")"},
          {"product", R"("api")"},
          {"name", R"("voxtral-mini-2602")"},
          {"unit", R"("audio_minute")"},
          {"price_per_unit", "0.003"},
          {"minimum_charge", "null"},
          {"unit_increment", "null"},
          {"max_units_per_call", "null"},
          {"rate_limit_per_minute", "null"},
          {"source", R"("https://openrouter.ai/mistralai/voxtral-mini-transcribe")"},
          {"fetched_at", R"("2026-02-04T00:00:00Z")"}};
}

// The error of a catalog whose offers[1] is `second`, after both readers refuse it.
std::string api_error(const Fields& second) {
  const std::string text = second_offer_is(second);
  CHECK(!gpucost::parse_catalog_fast(text, k_rates).has_value());
  return error_of(text);
}

} // namespace

TEST_SUITE("parse_catalog api offers") {
  TEST_CASE("reads an api offer: a unit and a price per unit, no GPU") {
    const auto offers = offers_of(
        catalog_of({with(with(with(api_offer(), "minimum_charge", "0.01"), "unit_increment", "0.5"),
                         "rate_limit_per_minute",
                         "600")}));
    REQUIRE(offers.size() == 1);
    const Offer& offer = offers[0];
    CHECK(offer.product == Product::api);
    CHECK(offer.gpu.empty());
    CHECK(offer.gpu_count == 0);
    CHECK(!offer.price_per_hour);
    REQUIRE(offer.per_unit.unit);
    CHECK(*offer.per_unit.unit == gpucost::WorkUnit::audio_minute);
    CHECK(show(offer.per_unit.price_per_unit) == "0.003");
    CHECK(show(offer.per_unit.minimum_charge) == "0.01");
    CHECK(show(offer.per_unit.unit_increment) == "0.5");
    CHECK(show(offer.per_unit.max_units_per_call) == "null");
    CHECK(show(offer.per_unit.rate_limit_per_minute) == "600");
    // A GPU offer has none of the api fields.
    const auto gpu = offers_of(catalog_of({base_offer()}));
    CHECK(!gpucost::has_unit_terms(gpu[0].per_unit));
  }

  TEST_CASE("both readers read api offers alike, and they round-trip") {
    const std::string text = catalog_of(
        {base_offer(),
         api_offer(),
         with(with(api_offer(), "gpu", "null"), "gpu_count", "null"),
         with(with(api_offer(), "unit", R"("character_1k")"), "max_units_per_call", "10"),
         with(api_offer(), "currency", R"("EUR")")});
    CHECK(same_as_checked(text));
    const auto offers = offers_of(text);
    CHECK(same_as_checked(gpucost::serialize_catalog(offers)));
    CHECK(describe(offers_of(gpucost::serialize_catalog(offers))[1]) == describe(offers[1]));
    // Prices in another currency are converted, the per-call minimum too.
    const auto eur = offers_of(
        catalog_of({with(with(api_offer(), "currency", R"("EUR")"), "minimum_charge", "1")}));
    CHECK(show(eur[0].per_unit.price_per_unit) == fmt::format("{}", 0.003 * 1.1761));
    CHECK(show(eur[0].per_unit.minimum_charge) == "1.1761");
  }

  TEST_CASE("an api offer needs a unit of the closed list and a price per unit") {
    CHECK(api_error(without(api_offer(), "unit"))
          == "c.json:26: offers[1].unit: is required for an api offer (audio_minute, "
             "character_1k, token_1m, image, output_second or call)");
    CHECK(api_error(with(api_offer(), "unit", R"("minute")"))
          == R"(c.json:30: offers[1].unit: unknown unit "minute" (expected audio_minute, )"
             "character_1k, token_1m, image, output_second or call)");
    CHECK(api_error(with(api_offer(), "unit", "3"))
          == "c.json:30: offers[1].unit: must be a string (got 3)");
    CHECK(api_error(without(api_offer(), "price_per_unit"))
          == "c.json:26: offers[1].price_per_unit: is required for an api offer (USD per unit)");
    CHECK(api_error(with(api_offer(), "price_per_unit", "0"))
          == "c.json:31: offers[1].price_per_unit: must be > 0 (got 0)");
    CHECK(api_error(with(api_offer(), "minimum_charge", "-1"))
          == "c.json:32: offers[1].minimum_charge: must be >= 0 (got -1)");
    CHECK(api_error(with(api_offer(), "unit_increment", "0"))
          == "c.json:33: offers[1].unit_increment: must be > 0 (got 0)");
  }

  TEST_CASE("an api offer has no GPU and no hourly price or trait") {
    CHECK(api_error(with(api_offer(), "gpu", R"("L4")"))
          == "c.json:38: offers[1].gpu: an api offer has no GPU: leave the field out (or null)");
    CHECK(api_error(with(api_offer(), "gpu_count", "1"))
          == "c.json:38: offers[1].gpu_count: an api offer has no GPU: leave the field out (or "
             "null)");
    CHECK(api_error(with(api_offer(), "price_per_hour", "0.5"))
          == "c.json:38: offers[1].price_per_hour: does not apply to an api offer, which is "
             "priced per unit (price_per_unit, minimum_charge, unit_increment)");
    CHECK(api_error(with(api_offer(), "cold_start_s", "5"))
          == "c.json:38: offers[1].cold_start_s: does not apply to an api offer, which is "
             "priced per unit (price_per_unit, minimum_charge, unit_increment)");
  }

  TEST_CASE("--add-offers: an api offer replaces the one of the same unit and name only") {
    const auto make = [](std::string name, gpucost::WorkUnit unit, double price) {
      Offer o;
      o.provider = "mistral";
      o.product = Product::api;
      o.gpu_count = 0;
      o.name = std::move(name);
      o.per_unit.unit = unit;
      o.per_unit.price_per_unit = price;
      return o;
    };
    const std::vector<Offer> base = {make("batch", gpucost::WorkUnit::audio_minute, 0.003),
                                     make("realtime", gpucost::WorkUnit::audio_minute, 0.006),
                                     make("speech", gpucost::WorkUnit::character_1k, 0.1)};
    const auto merged =
        gpucost::merge_offers(base, {make("batch", gpucost::WorkUnit::audio_minute, 0.002)});
    REQUIRE(merged.size() == 3);
    CHECK(merged[0].name == "realtime");
    CHECK(merged[1].name == "speech");
    CHECK(show(merged[2].per_unit.price_per_unit) == "0.002");
  }

  TEST_CASE("a GPU offer has none of the api fields") {
    CHECK(api_error(with(base_offer(), "unit", R"("image")"))
          == R"(c.json:46: offers[1].unit: applies only to an offer of product "api")");
    CHECK(
        api_error(with(base_offer(), "rate_limit_per_minute", "600"))
        == R"(c.json:46: offers[1].rate_limit_per_minute: applies only to an offer of product "api")");
  }
}

TEST_CASE("merge_offers replaces every base offer with an added key and appends the additions") {
  const auto offer =
      [](std::string provider, std::string gpu, int count, std::string region, double price) {
        gpucost::Offer o;
        o.provider = std::move(provider);
        o.product = gpucost::Product::pod;
        o.gpu = std::move(gpu);
        o.gpu_count = count;
        o.region = std::move(region);
        o.price_per_hour = price;
        return o;
      };
  const std::vector<gpucost::Offer> base = {offer("a", "L4", 1, "r1", 1),
                                            offer("a", "L4", 1, "r1", 2), // same key twice
                                            offer("a", "L4", 2, "r1", 3),
                                            offer("b", "L4", 1, "r1", 4),
                                            offer("a", "L4", 1, "r2", 5)};
  const std::vector<gpucost::Offer> additions = {
      offer("a", "L4", 1, "r1", 10), offer("a", "L4", 1, "r1", 11), offer("c", "T4", 1, "r1", 12)};
  const auto merged = gpucost::merge_offers(base, additions);
  std::vector<double> prices;
  for (const auto& o : merged) {
    prices.push_back(*o.price_per_hour);
  }
  CHECK(prices == std::vector<double>{3, 4, 5, 10, 11, 12});
  CHECK(gpucost::merge_offers(base, {}).size() == base.size());
}

namespace {

// What read_json_number gives for `text`, which must be read whole; nullopt when it refuses it.
std::optional<gpucost::JsonNumber> read_number_text(const std::string& text) {
  gpucost::JsonNumber number{};
  const char* end = gpucost::read_json_number(text.data(), text.data() + text.size(), number);
  if (end == nullptr) {
    return std::nullopt;
  }
  REQUIRE_MESSAGE(end == text.data() + text.size(), text);
  return number;
}

// Checks that read_json_number reads `text` as std::from_chars does, bit for bit, and as an
// integer exactly when it is written as one that fits in 64 bits.
void check_as_from_chars(const std::string& text) {
  const char* const end = text.data() + text.size();
  double expected = 0;
  const auto parsed = std::from_chars(text.data(), end, expected);
  const bool written_whole = text.find_first_of(".eE") == std::string::npos;
  std::int64_t whole = 0;
  const bool fits = written_whole && std::from_chars(text.data(), end, whole).ec == std::errc{};
  const auto number = read_number_text(text);
  if (parsed.ec != std::errc{} && !fits) {
    CHECK_MESSAGE(!number, text);
    return;
  }
  REQUIRE_MESSAGE(number.has_value(), text);
  if (fits) {
    expected = static_cast<double>(whole); // "-0" is +0, as nlohmann reads it
    CHECK_MESSAGE(number->integer == std::optional<std::int64_t>(whole), text);
  } else {
    CHECK_MESSAGE(!number->integer, text);
  }
  CHECK_MESSAGE(std::bit_cast<std::uint64_t>(number->value)
                    == std::bit_cast<std::uint64_t>(expected),
                text << ": " << number->value << " instead of " << expected);
}

// A random decimal in JSON spelling, mostly near the edges of the one-operation fast path: 15 to
// 20 digits, powers of ten around 22 either way, mantissas around 2^53.
std::string random_decimal(std::mt19937_64& random) {
  const auto digits = [&](std::size_t count, bool leading_zero_allowed) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) {
      const auto first = i == 0 && !leading_zero_allowed ? 1U : 0U;
      text += static_cast<char>('0' + first + random() % (10 - first));
    }
    return text;
  };
  std::string text = random() % 4 == 0 ? "-" : "";
  const std::size_t total = random() % 3 == 0 ? random() % 24 : 14 + random() % 7;
  const std::size_t whole_digits = random() % (total + 1);
  text += whole_digits == 0 ? "0" : digits(whole_digits, false);
  if (total > whole_digits || random() % 2 == 0) {
    text += "." + digits(std::max<std::size_t>(1, total - whole_digits), true);
  }
  if (random() % 2 == 0) {
    const auto power = static_cast<int>(random() % 61) - 30;
    text += fmt::format(
        "{}{}{}", random() % 2 == 0 ? "e" : "E", power >= 0 && random() % 2 == 0 ? "+" : "", power);
  }
  return text;
}

} // namespace

TEST_SUITE("read_json_number") {
  TEST_CASE("reads every number bit for bit as std::from_chars does") {
    for (const std::string text : {"0",
                                   "-0",
                                   "0.0",
                                   "-0.0",
                                   "0e5",
                                   "-0e-5",
                                   "1",
                                   "0.1",
                                   "0.59",
                                   "2.5e1",
                                   "1E-3",
                                   "3e+2",
                                   "9007199254740992",
                                   "9007199254740993",
                                   "9007199254740993.0",
                                   "9007199254740992.0",
                                   "900719925474099.3",
                                   "900719925474099.35",
                                   "1e22",
                                   "1e23",
                                   "1e-22",
                                   "1e-23",
                                   "0.1e-22",
                                   "0.1e-21",
                                   "123456789012345678e-5",
                                   "1234567890123456789e-5",
                                   "12345678901234567890e-5",
                                   "0.1000000000000000055511151231257827",
                                   "999999999999999999",
                                   "9223372036854775807",
                                   "-9223372036854775808",
                                   "9223372036854775808",
                                   "18446744073709551616",
                                   "1.7976931348623157e308",
                                   "5e-324",
                                   "2.2250738585072014e-308",
                                   "1e999",
                                   "1e-999",
                                   "1e99999999999999999999"}) {
      check_as_from_chars(text);
    }
    std::mt19937_64 random(20261202);
    const int count = gpucost::test::scaled(200000);
    for (int i = 0; i < count; ++i) {
      check_as_from_chars(random_decimal(random));
    }
  }

  TEST_CASE("reads only the JSON grammar, and stops where the number does") {
    for (const std::string text : {"", "-", "+1", ".5", "1.", "1.e5", "1e", "1e+", "-a", "--1"}) {
      CHECK_MESSAGE(!read_number_text(text), text);
    }
    gpucost::JsonNumber number{};
    const std::string text = "01, 2";
    CHECK(gpucost::read_json_number(text.data(), text.data() + text.size(), number)
          == text.data() + 1);
    CHECK(number.integer == std::optional<std::int64_t>(0));
  }
}

} // namespace gpucost_test_catalog
