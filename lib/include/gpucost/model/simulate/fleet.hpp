#pragma once

// Fleets in compare: a serverless keep-alive option that one worker cannot carry comfortably is
// priced as the platform runs it, with as many workers as the load needs (cost-model.md: B >= 0.5).

#include <gpucost/model/cost_model.hpp>
#include <gpucost/util/error.hpp>

#include <optional>

namespace gpucost {

// Jobs each fleet estimate simulates: two seeds differ by well under 1% in cost per job.
inline constexpr double k_fleet_jobs = 100000;

// The seed of every fleet estimate, so that compare stays deterministic.
inline constexpr unsigned k_fleet_seed = 1;

// B, the share of time one keep-alive worker is busy or starting (cost-model.md), for Poisson
// arrivals at the workload's volume; empty without a volume or with sparse traffic.
std::optional<double> one_worker_busy_share(const ModelOption& option,
                                            const ModelWorkload& workload);

// Whether a serverless keep-alive row is priced as a fleet: Poisson volume and B >= 0.5.
bool needs_fleet(const ModelOption& option, const ModelWorkload& workload);

// λS, the workers a fleet keeps busy on average (jobs a second times job seconds), for Poisson
// arrivals at the workload's volume; empty without a volume or with sparse traffic.
std::optional<double> fleet_busy_workers(const ModelWorkload& workload);

// Prices the option as a fleet scaled per request (FIFO, newest idle worker first, each worker
// stopping T after its last job), simulating k_fleet_jobs Poisson jobs with fixed S and C under
// k_fleet_seed, with at most option.max_workers at once (none: unlimited). The estimate carries
// mean_workers, peak_workers and a note saying it was simulated and, under a cap, how many jobs
// the cap made wait. Fails when the load needs more workers than the cap (λS >= max_workers: the
// queue would grow without end), and as estimate_cost does on bad input.
Expected<Estimate> estimate_fleet(const ModelOption& option, const ModelWorkload& workload);

// A cost per job that estimate_fleet's is sure not to fall below (the execution alone, less a
// margin for rounding, plus egress), when estimate_fleet is sure to succeed for the option; empty
// when it may fail. Costs microseconds where estimate_fleet simulates: a ranking that shows only
// the cheapest rows need not simulate a fleet whose floor is above them.
std::optional<double> fleet_cost_floor(const ModelOption& option, const ModelWorkload& workload);

} // namespace gpucost
