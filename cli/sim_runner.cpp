#include "sim_runner.hpp"

#include <gpucost/model/simulate/rng.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace gpucost::cli {

std::vector<std::vector<SimResult>> run_replications(const SimConfig& config,
                                                     const std::vector<SimOption>& options,
                                                     std::uint64_t seed,
                                                     int runs,
                                                     unsigned threads) {
  const auto run_count = static_cast<std::size_t>(std::max(runs, 1));
  std::vector<std::vector<SimResult>> results(options.size(), std::vector<SimResult>(run_count));
  SimConfig without_timeline = config;
  without_timeline.timeline = false;
  const std::size_t tasks = options.size() * run_count;
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&] {
    for (std::size_t task = next++; task < tasks; task = next++) {
      const std::size_t option = task / run_count;
      const std::size_t run = task % run_count;
      try {
        results[option][run] = simulate_run(
            run == 0 ? config : without_timeline, options[option], sim_run_key(seed, run));
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        failure = std::current_exception();
      }
    }
  };
  unsigned count = threads == 0 ? std::max(1U, std::thread::hardware_concurrency()) : threads;
  count = static_cast<unsigned>(std::min<std::size_t>(count, tasks));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < count; ++i) {
    pool.emplace_back(work);
  }
  work();
  for (auto& thread : pool) {
    thread.join();
  }
  if (failure) {
    std::rethrow_exception(failure);
  }
  return results;
}

} // namespace gpucost::cli
