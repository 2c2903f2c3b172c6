// The timeout of streamed downloads, against the loopback server: a stream may take longer than
// the timeout as long as data keeps coming, and fails, with a clear message free of secrets, when
// nothing arrives for longer than the timeout. Buffered requests keep their whole-transfer limit.
// The tests assert on outcomes and messages, never on speed.

#include "loopback_server.hpp"
#include "temp_dir.hpp"

#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/sources/refresh.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_stream_timeout {

namespace fs = std::filesystem;
using gpucost::HttpOptions;
using gpucost::HttpRequest;
using gpucost::make_curl_client;
using gpucost::test::BodyPiece;
using gpucost::test::LoopbackServer;
using gpucost::test::ScriptedResponse;

namespace {

// One attempt unless asked, with a short timeout: the limit on a pause in a stream.
HttpOptions options_with_timeout(double timeout_s, int max_attempts = 1) {
  HttpOptions options;
  options.timeout_s = timeout_s;
  options.max_attempts = max_attempts;
  options.backoff_s = 0.01;
  options.max_backoff_s = 0.05;
  return options;
}

HttpRequest get(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  return request;
}

// A 200 whose body is `first` at once, then `pieces` each after `pause_ms`.
ScriptedResponse trickle(std::string first, const std::vector<std::string>& pieces, int pause_ms) {
  ScriptedResponse response;
  response.body = std::move(first);
  for (const auto& piece : pieces) {
    response.pieces.push_back(BodyPiece{pause_ms, piece});
  }
  return response;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

using gpucost::test::TempDir;

std::string fixture(const std::string& relative) {
  std::ifstream file(std::string(GPUCOST_TEST_FIXTURES) + "/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(file, "missing fixture " << relative);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

} // namespace

TEST_SUITE("stream_timeout") {
  TEST_CASE("a stream that keeps moving may take longer than the timeout") {
    LoopbackServer server;
    // 2.4 s in all, never more than 0.3 s without data, against a 1 s timeout.
    const std::vector<std::string> pieces(8, std::string(1000, 'x'));
    server.route("/slow.csv", trickle("header\n", pieces, 300));
    auto client = make_curl_client(options_with_timeout(1));
    std::string received;

    const auto start = std::chrono::steady_clock::now();
    const auto response =
        client->send_streaming(get(server.url() + "/slow.csv"), [&](std::string_view chunk) {
          received += chunk;
          return true;
        });
    const double elapsed = seconds_since(start);

    REQUIRE_MESSAGE(response, (response ? "" : response.error().message));
    CHECK(response->status == 200);
    CHECK(received == "header\n" + std::string(8000, 'x'));
    // The server's pauses make the transfer outlast the timeout: a whole-transfer limit would
    // have failed it.
    CHECK(elapsed > 1);
    CHECK(server.request_count() == 1);
  }

  TEST_CASE("a stream that keeps moving still ends at the deadline: a total limit, not a stall") {
    LoopbackServer server;
    // A 1-byte trickle, a piece every 100 ms for 4 s: never a stall against the 1 s timeout.
    const std::vector<std::string> pieces(40, std::string(1, 'x'));
    server.route("/trickle.csv", trickle("header\n", pieces, 100));
    auto options = options_with_timeout(1, 3);
    options.deadline_s = 0.8;
    auto client = make_curl_client(options);
    std::size_t received = 0;

    const auto start = std::chrono::steady_clock::now();
    const auto response =
        client->send_streaming(get(server.url() + "/trickle.csv"), [&](std::string_view chunk) {
          received += chunk.size();
          return true;
        });

    REQUIRE(!response);
    CHECK(response.error().message.find("timed out: the 0.8 s deadline for this provider's "
                                        "requests passed (after ")
          != std::string::npos);
    CHECK(received > 7); // it was moving
    CHECK(seconds_since(start) < 2);
    CHECK(server.request_count() == 1);
  }

  TEST_CASE("a stream that stalls longer than the timeout fails, naming the URL but not the key") {
    const std::string key = "sk-live-STALL-0123456789";
    LoopbackServer server;
    // 10 bytes, then nothing for 30 s (the server's pause ends early when the test ends).
    server.route("/offers.csv", trickle("0123456789", {"never sent"}, 30000));
    auto client = make_curl_client(options_with_timeout(1, 3));
    HttpRequest request = get(server.url() + "/offers.csv?api_key=" + key + "&region=us");
    request.headers = {{"Authorization", "Bearer " + key}};
    std::string received;

    const auto response = client->send_streaming(request, [&](std::string_view chunk) {
      received += chunk;
      return true;
    });

    REQUIRE(!response);
    const auto& message = response.error().message;
    CHECK(message
          == "GET " + server.url()
                 + "/offers.csv?api_key=REDACTED&region=us: download stalled: nothing received "
                   "for 1 s (after 10 of 20 bytes)");
    CHECK(message.find(key) == std::string::npos);
    CHECK(received == "0123456789");
    // Part of the body reached the sink, so the stream is not restarted (it would repeat data).
    CHECK(server.request_count() == 1);
  }

  TEST_CASE("a stream silent from the start is retried, then fails") {
    LoopbackServer server;
    ScriptedResponse silent;
    silent.body = "late";
    silent.delay_ms = 30000; // no status line for 30 s
    server.route("/silent.csv", silent);
    auto client = make_curl_client(options_with_timeout(0.5, 2));
    bool sink_called = false;

    const auto response =
        client->send_streaming(get(server.url() + "/silent.csv"), [&](std::string_view) {
          sink_called = true;
          return true;
        });

    REQUIRE(!response);
    CHECK(response.error().message
          == "GET " + server.url()
                 + "/silent.csv: download stalled: nothing received for 0.5 s (after 0 bytes) "
                   "(gave up after 2 attempts)");
    CHECK(!sink_called);
    CHECK(server.request_count() == 2);
  }

  TEST_CASE("a buffered request keeps its whole-transfer timeout, however steady its body") {
    LoopbackServer server;
    const std::vector<std::string> pieces(20, "y");
    server.route("/page.json", trickle("[", pieces, 100)); // 2 s, never more than 0.1 s idle
    auto client = make_curl_client(options_with_timeout(0.5));

    const auto response = client->send(get(server.url() + "/page.json"));

    REQUIRE(!response);
    CHECK(response.error().message == "GET " + server.url() + "/page.json: timed out after 0.5 s");
  }

  TEST_CASE("a stalled AWS price list fails the refresh with a message naming aws and the URL") {
    const std::string csv_path = "/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.csv";
    const std::string csv = fixture("aws/offers-us-east-1.csv");
    REQUIRE(csv.size() > 4000);
    LoopbackServer server;
    server.route(csv_path, trickle(csv.substr(0, 4000), {csv.substr(4000)}, 30000));
    TempDir temp;
    const auto providers = gpucost::make_providers();
    const gpucost::Provider* aws = nullptr;
    for (const auto& provider : providers) {
      if (provider->id() == "aws") {
        aws = provider.get();
      }
    }
    REQUIRE(aws != nullptr);
    gpucost::RefreshOptions options;
    options.cache_dir = temp.path();
    options.now = "2026-11-23T12:00:00Z";
    options.data_dir = std::string(GPUCOST_SOURCE_DIR) + "/data";
    options.regions = {"us-east-1"};
    const std::map<std::string, std::string, std::less<>> env{{"GPUCOST_AWS_URL", server.url()}};
    options.env = [env](std::string_view name) -> std::optional<std::string> {
      const auto it = env.find(name);
      return it != env.end() ? std::optional<std::string>(it->second) : std::nullopt;
    };
    const std::vector<const gpucost::Provider*> chosen{aws};

    const auto statuses = gpucost::refresh_providers(
        chosen, [] { return make_curl_client(options_with_timeout(1)); }, options);

    REQUIRE(statuses.size() == 1);
    CHECK(!statuses[0].ok);
    CHECK(statuses[0].error
          == "aws: GET " + server.url() + csv_path
                 + ": download stalled: nothing received for 1 s (after 4000 of "
                 + std::to_string(csv.size()) + " bytes)");
    CHECK(!fs::exists(temp.path() / "aws.json"));
    CHECK(server.request_count() == 1);
  }
}

} // namespace gpucost_test_stream_timeout
