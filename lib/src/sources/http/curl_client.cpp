// The libcurl HttpClient: the only file that includes <curl/curl.h>.

#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/util/redact.hpp>
#include <gpucost/util/strings.hpp>

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <dlfcn.h>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace gpucost {

namespace {

// Non-2xx bodies of a streamed request are kept for error messages, up to this many bytes.
constexpr std::size_t k_error_body_cap = 64 * 1024;
constexpr long k_max_redirects = 5;
constexpr double k_max_connect_timeout_s = 10;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// curl's messages start with a capital letter; ours are lower case.
std::string lower_first(std::string text) {
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

// libcurl, loaded on first use (dlopen) rather than linked: a command that never fetches (every
// offline run) does not pay for loading libcurl and its dependency tree. The headers still come
// from find_package(CURL); the ABI of libcurl.so.4 is stable.
struct CurlApi {
  bool loaded = false;
  std::string problem; // why it is not loaded
  CURLcode (*global_init)(long) = nullptr;
  CURL* (*easy_init)() = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
  time_t (*getdate)(const char*, const time_t*) = nullptr;
};

template<typename Function> bool load_symbol(void* library, const char* name, Function& function) {
  void* symbol = ::dlsym(library, name);
  // POSIX guarantees that a dlsym result converts to a function pointer.
  std::memcpy(&function, &symbol, sizeof(function));
  return symbol != nullptr;
}

// The loaded library, with curl_global_init done (it is not thread-safe, and every thread may be
// the first to send); loaded once per process.
const CurlApi& curl_api() {
  static const CurlApi api = [] {
    CurlApi loading;
    void* library = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      const char* reason = ::dlerror();
      loading.problem =
          fmt::format("cannot load libcurl (libcurl.so.4): {}", reason ? reason : "not found");
      return loading;
    }
    const bool all = load_symbol(library, "curl_global_init", loading.global_init)
                     && load_symbol(library, "curl_easy_init", loading.easy_init)
                     && load_symbol(library, "curl_easy_setopt", loading.easy_setopt)
                     && load_symbol(library, "curl_easy_getinfo", loading.easy_getinfo)
                     && load_symbol(library, "curl_easy_perform", loading.easy_perform)
                     && load_symbol(library, "curl_easy_cleanup", loading.easy_cleanup)
                     && load_symbol(library, "curl_easy_strerror", loading.easy_strerror)
                     && load_symbol(library, "curl_slist_append", loading.slist_append)
                     && load_symbol(library, "curl_slist_free_all", loading.slist_free_all)
                     && load_symbol(library, "curl_getdate", loading.getdate);
    if (!all) {
      loading.problem = "cannot load libcurl (libcurl.so.4): a function is missing";
      return loading;
    }
    loading.global_init(CURL_GLOBAL_DEFAULT);
    loading.loaded = true;
    return loading;
  }();
  return api;
}

void global_init() {
  curl_api();
}

// Typed wrappers so that curl's variadic setopt/getinfo are called in one place each.
CURLcode set_long(CURL* curl, CURLoption option, long value) {
  return curl_api().easy_setopt(curl, option, value);
}

CURLcode set_string(CURL* curl, CURLoption option, const char* value) {
  return curl_api().easy_setopt(curl, option, value);
}

CURLcode set_pointer(CURL* curl, CURLoption option, void* value) {
  return curl_api().easy_setopt(curl, option, value);
}

CURLcode set_size(CURL* curl, CURLoption option, curl_off_t value) {
  return curl_api().easy_setopt(curl, option, value);
}

CURLcode set_callback(CURL* curl, CURLoption option, curl_write_callback callback) {
  return curl_api().easy_setopt(curl, option, callback);
}

CURLcode set_progress_callback(CURL* curl, curl_xferinfo_callback callback) {
  return curl_api().easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, callback);
}

long get_long(CURL* curl, CURLINFO info) {
  long value = 0;
  return curl_api().easy_getinfo(curl, info, &value) == CURLE_OK ? value : 0;
}

curl_off_t get_size(CURL* curl, CURLINFO info) {
  curl_off_t value = -1;
  return curl_api().easy_getinfo(curl, info, &value) == CURLE_OK ? value : -1;
}

struct EasyDeleter {
  void operator()(CURL* curl) const { curl_api().easy_cleanup(curl); }
};

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_api().slist_free_all(list); }
};

using Clock = std::chrono::steady_clock;

// What one attempt collects while curl runs.
struct Transfer {
  CURL* curl = nullptr;
  const BodySink* sink = nullptr; // streaming when set
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t delivered = 0; // bytes handed to the sink
  bool sink_stopped = false;
  std::size_t max_bytes = 0;    // the body limit of this transfer (0 = none)
  bool too_large = false;       // stopped at max_bytes
  std::exception_ptr exception; // thrown by the sink or an allocation, rethrown after curl returns
  // Stall watch of a streamed transfer: stop when nothing moved for `stall_limit`.
  Clock::duration stall_limit{};
  Clock::time_point last_activity = Clock::now();
  curl_off_t bytes_moved = 0; // body bytes received plus request bytes sent, at the last look
  bool stalled = false;
};

bool is_success(long status) {
  return status >= 200 && status < 300;
}

std::size_t write_callback(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  try {
    if (transfer.sink == nullptr) {
      if (transfer.max_bytes > 0 && transfer.body.size() + length > transfer.max_bytes) {
        transfer.too_large = true;
        return 0; // makes curl stop with CURLE_WRITE_ERROR
      }
      transfer.body.append(data, length);
      return length;
    }
    if (is_success(get_long(transfer.curl, CURLINFO_RESPONSE_CODE))) {
      if (transfer.max_bytes > 0 && transfer.delivered + length > transfer.max_bytes) {
        transfer.too_large = true;
        return 0;
      }
      if (!(*transfer.sink)(std::string_view(data, length))) {
        transfer.sink_stopped = true;
        return 0; // makes curl stop with CURLE_WRITE_ERROR
      }
      transfer.delivered += length;
      // Time in the sink is not time the network stalled.
      transfer.last_activity = Clock::now();
      return length;
    }
    const std::size_t room = k_error_body_cap - std::min(k_error_body_cap, transfer.body.size());
    transfer.body.append(data, std::min(room, length));
    return length;
  } catch (...) {
    transfer.exception = std::current_exception();
    return 0;
  }
}

std::size_t header_callback(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::size_t length = size * count;
  transfer.last_activity = Clock::now(); // a header line is data arriving too
  try {
    const std::string_view line = trim(std::string_view(data, length));
    if (line.starts_with("HTTP/")) {
      // A new response (after a redirect or a 100 Continue): only the last one's headers count.
      transfer.headers.clear();
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      transfer.headers.emplace_back(to_lower(trim(line.substr(0, colon))),
                                    std::string(trim(line.substr(colon + 1))));
    }
  } catch (...) {
    transfer.exception = std::current_exception();
    return 0;
  }
  return length;
}

// Called by curl about once a second, and whenever data moves: the stall watch of a stream.
int progress_callback(void* user,
                      curl_off_t /*dltotal*/,
                      curl_off_t dlnow,
                      curl_off_t /*ultotal*/,
                      curl_off_t ulnow) {
  auto& transfer = *static_cast<Transfer*>(user);
  const auto now = Clock::now();
  if (dlnow + ulnow != transfer.bytes_moved) {
    transfer.bytes_moved = dlnow + ulnow;
    transfer.last_activity = now;
  } else if (now - transfer.last_activity > transfer.stall_limit) {
    transfer.stalled = true;
    return 1; // makes curl stop with CURLE_ABORTED_BY_CALLBACK
  }
  return 0;
}

const std::string* find_header(const std::vector<std::pair<std::string, std::string>>& headers,
                               std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key == name) {
      return &value;
    }
  }
  return nullptr;
}

// Retry-After as seconds from now: delta-seconds or an HTTP date; nullopt when absent or garbled.
std::optional<double> retry_after_s(const HttpResponse& response) {
  const auto* header = find_header(response.headers, "retry-after");
  if (header == nullptr) {
    return std::nullopt;
  }
  const std::string value(trim(*header));
  if (!value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return value.size() > 9 ? 1e9 : std::stod(value);
  }
  const time_t date = curl_api().getdate(value.c_str(), nullptr);
  if (date < 0) {
    return std::nullopt;
  }
  return std::max(0.0, std::difftime(date, std::time(nullptr)));
}

bool is_retryable_status(long status) {
  return status == 429 || (status >= 500 && status < 600);
}

bool is_transient(CURLcode code) {
  switch (code) {
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_PARTIAL_FILE:
  case CURLE_GOT_NOTHING:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
    return true;
  default:
    return false;
  }
}

// Header values that may be credentials, so that no error message can echo them.
std::vector<std::string> request_secrets(const HttpRequest& request) {
  static constexpr std::string_view k_markers[] = {
      "auth", "key", "token", "secret", "cookie", "session", "password"};
  std::vector<std::string> secrets;
  for (const auto& [name, value] : request.headers) {
    const auto lower = to_lower(name);
    if (std::none_of(std::begin(k_markers), std::end(k_markers), [&](std::string_view marker) {
          return lower.find(marker) != std::string::npos;
        })) {
      continue;
    }
    secrets.push_back(value);
    // "Bearer abc": the credential alone may be echoed too.
    if (const auto space = value.find(' '); space != std::string::npos) {
      const auto credential = trim(std::string_view(value).substr(space + 1));
      if (!credential.empty()) {
        secrets.emplace_back(credential);
      }
    }
  }
  return secrets;
}

// The outcome of one attempt: a response, or a transport failure described for a message.
struct AttemptResult {
  std::optional<HttpResponse> response;
  std::string failure; // set when there is no usable response
  bool transient = false;
  std::size_t delivered = 0;
};

class CurlClient final : public HttpClient {
public:
  explicit CurlClient(const HttpOptions& options)
      : m_options(options),
        m_started(Clock::now()
                  - std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(std::max(0.0, options.deadline_spent_s)))) {
    global_init();
  }

  Expected<HttpResponse> send(const HttpRequest& request) override {
    return send_with_retries(request, nullptr);
  }

  Expected<HttpResponse> send_streaming(const HttpRequest& request, const BodySink& sink) override {
    return send_with_retries(request, &sink);
  }

private:
  Expected<HttpResponse> send_with_retries(const HttpRequest& request, const BodySink* sink);
  AttemptResult attempt(const HttpRequest& request, const BodySink* sink) const;
  double backoff_s(int attempt) const;
  // Seconds left before the deadline (never negative), or nullopt when there is none.
  std::optional<double> remaining_s() const;
  // "the 30 s deadline for this provider's requests passed".
  std::string deadline_passed() const;

  HttpOptions m_options;
  Clock::time_point m_started; // the deadline counts from here
};

std::optional<double> CurlClient::remaining_s() const {
  if (!(m_options.deadline_s > 0)) {
    return std::nullopt;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - m_started).count();
  return std::max(0.0, m_options.deadline_s - elapsed);
}

std::string CurlClient::deadline_passed() const {
  return fmt::format("the {:g} s deadline for this provider's requests passed",
                     m_options.deadline_s);
}

double CurlClient::backoff_s(int attempt) const {
  const double delay = m_options.backoff_s * std::pow(2.0, attempt - 1);
  return std::clamp(delay, 0.0, std::max(0.0, m_options.max_backoff_s));
}

Expected<HttpResponse> CurlClient::send_with_retries(const HttpRequest& request,
                                                     const BodySink* sink) {
  const std::string shown_url = redact_url(request.url);
  const auto describe = [&](std::string_view what) {
    return redact_secrets(fmt::format("{} {}: {}", request.method, shown_url, what),
                          request_secrets(request));
  };
  for (const auto& [name, value] : request.headers) {
    if (name.find_first_of("\r\n:") != std::string::npos
        || value.find_first_of("\r\n") != std::string::npos) {
      return make_error(describe(fmt::format("header \"{}\" contains a line break or colon",
                                             redact_secrets(name, request_secrets(request)))));
    }
  }

  if (const auto left = remaining_s(); left && *left <= 0) {
    return make_error(describe(fmt::format("not sent: {}", deadline_passed())));
  }
  const int max_attempts = std::max(1, m_options.max_attempts);
  for (int attempt_number = 1;; ++attempt_number) {
    AttemptResult result = attempt(request, sink);
    const bool last = attempt_number >= max_attempts;
    double delay = backoff_s(attempt_number);
    // A retry that would start at or after the deadline is not made.
    const auto left = remaining_s();
    if (result.response) {
      // The last 429/5xx is returned as a response, so the caller can show its status and body.
      if (last || !is_retryable_status(result.response->status)) {
        return std::move(*result.response);
      }
      if (const auto server_delay = retry_after_s(*result.response)) {
        const double allowed = left ? *left : std::max(0.0, m_options.max_backoff_s);
        if (*server_delay > allowed) {
          // Retrying sooner than the server asked is pointless, and waiting that long is past
          // what this run allows: fail now, naming the wait.
          const std::string limit =
              left ? fmt::format("past this provider's {:g} s deadline ({:.0f} s left)",
                                 m_options.deadline_s,
                                 *left)
                   : fmt::format("longer than the {:g} s this run waits", allowed);
          return make_error(
              describe(fmt::format("HTTP {}: the server asks to retry after {:g} s, {}; try "
                                   "again later",
                                   result.response->status,
                                   *server_delay,
                                   limit)));
        }
        delay = std::max(0.0, *server_delay);
      }
      if (left && delay >= *left) {
        return std::move(*result.response);
      }
    } else if (last || !result.transient || result.delivered > 0) {
      // A stream that already reached the sink cannot be restarted without duplicating data.
      if (attempt_number > 1) {
        result.failure += fmt::format(" (gave up after {} attempts)", attempt_number);
      }
      return make_error(describe(result.failure));
    } else if (left && delay >= *left) {
      result.failure += fmt::format(" (gave up after {} attempt{}: {} before another)",
                                    attempt_number,
                                    attempt_number == 1 ? "" : "s",
                                    deadline_passed());
      return make_error(describe(result.failure));
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
  }
}

AttemptResult CurlClient::attempt(const HttpRequest& request, const BodySink* sink) const {
  AttemptResult result;
  if (!curl_api().loaded) {
    result.failure = curl_api().problem;
    return result;
  }
  std::unique_ptr<CURL, EasyDeleter> curl(curl_api().easy_init());
  if (!curl) {
    result.failure = "cannot initialize libcurl";
    return result;
  }
  CURL* handle = curl.get();
  Transfer transfer;
  transfer.curl = handle;
  transfer.sink = sink;
  transfer.max_bytes = sink != nullptr ? m_options.max_stream_bytes : m_options.max_body_bytes;

  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  const auto add_header = [&](const std::string& line) {
    curl_slist* appended = curl_api().slist_append(header_list.get(), line.c_str());
    if (appended != nullptr) {
      static_cast<void>(header_list.release());
      header_list.reset(appended);
    }
  };
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    add_header(value.empty() ? name + ";" : name + ": " + value);
  }
  add_header("Expect:"); // no 100-continue round trip for large bodies

  char error_buffer[CURL_ERROR_SIZE] = {};
  const std::string user_agent = "gpucost/" GPUCOST_VERSION;
  // A buffered request must finish within the timeout. A streamed one (a price list of hundreds
  // of MB that legitimately takes minutes) fails when nothing moves for the timeout (checked by
  // progress_callback), and when it has not ended by the deadline. Connecting is limited in both
  // cases; every limit is cut to what is left of the deadline.
  const bool streaming = sink != nullptr;
  const auto to_ms = [](double seconds) { return std::max(1L, std::lround(seconds * 1000)); };
  const long limit_ms = m_options.timeout_s > 0 ? to_ms(m_options.timeout_s) : 0L;
  const auto left = remaining_s();
  const long left_ms = left ? to_ms(*left) : 0L;
  // The smaller of two limits in ms, 0 meaning none.
  const auto tighter = [](long a, long b) { return a == 0 ? b : b == 0 ? a : std::min(a, b); };
  const long own_timeout_ms = streaming ? 0L : limit_ms;
  const long timeout_ms = tighter(own_timeout_ms, left_ms);
  const bool deadline_bound = left_ms != 0 && timeout_ms == left_ms && left_ms != own_timeout_ms;
  const long own_connect_ms =
      m_options.timeout_s > 0 ? to_ms(std::min(m_options.timeout_s, k_max_connect_timeout_s)) : 0L;
  const long connect_timeout_ms = tighter(own_connect_ms, left_ms);
  const bool connect_deadline_bound =
      left_ms != 0 && connect_timeout_ms == left_ms && left_ms != own_connect_ms;
  const bool watch_stalls = streaming && limit_ms > 0;
  transfer.stall_limit = std::chrono::milliseconds(limit_ms);
  transfer.last_activity = Clock::now();

  CURLcode setup = CURLE_OK;
  const auto check = [&](CURLcode code) {
    if (setup == CURLE_OK) {
      setup = code;
    }
  };
  check(set_string(handle, CURLOPT_URL, request.url.c_str()));
  check(set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"));
  check(set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"));
  check(set_long(handle, CURLOPT_FOLLOWLOCATION, 1L));
  check(set_long(handle, CURLOPT_MAXREDIRS, k_max_redirects));
  check(set_long(handle, CURLOPT_NOSIGNAL, 1L)); // no SIGALRM-based DNS timeouts in threads
  check(set_long(handle, CURLOPT_TIMEOUT_MS, timeout_ms));
  check(set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms));
  check(set_long(handle, CURLOPT_SSL_VERIFYPEER, 1L)); // never turned off, whatever the caller
  check(set_long(handle, CURLOPT_SSL_VERIFYHOST, 2L));
  if (!m_options.ca_file.empty()) {
    check(set_string(handle, CURLOPT_CAINFO, m_options.ca_file.c_str()));
  }
  if (!m_options.ca_dir.empty()) {
    check(set_string(handle, CURLOPT_CAPATH, m_options.ca_dir.c_str()));
  }
  check(set_string(handle, CURLOPT_USERAGENT, user_agent.c_str()));
  check(set_string(handle, CURLOPT_ACCEPT_ENCODING, "")); // every encoding curl can decode
  check(set_pointer(handle, CURLOPT_HTTPHEADER, header_list.get()));
  check(set_pointer(handle, CURLOPT_ERRORBUFFER, error_buffer));
  check(set_callback(handle, CURLOPT_WRITEFUNCTION, write_callback));
  check(set_pointer(handle, CURLOPT_WRITEDATA, &transfer));
  check(set_callback(handle, CURLOPT_HEADERFUNCTION, header_callback));
  check(set_pointer(handle, CURLOPT_HEADERDATA, &transfer));
  if (watch_stalls) {
    // Not CURLOPT_LOW_SPEED_LIMIT/TIME: curl averages the speed over its last 5 s or so, so a
    // stall after a burst of data would be noticed only seconds after the limit.
    check(set_long(handle, CURLOPT_NOPROGRESS, 0L));
    check(set_progress_callback(handle, progress_callback));
    check(set_pointer(handle, CURLOPT_XFERINFODATA, &transfer));
  }

  const bool is_head = request.method == "HEAD";
  if (request.method == "GET") {
    check(set_long(handle, CURLOPT_HTTPGET, 1L));
  } else if (is_head) {
    check(set_long(handle, CURLOPT_NOBODY, 1L));
  } else {
    if (request.method != "POST") {
      check(set_string(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str()));
    }
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT"
        || request.method == "PATCH") {
      check(set_string(handle, CURLOPT_POSTFIELDS, request.body.c_str()));
      check(set_size(
          handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size())));
    }
  }
  if (setup != CURLE_OK) {
    result.failure = lower_first(curl_api().easy_strerror(setup));
    return result;
  }

  const CURLcode code = curl_api().easy_perform(handle);
  if (transfer.exception) {
    std::rethrow_exception(transfer.exception);
  }
  result.delivered = transfer.delivered;

  const std::string detail = error_buffer[0] != '\0' ? lower_first(error_buffer)
                                                     : lower_first(curl_api().easy_strerror(code));
  const bool connected = get_size(handle, CURLINFO_CONNECT_TIME_T) > 0;
  const auto connect_failure = [&] {
    return fmt::format("timed out connecting after {:g} s",
                       static_cast<double>(connect_timeout_ms) / 1000);
  };
  if (code == CURLE_ABORTED_BY_CALLBACK && transfer.stalled) {
    if (!connected) {
      result.failure = connect_failure();
    } else {
      const curl_off_t received =
          std::max<curl_off_t>(0, get_size(handle, CURLINFO_SIZE_DOWNLOAD_T));
      const curl_off_t declared = get_size(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T);
      result.failure =
          fmt::format("download stalled: nothing received for {:g} s (after {} {}bytes)",
                      m_options.timeout_s,
                      received,
                      declared >= 0 ? fmt::format("of {} ", declared) : std::string());
    }
    result.transient = true;
    return result;
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    const curl_off_t received = std::max<curl_off_t>(0, get_size(handle, CURLINFO_SIZE_DOWNLOAD_T));
    const curl_off_t declared = get_size(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T);
    if ((!connected && connect_deadline_bound) || (connected && deadline_bound)) {
      // Another attempt would have no time either.
      result.failure =
          connected ? fmt::format("timed out: {} (after {} {}bytes)",
                                  deadline_passed(),
                                  received,
                                  declared >= 0 ? fmt::format("of {} ", declared) : std::string())
                    : fmt::format("timed out connecting: {}", deadline_passed());
      result.transient = false;
      return result;
    }
    result.failure = !connected && (timeout_ms == 0 || connect_timeout_ms < timeout_ms)
                         ? connect_failure()
                         : fmt::format("timed out after {:g} s", m_options.timeout_s);
    result.transient = true;
    return result;
  }
  if (transfer.too_large) {
    result.failure = fmt::format("answer larger than {} MiB (the limit for one answer); stopped",
                                 transfer.max_bytes >> 20);
    result.transient = false;
    return result;
  }
  if (code == CURLE_PARTIAL_FILE) {
    result.failure = fmt::format("response body truncated ({})", detail);
    result.transient = true;
    return result;
  }
  if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && transfer.sink_stopped)) {
    result.failure =
        code == CURLE_COULDNT_CONNECT ? fmt::format("cannot connect ({})", detail) : detail;
    result.transient = is_transient(code);
    return result;
  }

  const long status = get_long(handle, CURLINFO_RESPONSE_CODE);
  // libcurl reports a short body as CURLE_PARTIAL_FILE; this also catches one it let through.
  const bool body_expected = !is_head && status >= 200 && status != 204 && status != 304;
  const curl_off_t declared = get_size(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T);
  const curl_off_t received = get_size(handle, CURLINFO_SIZE_DOWNLOAD_T);
  if (body_expected && !transfer.sink_stopped && declared >= 0 && received != declared) {
    result.failure =
        fmt::format("response body truncated (got {} of {} bytes)", received, declared);
    result.transient = true;
    return result;
  }

  HttpResponse response;
  response.status = status;
  response.body = std::move(transfer.body);
  response.headers = std::move(transfer.headers);
  response.url = redact_url(request.url);
  result.response = std::move(response);
  return result;
}

} // namespace

std::unique_ptr<HttpClient> make_curl_client(const HttpOptions& options) {
  return std::make_unique<CurlClient>(options);
}

} // namespace gpucost
