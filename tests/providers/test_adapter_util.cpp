// Helpers shared by the provider adapters: JSON reading, line/column of parse errors, units, GPU
// resolution and the HTTP status -> message mapping.

#include "provider_test_util.hpp"

#include <gpucost/sources/providers/adapter_util.hpp>

#include <doctest/doctest.h>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_adapter_util {

using gpucost::HttpCallInfo;
using gpucost::HttpRequest;
using gpucost::HttpResponse;

namespace {

HttpResponse response(long status, std::string body) {
  HttpResponse answer;
  answer.status = status;
  answer.body = std::move(body);
  return answer;
}

HttpRequest get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

} // namespace

TEST_SUITE("adapter_util") {
  TEST_CASE("json_number reads numbers and numeric strings, nothing else") {
    using nlohmann::json;
    CHECK(gpucost::json_number(json(2.5)) == 2.5);
    CHECK(gpucost::json_number(json(149)) == 149);
    CHECK(gpucost::json_number(json("149")) == 149);
    CHECK(gpucost::json_number(json(" 0.0043 ")) == doctest::Approx(0.0043));
    CHECK(gpucost::json_number(json("+3")) == 3);
    CHECK(!gpucost::json_number(json("+-3")));
    CHECK(!gpucost::json_number(json("")));
    CHECK(!gpucost::json_number(json("12 GB")));
    CHECK(!gpucost::json_number(json("nan")));
    CHECK(!gpucost::json_number(json(nullptr)));
    CHECK(!gpucost::json_number(json(true)));
    CHECK(!gpucost::json_number(json::array()));
  }

  TEST_CASE("field readers never throw on the wrong type") {
    const auto object = nlohmann::json::parse(
        R"({"price": 0, "name": 3, "flag": "true", "nested": {"a": 1}, "n": null})");
    CHECK(gpucost::number_field(object, "price") == 0);
    CHECK(!gpucost::positive_number_field(object, "price"));
    CHECK(!gpucost::string_field(object, "name"));
    CHECK(!gpucost::bool_field(object, "flag"));
    CHECK(!gpucost::number_field(object, "n"));
    CHECK(!gpucost::number_field(object, "missing"));
    CHECK(!gpucost::number_field(nlohmann::json::array({1}), "price"));
    CHECK(gpucost::find_field(object, "nested") != nullptr);
    CHECK(gpucost::find_field(nlohmann::json(5), "nested") == nullptr);
  }

  TEST_CASE("line_and_column counts from 1 and points past the end for truncated text") {
    CHECK(gpucost::line_and_column("abc", 1) == std::pair<std::size_t, std::size_t>{1, 1});
    CHECK(gpucost::line_and_column("ab\ncd", 5) == std::pair<std::size_t, std::size_t>{2, 2});
    CHECK(gpucost::line_and_column("ab\n", 4) == std::pair<std::size_t, std::size_t>{2, 1});
  }

  TEST_CASE("units") {
    CHECK(gpucost::mb_to_gb(24000) == doctest::Approx(24));
    CHECK(gpucost::mib_to_gb(1024) == doctest::Approx(1.073741824));
    CHECK(gpucost::gib_to_gb(1) == doctest::Approx(1.073741824));
    CHECK(gpucost::round_to(241.5919, 1) == doctest::Approx(241.6));
  }

  TEST_CASE("resolve_gpu: candidates in order, memory check, one warning per unknown name") {
    const auto context = gpucost::test::test_context("src");
    std::vector<std::string> warnings;
    auto gpu = gpucost::resolve_gpu(
        "x", std::vector<std::string>{"nope", "GeForce RTX 4090"}, context, warnings);
    CHECK(gpu.name == "RTX 4090");
    REQUIRE(gpu.spec != nullptr);
    CHECK(warnings.empty());

    // "A100 SXM4" is the 80 GB card in the test table: a 40 GB one passes it over.
    gpu = gpucost::resolve_gpu("x",
                               std::vector<std::string>{"A100 SXM4", "A100 SXM4 40GB", "A100"},
                               context,
                               warnings,
                               40);
    CHECK(gpu.name == "A100 40GB");

    gpu = gpucost::resolve_gpu("x", "Q RTX 9000", context, warnings);
    CHECK(gpu.name == "Q RTX 9000");
    CHECK(gpu.spec == nullptr);
    gpu = gpucost::resolve_gpu("x", " Q RTX 9000 ", context, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0] == "x: unknown GPU \"Q RTX 9000\" kept as is (add it to data/gpus.json)");

    gpu = gpucost::resolve_gpu(
        "x", std::vector<std::string>{"Foo SXM5", "Foo"}, context, warnings, std::nullopt, "Foo");
    CHECK(gpu.name == "Foo");
    CHECK(warnings.back() == "x: unknown GPU \"Foo\" kept as is (add it to data/gpus.json)");
  }

  TEST_CASE("http_failure maps statuses to lower-case messages with hints") {
    const HttpCallInfo keyed{"runpod", "RUNPOD_API_KEY"};
    const HttpCallInfo keyless{"oci", ""};
    const auto request = get("https://api.example/v1/x?api_key=s3cret&page=2");
    const std::string shown = "https://api.example/v1/x?api_key=REDACTED&page=2";

    CHECK(!gpucost::http_failure(keyed, request, response(200, "{}")));
    CHECK(gpucost::http_failure(keyed, request, response(401, ""))
          == "runpod: GET " + shown
                 + " returned HTTP 401: bad or missing API key (set RUNPOD_API_KEY)");
    CHECK(gpucost::http_failure(keyless, request, response(403, ""))
          == "oci: GET " + shown + " returned HTTP 403: access denied");
    CHECK(gpucost::http_failure(keyed, request, response(404, R"({"msg": "Invalid user key"})"))
          == "runpod: GET " + shown
                 + " returned HTTP 404: bad or missing API key (set RUNPOD_API_KEY) (server said "
                   "\"Invalid user key\")");
    CHECK(gpucost::http_failure(keyed, request, response(404, ""))
          == "runpod: GET " + shown + " returned HTTP 404: not found (check the base URL)");
    CHECK(gpucost::http_failure(keyed, request, response(429, ""))
          == "runpod: GET " + shown + " returned HTTP 429: rate limited; try again later");
    CHECK(gpucost::http_failure(keyed, request, response(503, R"({"errors":[{"message":"down"}]})"))
          == "runpod: GET " + shown
                 + " returned HTTP 503: server error; try again later (server said \"down\")");
    CHECK(gpucost::http_failure(keyed, request, response(502, "\n <html><body>x</body></html>"))
          == "runpod: GET " + shown + ": expected JSON, got an HTML page (HTTP 502)");
    CHECK(gpucost::http_failure(keyed, request, response(200, "<!DOCTYPE html>"))
          == "runpod: GET " + shown + ": expected JSON, got an HTML page (HTTP 200)");
    CHECK(gpucost::http_failure(keyed, request, response(418, ""))
          == "runpod: GET " + shown + " returned HTTP 418: unexpected status");
  }

  TEST_CASE("server_error_message finds the message wherever the API puts it") {
    CHECK(gpucost::server_error_message(R"({"msg": "a"})") == "a");
    CHECK(gpucost::server_error_message(R"({"message": "b"})") == "b");
    CHECK(gpucost::server_error_message(R"({"error": "c"})") == "c");
    CHECK(gpucost::server_error_message(R"({"error": {"code": "x", "message": "d"}})") == "d");
    CHECK(gpucost::server_error_message(R"({"errors": [{"message": "e"}]})") == "e");
    CHECK(gpucost::server_error_message("not json").empty());
    CHECK(gpucost::server_error_message("{}").empty());
  }

  TEST_CASE("join_url, add_bearer") {
    CHECK(gpucost::join_url("http://127.0.0.1:8080/", "/graphql")
          == "http://127.0.0.1:8080/graphql");
    CHECK(gpucost::join_url("https://api.runpod.io", "/graphql")
          == "https://api.runpod.io/graphql");
    HttpRequest request;
    gpucost::add_bearer(request, "");
    CHECK(request.headers.empty());
    gpucost::add_bearer(request, "k");
    REQUIRE(request.headers.size() == 1);
    CHECK(request.headers[0] == std::pair<std::string, std::string>{"Authorization", "Bearer k"});
  }
}

} // namespace gpucost_test_adapter_util
