// CurlClient against the loopback server: statuses, retries, timeouts, truncation, streaming and
// what error messages may show. Nothing here leaves 127.0.0.1.

#include "loopback_server.hpp"

#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/util/redact.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

// Everything below is this file's own, so that files built together (unity build) never clash.
namespace gpucost_test_curl_client {

using gpucost::HttpOptions;
using gpucost::HttpRequest;
using gpucost::make_curl_client;
using gpucost::test::LoopbackServer;
using gpucost::test::ScriptedResponse;

namespace {

ScriptedResponse reply(int status, std::string body = {}) {
  ScriptedResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// Retries fast, so that the retry tests take milliseconds.
HttpOptions fast_options(int max_attempts = 3) {
  HttpOptions options;
  options.timeout_s = 5;
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

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A port with nothing listening: bound once to find a free one, then closed.
int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  REQUIRE(::bind(fd, generic, sizeof address) == 0);
  REQUIRE(::getsockname(fd, generic, &length) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

const std::string* find_header(const gpucost::HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

} // namespace

TEST_SUITE("curl_client") {
  TEST_CASE("an answer larger than the body limit fails at once, with the limit named") {
    LoopbackServer server;
    server.enqueue(reply(200, std::string((std::size_t{3} << 20), 'x')));
    server.enqueue(reply(200, std::string((std::size_t{3} << 20), 'x')));
    auto options = fast_options();
    options.max_body_bytes = std::size_t{1} << 20;
    options.max_stream_bytes = std::size_t{2} << 20;
    auto client = make_curl_client(options);

    const auto whole = client->send(get(server.url() + "/big"));
    REQUIRE_FALSE(whole);
    CHECK(whole.error().message.find("answer larger than 1 MiB") != std::string::npos);

    std::size_t streamed = 0;
    const auto stream =
        client->send_streaming(get(server.url() + "/big"), [&](std::string_view chunk) {
          streamed += chunk.size();
          return true;
        });
    REQUIRE_FALSE(stream);
    CHECK(stream.error().message.find("answer larger than 2 MiB") != std::string::npos);
    CHECK(streamed <= (std::size_t{2} << 20));
    CHECK(server.request_count() == 2); // not retried
  }

  TEST_CASE("a 200 response returns its body, lower-cased headers and the URL") {
    LoopbackServer server;
    auto response200 = reply(200, "hello");
    response200.headers = {{"X-Price-Source", "test"}};
    server.enqueue(response200);
    auto client = make_curl_client(fast_options());

    const auto response = client->send(get(server.url() + "/hello?region=us"));

    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->body == "hello");
    REQUIRE(find_header(*response, "x-price-source") != nullptr);
    CHECK(*find_header(*response, "x-price-source") == "test");
    CHECK(response->url == server.url() + "/hello?region=us");
    REQUIRE(server.request_count() == 1);
    CHECK(server.requests()[0].target == "/hello?region=us");
  }

  TEST_CASE("a POST sends its body and headers; the User-Agent names gpucost") {
    LoopbackServer server;
    server.enqueue(reply(200, "{}"));
    auto client = make_curl_client(fast_options());
    HttpRequest request;
    request.method = "POST";
    request.url = server.url() + "/api/v0/bundles/";
    request.headers = {{"Content-Type", "application/json"}, {"X-Trace", "abc"}};
    request.body = R"({"limit":3000})";

    const auto response = client->send(request);

    REQUIRE(response);
    CHECK(response->status == 200);
    const auto recorded = server.requests();
    REQUIRE(recorded.size() == 1);
    CHECK(recorded[0].method == "POST");
    CHECK(recorded[0].path() == "/api/v0/bundles/");
    CHECK(recorded[0].body == R"({"limit":3000})");
    CHECK(recorded[0].header("content-type") == "application/json");
    CHECK(recorded[0].header("x-trace") == "abc");
    CHECK(recorded[0].header("user-agent").starts_with("gpucost/"));
    CHECK(recorded[0].header("user-agent") == "gpucost/" GPUCOST_VERSION);
    CHECK(recorded[0].header("accept-encoding").find("gzip") != std::string::npos);
    CHECK(recorded[0].header("expect").empty());
  }

  TEST_CASE("a PUT with a body keeps its method") {
    LoopbackServer server;
    server.enqueue(reply(200, "{}"));
    auto client = make_curl_client(fast_options());
    HttpRequest request;
    request.method = "PUT";
    request.url = server.url() + "/api/v0/search/asks/";
    request.body = R"({"select_cols":["*"]})";

    REQUIRE(client->send(request));
    const auto recorded = server.requests();
    REQUIRE(recorded.size() == 1);
    CHECK(recorded[0].method == "PUT");
    CHECK(recorded[0].body == request.body);
  }

  TEST_CASE("a 404 is a response and is not retried") {
    LoopbackServer server;
    server.route("/missing", reply(404, R"({"msg":"Invalid user key"})"));
    auto client = make_curl_client(fast_options(4));

    const auto response = client->send(get(server.url() + "/missing"));

    REQUIRE(response);
    CHECK(response->status == 404);
    CHECK(response->body == R"({"msg":"Invalid user key"})");
    CHECK(server.request_count() == 1);
  }

  TEST_CASE("a 429 with Retry-After: 1 waits about a second, then retries once") {
    LoopbackServer server;
    auto limited = reply(429, "slow down");
    limited.headers = {{"Retry-After", "1"}};
    server.enqueue(limited);
    server.enqueue(reply(200, "ok"));
    auto options = fast_options();
    options.max_backoff_s = 5; // so that Retry-After is not capped below 1 s
    auto client = make_curl_client(options);

    const auto start = std::chrono::steady_clock::now();
    const auto response = client->send(get(server.url() + "/prices"));
    const double elapsed = seconds_since(start);

    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->body == "ok");
    CHECK(server.request_count() == 2);
    CHECK(elapsed >= 0.95);
    CHECK(elapsed < 3);
  }

  TEST_CASE("a Retry-After longer than the wait allowed fails at once, naming the server's wait") {
    LoopbackServer server;
    auto limited = reply(503);
    limited.headers = {{"Retry-After", "3600"}};
    server.enqueue(limited);
    server.enqueue(reply(200, "ok"));
    auto client = make_curl_client(fast_options()); // max_backoff_s = 0.05

    const auto start = std::chrono::steady_clock::now();
    const auto response = client->send(get(server.url() + "/prices"));

    REQUIRE_FALSE(response);
    CHECK(response.error().message.find("HTTP 503: the server asks to retry after 3600 s")
          != std::string::npos);
    CHECK(server.request_count() == 1);
    CHECK(seconds_since(start) < 1);
  }

  TEST_CASE("a 503 then a 200 is retried into a success") {
    LoopbackServer server;
    server.route("/flaky", reply(503, "busy"));
    server.route("/flaky", reply(200, "fine"));
    auto client = make_curl_client(fast_options());

    const auto response = client->send(get(server.url() + "/flaky"));

    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->body == "fine");
    CHECK(server.request_count() == 2);
  }

  TEST_CASE("500 on every attempt returns the last 500 as a response after max_attempts") {
    LoopbackServer server;
    server.route("/broken", reply(500, "boom"));
    auto client = make_curl_client(fast_options(3));

    const auto response = client->send(get(server.url() + "/broken"));

    REQUIRE(response);
    CHECK(response->status == 500);
    CHECK(response->body == "boom");
    CHECK(server.request_count() == 3);
  }

  TEST_CASE("max_attempts = 1 sends once") {
    LoopbackServer server;
    server.route("/broken", reply(500, "boom"));
    auto client = make_curl_client(fast_options(1));

    const auto response = client->send(get(server.url() + "/broken"));

    REQUIRE(response);
    CHECK(response->status == 500);
    CHECK(server.request_count() == 1);
  }

  TEST_CASE("a server slower than timeout_s gives a \"timed out\" error") {
    LoopbackServer server;
    auto slow = reply(200, "late");
    slow.delay_ms = 3000;
    server.route("/slow", slow);
    auto options = fast_options(1);
    options.timeout_s = 0.5;
    auto client = make_curl_client(options);

    const auto start = std::chrono::steady_clock::now();
    const auto response = client->send(get(server.url() + "/slow"));

    REQUIRE(!response);
    CHECK(response.error().message == "GET " + server.url() + "/slow: timed out after 0.5 s");
    CHECK(seconds_since(start) < 2);
  }

  TEST_CASE("a timeout is retried, and the error says how many attempts were made") {
    LoopbackServer server;
    auto slow = reply(200, "late");
    slow.delay_ms = 3000;
    server.route("/slow", slow);
    auto options = fast_options(2);
    options.timeout_s = 0.3;
    auto client = make_curl_client(options);

    const auto response = client->send(get(server.url() + "/slow"));

    REQUIRE(!response);
    CHECK(response.error().message
          == "GET " + server.url() + "/slow: timed out after 0.3 s (gave up after 2 attempts)");
    CHECK(server.request_count() == 2);
  }

  TEST_CASE("a body shorter than its Content-Length is an error after the retries") {
    LoopbackServer server;
    auto cut = reply(200, "partial body");
    cut.truncate = true;
    server.route("/cut", cut);
    auto client = make_curl_client(fast_options(2));

    const auto response = client->send(get(server.url() + "/cut"));

    REQUIRE(!response);
    const auto& message = response.error().message;
    CHECK(message.starts_with("GET " + server.url() + "/cut: response body truncated"));
    CHECK(message.ends_with("(gave up after 2 attempts)"));
    CHECK(server.request_count() == 2);
  }

  TEST_CASE("a truncated body followed by a good one succeeds") {
    LoopbackServer server;
    auto cut = reply(200, "partial body");
    cut.truncate = true;
    server.route("/cut", cut);
    server.route("/cut", reply(200, "whole body"));
    auto client = make_curl_client(fast_options(2));

    const auto response = client->send(get(server.url() + "/cut"));

    REQUIRE(response);
    CHECK(response->body == "whole body");
  }

  TEST_CASE("a refused connection is an error") {
    const int port = unused_port();
    auto client = make_curl_client(fast_options(2));
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/offers";

    const auto response = client->send(get(url));

    REQUIRE(!response);
    const auto& message = response.error().message;
    CHECK(message.starts_with("GET " + url + ": cannot connect ("));
    CHECK(message.ends_with("(gave up after 2 attempts)"));
  }

  TEST_CASE("a connection closed without a response is an error") {
    LoopbackServer server;
    auto hang_up = reply(200);
    hang_up.close_without_response = true;
    server.route("/hangup", hang_up);
    auto client = make_curl_client(fast_options(2));

    const auto response = client->send(get(server.url() + "/hangup"));

    REQUIRE(!response);
    CHECK(response.error().message.starts_with("GET " + server.url() + "/hangup: "));
    CHECK(server.request_count() == 2);
  }

  TEST_CASE("redirects are followed") {
    LoopbackServer server;
    auto moved = reply(302);
    moved.headers = {{"Location", "/new"}};
    server.route("/old", moved);
    server.route("/new", reply(200, "here"));
    auto client = make_curl_client(fast_options());

    const auto response = client->send(get(server.url() + "/old"));

    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->body == "here");
  }

  TEST_CASE("streaming hands all of a 5 MB body to the sink in pieces") {
    LoopbackServer server;
    std::string big(5 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) {
      big[i] = static_cast<char>('a' + i % 26);
    }
    server.route("/big", reply(200, big));
    auto client = make_curl_client(fast_options());
    std::string received;
    int chunks = 0;

    const auto response =
        client->send_streaming(get(server.url() + "/big"), [&](std::string_view chunk) {
          received += chunk;
          ++chunks;
          return true;
        });

    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->body.empty());
    CHECK(received.size() == big.size());
    CHECK(received == big);
    CHECK(chunks > 1);
  }

  TEST_CASE("streaming stops when the sink returns false") {
    LoopbackServer server;
    server.route("/big", reply(200, std::string(4 * 1024 * 1024, 'x')));
    auto client = make_curl_client(fast_options());
    std::size_t received = 0;

    const auto response =
        client->send_streaming(get(server.url() + "/big"), [&](std::string_view chunk) {
          received += chunk.size();
          return false;
        });

    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(received > 0);
    CHECK(received < 4 * 1024 * 1024);
    CHECK(server.request_count() == 1);
  }

  TEST_CASE("streaming keeps a non-2xx body, capped at 64 KiB, and never calls the sink") {
    LoopbackServer server;
    server.route("/denied", reply(403, std::string(100 * 1024, 'e')));
    auto client = make_curl_client(fast_options());
    bool sink_called = false;

    const auto response =
        client->send_streaming(get(server.url() + "/denied"), [&](std::string_view) {
          sink_called = true;
          return true;
        });

    REQUIRE(response);
    CHECK(response->status == 403);
    CHECK(response->body.size() == 64 * 1024);
    CHECK(!sink_called);
  }

  TEST_CASE("an API key in a header or the query string never appears in an error") {
    const std::string key = "sk-live-0123456789abcdef";
    LoopbackServer server;
    auto slow = reply(200);
    slow.delay_ms = 3000;
    server.route("/slow", slow);
    auto cut = reply(200, "x");
    cut.truncate = true;
    server.route("/cut", cut);
    auto options = fast_options(2);
    options.timeout_s = 0.3;
    auto client = make_curl_client(options);

    const std::string refused_base = "http://127.0.0.1:" + std::to_string(unused_port());
    for (const std::string& base : {server.url() + "/slow", server.url() + "/cut", refused_base}) {
      CAPTURE(base);
      HttpRequest request;
      request.url = base + "?api_key=" + key + "&key=" + key + "&token=" + key + "&region=us";
      request.headers = {{"Authorization", "Bearer " + key}, {"X-Api-Key", key}};

      const auto response = client->send(request);

      REQUIRE(!response);
      const auto& message = response.error().message;
      CAPTURE(message);
      CHECK(message.find(key) == std::string::npos);
      CHECK(message.find("api_key=REDACTED&key=REDACTED&token=REDACTED&region=us")
            != std::string::npos);
    }
    // The server did receive the key: it is sent, only never shown.
    const auto recorded = server.requests();
    REQUIRE(!recorded.empty());
    CHECK(recorded[0].header("authorization") == "Bearer " + key);
    CHECK(recorded[0].header("x-api-key") == key);
  }

  TEST_CASE("a successful response's URL has its query secrets redacted") {
    LoopbackServer server;
    server.enqueue(reply(200, "ok"));
    auto client = make_curl_client(fast_options());

    const auto response = client->send(get(server.url() + "/skus?key=AIzaSECRET&pageSize=5000"));

    REQUIRE(response);
    CHECK(response->url == server.url() + "/skus?key=REDACTED&pageSize=5000");
    CHECK(server.requests()[0].target == "/skus?key=AIzaSECRET&pageSize=5000");
  }

  TEST_CASE("a header value with a line break is refused before sending") {
    LoopbackServer server;
    auto client = make_curl_client(fast_options());
    HttpRequest request = get(server.url() + "/x");
    request.headers = {{"Authorization", "Bearer abc\r\nX-Evil: 1"}};

    const auto response = client->send(request);

    REQUIRE(!response);
    CHECK(response.error().message.find("abc") == std::string::npos);
    CHECK(server.request_count() == 0);
  }

  TEST_CASE("the deadline bounds all of a client's attempts and retries together") {
    LoopbackServer server;
    server.route("/busy", reply(503, "busy"));
    auto options = fast_options(1000);
    options.backoff_s = 0.1;
    options.max_backoff_s = 0.1;
    options.deadline_s = 0.6;
    auto client = make_curl_client(options);

    const auto start = std::chrono::steady_clock::now();
    const auto response = client->send(get(server.url() + "/busy"));

    // The last 503 comes back as a response once no retry can start before the deadline.
    REQUIRE(response);
    CHECK(response->status == 503);
    CHECK(seconds_since(start) < 1.0);
    CHECK(server.request_count() < 10);
    // The deadline is the client's: a request after it is not even sent.
    std::this_thread::sleep_for(std::chrono::milliseconds(700)
                                - (std::chrono::steady_clock::now() - start));
    const auto later = client->send(get(server.url() + "/busy"));
    REQUIRE(!later);
    CHECK(later.error().message.find("not sent: the 0.6 s deadline for this provider's requests "
                                     "passed")
          != std::string::npos);
  }

  TEST_CASE("an answer slower than what is left of the deadline is cut at the deadline") {
    LoopbackServer server;
    auto slow = reply(200, "late");
    slow.delay_ms = 3000;
    server.enqueue(slow);
    auto options = fast_options();
    options.timeout_s = 10; // the per-attempt limit alone would wait for it
    options.deadline_s = 0.4;
    auto client = make_curl_client(options);

    const auto start = std::chrono::steady_clock::now();
    const auto response = client->send(get(server.url() + "/slow"));

    REQUIRE(!response);
    CHECK(response.error().message.find("timed out: the 0.4 s deadline for this provider's "
                                        "requests passed")
          != std::string::npos);
    CHECK(seconds_since(start) < 1.5);
    CHECK(server.request_count() == 1); // no retry: none could finish in time
  }

  TEST_CASE("a Retry-After is honoured up to the deadline, and past it fails at once") {
    LoopbackServer server;
    auto options = fast_options(); // max_backoff_s = 0.05: without a deadline, 1 s is too long
    options.deadline_s = 5;

    SUBCASE("within the deadline: waited for") {
      auto limited = reply(429);
      limited.headers = {{"Retry-After", "1"}};
      server.enqueue(limited);
      server.enqueue(reply(200, "ok"));
      auto client = make_curl_client(options);
      const auto start = std::chrono::steady_clock::now();
      const auto response = client->send(get(server.url() + "/prices"));
      REQUIRE_MESSAGE(response, (response ? "" : response.error().message));
      CHECK(response->status == 200);
      CHECK(seconds_since(start) >= 0.95);
    }
    SUBCASE("past the deadline: fails at once, naming the server's wait") {
      auto limited = reply(503);
      limited.headers = {{"Retry-After", "3600"}};
      server.enqueue(limited);
      server.enqueue(reply(200, "ok"));
      auto client = make_curl_client(options);
      const auto start = std::chrono::steady_clock::now();
      const auto response = client->send(get(server.url() + "/prices"));
      REQUIRE(!response);
      CHECK(response.error().message.find("HTTP 503: the server asks to retry after 3600 s, past "
                                          "this provider's 5 s deadline")
            != std::string::npos);
      CHECK(seconds_since(start) < 1);
      CHECK(server.request_count() == 1);
    }
  }

  TEST_CASE("CURL_CA_BUNDLE's file (HttpOptions::ca_file) is the one TLS verifies with") {
    LoopbackServer server;
    auto options = fast_options(1);
    options.ca_file = "/nonexistent/gpucost-test-ca.pem";
    auto client = make_curl_client(options);

    // The loopback server speaks plain HTTP; what matters is that curl reads this file first.
    const auto response =
        client->send(get("https://127.0.0.1:" + std::to_string(server.port()) + "/x"));

    REQUIRE(!response);
    CHECK(response.error().message.find("/nonexistent/gpucost-test-ca.pem") != std::string::npos);
  }
}

TEST_SUITE("redact") {
  TEST_CASE("redact_url replaces the values of secret query parameters only") {
    using gpucost::redact_url;
    CHECK(redact_url("https://example.com/v1/skus?key=abc&pageSize=5000")
          == "https://example.com/v1/skus?key=REDACTED&pageSize=5000");
    CHECK(redact_url("https://api.runpod.io/graphql?api_key=rp_123")
          == "https://api.runpod.io/graphql?api_key=REDACTED");
    CHECK(redact_url("http://h/p?a=1&APIKEY=x&token=y&access_token=z#frag")
          == "http://h/p?a=1&APIKEY=REDACTED&token=REDACTED&access_token=REDACTED#frag");
    CHECK(redact_url("http://h/p?monkey=1&keys=2&key") == "http://h/p?monkey=1&keys=2&key");
    CHECK(redact_url("http://h/p?key=") == "http://h/p?key=REDACTED");
    CHECK(redact_url("http://h/p") == "http://h/p");
    CHECK(redact_url("http://h/p?") == "http://h/p?");
    CHECK(redact_url("https://user:pass@h:8080/p?q=1") == "https://user:REDACTED@h:8080/p?q=1");
    CHECK(redact_url("https://user@h/p") == "https://user@h/p");
    // Text that contains URLs keeps everything around the redacted values.
    CHECK(redact_url("GET https://h/p?key=abc: timed out (see https://u:pw@h/x?token=t&a=1).")
          == "GET https://h/p?key=REDACTED: timed out (see "
             "https://u:REDACTED@h/x?token=REDACTED&a=1).");
    CHECK(redact_url("GET https://h/p?api_key=abc returned HTTP 401: \"bad\"")
          == "GET https://h/p?api_key=REDACTED returned HTTP 401: \"bad\"");
  }

  TEST_CASE("redact_secrets replaces every occurrence of every secret") {
    using gpucost::redact_secrets;
    const std::vector<std::string> secrets{"s3cr3t", "", "a b/c"};
    CHECK(redact_secrets("key s3cr3t and s3cr3t again", secrets)
          == "key REDACTED and REDACTED again");
    CHECK(redact_secrets("encoded a%20b%2Fc and plain a b/c", secrets)
          == "encoded REDACTED and plain REDACTED");
    CHECK(redact_secrets("nothing here", secrets) == "nothing here");
    CHECK(redact_secrets("", secrets).empty());
  }

  TEST_CASE("a short key is redacted where it stands alone, never inside ordinary words") {
    using gpucost::redact_secrets;
    const std::vector<std::string> secrets{"k"};
    CHECK(redact_secrets("vastai: GET https://h/x?api_key=k returned HTTP 401 (key k unknown)",
                         secrets)
          == "vastai: GET https://h/x?api_key=REDACTED returned HTTP 401 (key REDACTED unknown)");
    CHECK(redact_secrets("skipping the bulk check", secrets) == "skipping the bulk check");
    const std::vector<std::string> long_key{"abcdefgh12"};
    CHECK(redact_secrets("xxabcdefgh12yy", long_key) == "xxREDACTEDyy");
  }
}

} // namespace gpucost_test_curl_client
