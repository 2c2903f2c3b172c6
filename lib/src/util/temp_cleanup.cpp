#include <gpucost/util/temp_cleanup.hpp>

#include <array>
#include <atomic>
#include <csignal>
#include <cstring>
#include <mutex>
#include <unistd.h>

namespace gpucost {

namespace {

constexpr int k_slots = 64;
constexpr std::size_t k_path_bytes = 4096;

// Each slot: 0 free, 1 being filled, 2 holding a path the handler may unlink.
std::array<std::atomic<int>, k_slots> g_state{};
std::array<std::array<char, k_path_bytes>, k_slots> g_paths{};

extern "C" void remove_temporaries_and_reraise(int signal_number) {
  for (int i = 0; i < k_slots; ++i) {
    if (g_state[static_cast<std::size_t>(i)].load() == 2) {
      ::unlink(g_paths[static_cast<std::size_t>(i)].data()); // async-signal-safe
    }
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

} // namespace

void install_temporary_cleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction action {};
      action.sa_handler = remove_temporaries_and_reraise;
      sigemptyset(&action.sa_mask);
      action.sa_flags = 0;
      struct sigaction previous {};
      // Leave a signal ignored by the parent (nohup) ignored.
      if (::sigaction(signal_number, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) {
        continue;
      }
      ::sigaction(signal_number, &action, nullptr);
    }
  });
}

int register_temporary(const char* path) {
  const std::size_t length = std::strlen(path);
  if (length >= k_path_bytes) {
    return -1;
  }
  for (int i = 0; i < k_slots; ++i) {
    auto& state = g_state[static_cast<std::size_t>(i)];
    int expected = 0;
    if (state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_paths[static_cast<std::size_t>(i)].data(), path, length + 1);
      state.store(2);
      return i;
    }
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot >= 0 && slot < k_slots) {
    g_state[static_cast<std::size_t>(slot)].store(0);
  }
}

} // namespace gpucost
