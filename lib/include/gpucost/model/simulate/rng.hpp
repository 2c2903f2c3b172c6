#pragma once

// Counter-based random numbers for the simulator: a draw is a pure function of (key, item, stream),
// so every option of a replication sees the same arrivals and job sizes (common random numbers)
// and a replication's results do not depend on which thread runs it.

#include <cstdint>

namespace gpucost {

// The splitmix64 finalizer: a bijective 64-bit mix with good avalanche.
constexpr std::uint64_t sim_mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

// The key of replication `run` of a simulation seeded with `seed`.
constexpr std::uint64_t sim_run_key(std::uint64_t seed, std::uint64_t run) {
  return sim_mix64(sim_mix64(seed) ^ sim_mix64(run * 0xd1b54a32d192ed03ULL + 1));
}

// A uniform number in (0, 1]: draw `stream` of item `item` under `key`.
inline double sim_uniform(std::uint64_t key, std::uint64_t item, std::uint64_t stream) {
  const std::uint64_t bits = sim_mix64(key ^ sim_mix64(item * 16 + stream));
  return (static_cast<double>(bits >> 11U) + 1.0) * 0x1.0p-53;
}

} // namespace gpucost
