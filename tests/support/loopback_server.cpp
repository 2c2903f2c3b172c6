#include "loopback_server.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cstdlib>
#include <map>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace gpucost::test {

namespace {

constexpr auto k_poll_slice = std::chrono::milliseconds(50);
constexpr auto k_io_limit = std::chrono::seconds(10); // a stuck client cannot hold a thread longer

std::string to_lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return result;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view reason_phrase(int status) {
  static const std::map<int, std::string_view> k_phrases = {{200, "OK"},
                                                            {204, "No Content"},
                                                            {301, "Moved Permanently"},
                                                            {302, "Found"},
                                                            {400, "Bad Request"},
                                                            {401, "Unauthorized"},
                                                            {403, "Forbidden"},
                                                            {404, "Not Found"},
                                                            {429, "Too Many Requests"},
                                                            {500, "Internal Server Error"},
                                                            {502, "Bad Gateway"},
                                                            {503, "Service Unavailable"}};
  const auto it = k_phrases.find(status);
  return it != k_phrases.end() ? it->second : "Status"; // clients ignore the phrase anyway
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

} // namespace

std::string RecordedRequest::path() const {
  return target.substr(0, target.find('?'));
}

std::string RecordedRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) {
      return value;
    }
  }
  return {};
}

LoopbackServer::LoopbackServer(double idle_limit_s) : m_idle_limit_s(idle_limit_s) {
  // Tests must never leave the machine, not even through a proxy set in the environment.
  ::setenv("no_proxy", "127.0.0.1,localhost", 1);
  ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);

  m_listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (m_listen_fd < 0) {
    throw std::runtime_error("loopback server: socket() failed");
  }
  const int yes = 1;
  ::setsockopt(m_listen_fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  // The sockets API takes every address family through sockaddr*.
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (::bind(m_listen_fd, generic, sizeof address) != 0 || ::listen(m_listen_fd, 64) != 0
      || ::getsockname(m_listen_fd, generic, &length) != 0) {
    ::close(m_listen_fd);
    throw std::runtime_error("loopback server: cannot listen on 127.0.0.1");
  }
  m_port = ntohs(address.sin_port);
  m_acceptor = std::thread([this] { accept_loop(); });
}

LoopbackServer::~LoopbackServer() {
  {
    const std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_stop_signal.notify_all();
  m_acceptor.join();
  // No new connection threads can appear once the acceptor has finished.
  for (auto& connection : m_connections) {
    connection.join();
  }
  ::close(m_listen_fd);
}

std::string LoopbackServer::url() const {
  return "http://127.0.0.1:" + std::to_string(m_port);
}

void LoopbackServer::enqueue(ScriptedResponse response) {
  const std::lock_guard lock(m_mutex);
  m_queue.push_back(std::move(response));
}

void LoopbackServer::route(std::string path, ScriptedResponse response) {
  const std::lock_guard lock(m_mutex);
  m_routes[std::move(path)].push_back(std::move(response));
}

std::vector<RecordedRequest> LoopbackServer::requests() const {
  const std::lock_guard lock(m_mutex);
  return m_requests;
}

std::size_t LoopbackServer::request_count() const {
  const std::lock_guard lock(m_mutex);
  return m_requests.size();
}

bool LoopbackServer::stopping() const {
  const std::lock_guard lock(m_mutex);
  return m_stopping;
}

bool LoopbackServer::wait_for(std::chrono::milliseconds duration) {
  std::unique_lock lock(m_mutex);
  return !m_stop_signal.wait_for(lock, duration, [this] { return m_stopping; });
}

void LoopbackServer::accept_loop() {
  auto last_activity = std::chrono::steady_clock::now();
  const auto idle_limit = std::chrono::duration<double>(m_idle_limit_s);
  while (!stopping() && std::chrono::steady_clock::now() - last_activity < idle_limit) {
    pollfd listener{m_listen_fd, POLLIN, 0};
    if (::poll(&listener, 1, static_cast<int>(k_poll_slice.count())) <= 0) {
      continue;
    }
    const int fd = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    last_activity = std::chrono::steady_clock::now();
    const std::lock_guard lock(m_mutex);
    m_connections.emplace_back([this, fd] {
      serve(fd);
      ::close(fd);
    });
  }
  // Idle or stopping: refuse further connections.
  ::shutdown(m_listen_fd, SHUT_RDWR);
}

ScriptedResponse LoopbackServer::next_response(const RecordedRequest& request) {
  const std::lock_guard lock(m_mutex);
  m_requests.push_back(request);
  if (const auto route = m_routes.find(request.path());
      route != m_routes.end() && !route->second.empty()) {
    ScriptedResponse response = route->second.front();
    if (route->second.size() > 1) {
      route->second.pop_front();
    }
    return response;
  }
  if (!m_queue.empty()) {
    ScriptedResponse response = std::move(m_queue.front());
    m_queue.pop_front();
    return response;
  }
  ScriptedResponse not_found;
  not_found.status = 404;
  not_found.body = "no scripted response for " + request.path();
  return not_found;
}

void LoopbackServer::serve(int fd) {
  const timeval send_limit{static_cast<time_t>(k_io_limit.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_limit, sizeof send_limit);

  // Reads more of the request; false on close, error, stop or the time limit.
  const auto deadline = std::chrono::steady_clock::now() + k_io_limit;
  std::string data;
  const auto read_more = [&] {
    while (!stopping() && std::chrono::steady_clock::now() < deadline) {
      pollfd client{fd, POLLIN, 0};
      const int ready = ::poll(&client, 1, static_cast<int>(k_poll_slice.count()));
      if (ready < 0) {
        return false;
      }
      if (ready == 0) {
        continue;
      }
      char buffer[16384];
      const ssize_t received = ::recv(fd, buffer, sizeof buffer, 0);
      if (received <= 0) {
        return false;
      }
      data.append(buffer, static_cast<std::size_t>(received));
      return true;
    }
    return false;
  };

  std::size_t header_end = std::string::npos;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    if (!read_more()) {
      return;
    }
  }
  RecordedRequest request;
  const std::string_view head = std::string_view(data).substr(0, header_end);
  std::size_t line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  const auto first_space = request_line.find(' ');
  const auto second_space = request_line.find(' ', first_space + 1);
  request.method = std::string(request_line.substr(0, first_space));
  request.target =
      std::string(request_line.substr(first_space + 1, second_space - first_space - 1));
  std::size_t content_length = 0;
  while (line_end != std::string_view::npos) {
    const std::size_t begin = line_end + 2;
    line_end = head.find("\r\n", begin);
    const auto line =
        head.substr(begin, line_end == std::string_view::npos ? head.npos : line_end - begin);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    auto name = to_lower(trim(line.substr(0, colon)));
    auto value = std::string(trim(line.substr(colon + 1)));
    if (name == "content-length") {
      content_length = std::strtoull(value.c_str(), nullptr, 10);
    }
    request.headers.emplace_back(std::move(name), std::move(value));
  }
  const std::size_t body_begin = header_end + 4;
  while (data.size() < body_begin + content_length) {
    if (!read_more()) {
      return;
    }
  }
  request.body = data.substr(body_begin, content_length);

  const ScriptedResponse response = next_response(request);
  if (response.delay_ms > 0 && !wait_for(std::chrono::milliseconds(response.delay_ms))) {
    return;
  }
  if (response.close_without_response) {
    return;
  }
  const bool has_length =
      std::any_of(response.headers.begin(), response.headers.end(), [](const auto& h) {
        return to_lower(h.first) == "content-length";
      });
  std::string head_out = "HTTP/1.1 " + std::to_string(response.status) + " "
                         + std::string(reason_phrase(response.status)) + "\r\n";
  if (!has_length) {
    std::size_t declared = response.body.size() + (response.truncate ? 100 : 0);
    for (const auto& piece : response.pieces) {
      declared += piece.data.size();
    }
    head_out += "Content-Length: " + std::to_string(declared) + "\r\n";
  }
  head_out += "Connection: close\r\n";
  for (const auto& [name, value] : response.headers) {
    head_out += name + ": " + value + "\r\n";
  }
  head_out += "\r\n";
  if (send_all(fd, head_out) && send_all(fd, response.body)) {
    for (const auto& piece : response.pieces) {
      if ((piece.delay_ms > 0 && !wait_for(std::chrono::milliseconds(piece.delay_ms)))
          || !send_all(fd, piece.data)) {
        break;
      }
    }
  }
  ::shutdown(fd, SHUT_WR);
}

} // namespace gpucost::test
