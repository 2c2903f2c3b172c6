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
  // hundreds of MB that legitimately take minutes) fails when nothing arrives for this long (a
  // stall); its whole transfer is bounded by deadline_s. Connecting is limited to
  // min(timeout_s, 10 s).
  double timeout_s = 30;
  // Seconds for all of this client's requests together, attempts, backoff and waits included,
  // counted from the client's creation (0 = none). Each attempt's limits are cut to what is left;
  // a retry that could not start before it is not made (the last answer or failure is returned,
  // saying so); a Retry-After is honoured only when it ends before it; a stream must end by it.
  double deadline_s = 0;
  // Seconds of the deadline already spent when the client is made (a wait before it, such as for
  // the cache's update lock).
  double deadline_spent_s = 0;
  int max_attempts = 4; // attempts on 429, 5xx and transport errors (1 = no retry)
  double backoff_s = 1; // first retry delay, doubled each time, capped at max_backoff_s
  // Cap on a backoff delay; without a deadline, also the longest Retry-After honoured.
  double max_backoff_s = 30;
  // Largest body `send` accepts (bytes): past it the request fails at once, "answer larger than
  // ...", instead of growing memory without end. 256 MiB: the largest real non-streamed answer
  // (a Vast.ai offer search) is a few MB.
  std::size_t max_body_bytes = std::size_t{256} << 20;
  // Largest body `send_streaming` delivers (bytes): 4 GiB, well above AWS's largest price list.
  std::size_t max_stream_bytes = std::size_t{4} << 30;
  // A file of CA certificates to verify servers with (CURL_CA_BUNDLE or SSL_CERT_FILE), and a
  // directory of them (SSL_CERT_DIR); empty = libcurl's defaults.
  std::string ca_file;
  std::string ca_dir;
};

// Called with each piece of a streamed body; return false to stop the transfer.
using BodySink = std::function<bool(std::string_view chunk)>;

// Sends HTTP requests; CurlClient is the real one, tests run it against a loopback server.
// send and send_streaming may be called from several threads at once (AWS fetches its regions
// concurrently), sharing one deadline.
class HttpClient {
public:
  virtual ~HttpClient() = default;

  // Sends a request (retrying per HttpOptions) and returns the final response; fails only when
  // no response arrived (DNS, connect, TLS, timeout, truncated body), with a message free of
  // secrets.
  virtual Expected<HttpResponse> send(const HttpRequest& request) = 0;

  // Like send, but hands the body to `sink` as it arrives instead of keeping it (for files of
  // hundreds of MB); the returned response has an empty body. Only 2xx bodies reach the sink.
  // timeout_s limits the longest pause without data; deadline_s, the length of the transfer.
  virtual Expected<HttpResponse> send_streaming(const HttpRequest& request,
                                                const BodySink& sink) = 0;
};

// The libcurl client: TLS verification always on (against options.ca_file / ca_dir when set),
// proxy variables honoured, User-Agent "gpucost/<version>". Its deadline starts now.
std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options);

} // namespace gpucost
