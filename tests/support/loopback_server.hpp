#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace gpucost::test {

// A piece of a body sent after a pause, to make slow or stalling bodies.
struct BodyPiece {
  int delay_ms = 0; // wait this long, then send `data`
  std::string data;
};

// One scripted answer of the loopback server.
struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers; // sent as given, after the defaults
  std::string body;
  int delay_ms = 0;                    // wait this long after reading the request
  bool truncate = false;               // declare 100 bytes more than the body, send it, close
  bool close_without_response = false; // read the request, then close without a byte
  // Sent after `body`, each after its pause; Content-Length counts them (a slow or stalled body).
  std::vector<BodyPiece> pieces;
};

// One request as the server received it.
struct RecordedRequest {
  std::string method;
  std::string target;                                       // path and query as sent
  std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
  std::string body;

  // The target without its query string.
  std::string path() const;
  // The value of the first header called `name` (lower case), "" when there is none.
  std::string header(std::string_view name) const;
};

// An HTTP/1.1 server on 127.0.0.1 at a free port, answering each connection (one request, then
// "Connection: close") on its own thread from a script; it records every request, stops itself
// after `idle_limit_s` without a connection, and stops and joins everything in its destructor.
// Constructing one sets no_proxy/NO_PROXY so that libcurl never sends 127.0.0.1 to a proxy.
class LoopbackServer {
public:
  // Listens at once; throws std::runtime_error when no socket can be opened.
  explicit LoopbackServer(double idle_limit_s = 30);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // The port listened on.
  int port() const { return m_port; }
  // "http://127.0.0.1:<port>".
  std::string url() const;

  // Adds a response served, in order, to requests whose path has no route.
  void enqueue(ScriptedResponse response);
  // Adds a response for requests to `path` (query ignored); a path's responses are served in
  // order and its last one repeats. Unscripted requests get a 404.
  void route(std::string path, ScriptedResponse response);

  // Every request received so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  // How many requests were received so far.
  std::size_t request_count() const;

private:
  void accept_loop();
  void serve(int fd);
  ScriptedResponse next_response(const RecordedRequest& request);
  bool stopping() const;
  // Sleeps up to `duration`, returning early (false) when the server is stopping.
  bool wait_for(std::chrono::milliseconds duration);

  int m_listen_fd = -1;
  int m_port = 0;
  double m_idle_limit_s;
  mutable std::mutex m_mutex;
  std::condition_variable m_stop_signal;
  bool m_stopping = false;
  std::deque<ScriptedResponse> m_queue;
  std::map<std::string, std::deque<ScriptedResponse>> m_routes;
  std::vector<RecordedRequest> m_requests;
  std::vector<std::thread> m_connections;
  std::thread m_acceptor;
};

} // namespace gpucost::test
