#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace gpucost {

// A recoverable failure: a lower-case message that names the subject and, where it helps, a hint.
struct ErrorInfo {
  std::string message;
};

// The error every command catches once at the top: its what() is printed after "gpucost: error: ".
class Error : public std::runtime_error {
public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Wraps an ErrorInfo so that Expected<T> can be built from it without ambiguity.
struct Unexpected {
  ErrorInfo info;
};

// Makes the failure value of an Expected from a message.
inline Unexpected make_error(std::string message) {
  return Unexpected{ErrorInfo{std::move(message)}};
}

// A value or an error: the subset of C++23 std::expected this project uses.
template<typename T> class Expected {
public:
  Expected(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
  Expected(Unexpected error) : m_state(std::in_place_index<1>, std::move(error.info)) {}

  bool has_value() const { return m_state.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    check();
    return std::get<0>(m_state);
  }
  const T& value() const& {
    check();
    return std::get<0>(m_state);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(m_state));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; only valid when has_value() is false.
  const ErrorInfo& error() const { return std::get<1>(m_state); }

private:
  void check() const {
    if (!has_value()) {
      throw Error(std::get<1>(m_state).message);
    }
  }
  std::variant<T, ErrorInfo> m_state;
};

// The value of an operation that succeeds with nothing to say.
struct Ok {};

// Success or an error, for operations that produce no value.
using Status = Expected<Ok>;

// Returns early from a function returning an Expected when `expr` (an Expected) holds an error.
#define GPUCOST_TRY(expr)                                                                          \
  do {                                                                                             \
    if (auto gpucost_try_result = (expr); !gpucost_try_result) {                                   \
      return ::gpucost::Unexpected{gpucost_try_result.error()};                                    \
    }                                                                                              \
  } while (false)

#define GPUCOST_TRY_CONCAT_INNER(a, b) a##b
#define GPUCOST_TRY_CONCAT(a, b) GPUCOST_TRY_CONCAT_INNER(a, b)

// The assigning twin of GPUCOST_TRY: evaluates `expr` (an Expected); on an error returns it from
// the enclosing function, else moves its value into `lhs`, which may declare a variable
// (`GPUCOST_TRY_ASSIGN(auto rows, read_rows(text));`).
#define GPUCOST_TRY_ASSIGN(lhs, expr)                                                              \
  auto GPUCOST_TRY_CONCAT(gpucost_try_value_, __LINE__) = (expr);                                  \
  if (!GPUCOST_TRY_CONCAT(gpucost_try_value_, __LINE__)) {                                         \
    return ::gpucost::Unexpected{GPUCOST_TRY_CONCAT(gpucost_try_value_, __LINE__).error()};        \
  }                                                                                                \
  lhs = std::move(*GPUCOST_TRY_CONCAT(gpucost_try_value_, __LINE__))

// Returns the value of an Expected, or throws gpucost::Error with its message (for the CLI edge).
template<typename T> T value_or_throw(Expected<T> expected) {
  if (!expected) {
    throw Error(expected.error().message);
  }
  return std::move(*expected);
}

} // namespace gpucost
