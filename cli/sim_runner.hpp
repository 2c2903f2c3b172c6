#pragma once

// Runs simulation replications in parallel: the threads live here, the engine stays pure.

#include <gpucost/model/simulate/engine.hpp>

#include <cstdint>
#include <vector>

namespace gpucost::cli {

// Runs `runs` replications of `config` for every option on `threads` threads (0: all cores).
// Replication i of every option is seeded from sim_run_key(seed, i), so every option sees the same
// arrivals and the results do not depend on the thread count. Only replication 0 keeps its
// timeline. Returns results[option][run].
std::vector<std::vector<SimResult>> run_replications(const SimConfig& config,
                                                     const std::vector<SimOption>& options,
                                                     std::uint64_t seed,
                                                     int runs,
                                                     unsigned threads);

} // namespace gpucost::cli
