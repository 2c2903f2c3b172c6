#pragma once

#include <gpucost/util/error.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpucost {

// One HTTP request. Header values may hold secrets: they are sent, never logged or printed.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// One HTTP response; any status is a response (a 404 is not an error at this level).
struct HttpResponse {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
  std::string url; // the URL asked for, without query secrets
};

// Network behaviour shared by every request of one client.
struct HttpOptions {
  // Seconds, per attempt (0 = none). `send` must finish within it. `send_streaming` (files of
  // hundreds of MB that legitimately take minutes) has no whole-transfer limit: it fails only when
  // nothing arrives for this long (a stall). Connecting is limited to min(timeout_s, 10 s).
  double timeout_s = 30;
  int max_attempts = 4;      // attempts on 429, 5xx and transport errors (1 = no retry)
  double backoff_s = 1;      // first retry delay, doubled each time, capped at max_backoff_s
  double max_backoff_s = 30; // cap; Retry-After is honoured up to this
  // Largest body `send` accepts (bytes): past it the request fails at once, "answer larger than
  // ...", instead of growing memory without end. 256 MiB: the largest real non-streamed answer
  // (a Vast.ai offer search) is a few MB.
  std::size_t max_body_bytes = std::size_t{256} << 20;
  // Largest body `send_streaming` delivers (bytes): 4 GiB, well above AWS's largest price list.
  std::size_t max_stream_bytes = std::size_t{4} << 30;
};

// Called with each piece of a streamed body; return false to stop the transfer.
using BodySink = std::function<bool(std::string_view chunk)>;

// Sends HTTP requests; CurlClient is the real one, tests run it against a loopback server.
class HttpClient {
public:
  virtual ~HttpClient() = default;

  // Sends a request (retrying per HttpOptions) and returns the final response; fails only when
  // no response arrived (DNS, connect, TLS, timeout, truncated body), with a message free of
  // secrets.
  virtual Expected<HttpResponse> send(const HttpRequest& request) = 0;

  // Like send, but hands the body to `sink` as it arrives instead of keeping it (for files of
  // hundreds of MB); the returned response has an empty body. Only 2xx bodies reach the sink.
  // timeout_s limits the longest pause without data, not the length of the transfer.
  virtual Expected<HttpResponse> send_streaming(const HttpRequest& request,
                                                const BodySink& sink) = 0;
};

// The libcurl client: TLS verification always on, proxy variables honoured, User-Agent
// "gpucost/<version>".
std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options);

} // namespace gpucost
