#pragma once

// The scaling policies, caps and step tables of the simulator (docs/simulate.md).

#include <gpucost/util/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// How workers are added and removed.
enum class PolicyKind : std::uint8_t {
  keep_alive,    // scale per request; a worker stops after its idle timeout
  request_count, // workers = ceil((queued + running) / value) at each tick
  queue_delay,   // add a worker when the oldest queued job waited longer than value seconds
  queue_steps,   // workers from a step table of pending jobs
  queue_rules,   // add 5 past 50 queued, else 1 past 10; scale down after an empty queue
  fixed_pool,    // N always-on workers
  hybrid,        // N always-on workers plus per-request overflow
};

// What keep-alive does with a job that finds no idle worker: queue it, or start a worker for it.
enum class QueueDiscipline : std::uint8_t { fifo, none };

// Which idle worker a job goes to.
enum class Routing : std::uint8_t { newest, lru, random };

// What happens to arrivals once the monthly budget is spent.
enum class OverBudget : std::uint8_t { queue, reject };

// Spellings used in flags and output ("keep-alive", "fifo", "newest", "queue", ...).
std::string_view to_string(PolicyKind kind);
std::string_view to_string(QueueDiscipline queue);
std::string_view to_string(Routing routing);
std::string_view to_string(OverBudget over_budget);
std::optional<PolicyKind> parse_policy_kind(std::string_view text);
std::optional<QueueDiscipline> parse_queue_discipline(std::string_view text);
std::optional<Routing> parse_routing(std::string_view text);
std::optional<OverBudget> parse_over_budget(std::string_view text);

// One band of a step table: pending jobs q in [q_low, q_high] give workers interpolated linearly
// from workers_low to workers_high and rounded up. An open last band (q_high < 0) gives
// workers_low + ceil((q - q_low + 1) / per_worker), at most workers_high.
struct StepBand {
  std::int64_t q_low = 0;
  std::int64_t q_high = 0; // < 0: open-ended
  int workers_low = 0;
  int workers_high = 0;
  double per_worker = 0; // open band: pending jobs per extra worker
};

// A step table: bands in order, contiguous from q = 0.
struct StepTable {
  std::vector<StepBand> bands;
};

// Checks that bands start at 0, are contiguous and that workers never fall as q rises; the
// message names the band (1-based).
Status validate_step_table(const StepTable& table);

// Seed 002's table (cost-model.md R9): 0 -> 0, 1-10 -> 1, 11-50 -> 2-5, 51-200 -> 5-20, 201+ ->
// 20 + ceil((q - 200) / 10), at most 50.
StepTable seed002_step_table();

// Workers for q pending jobs under `table` (q past a closed last band keeps its top).
int step_workers(const StepTable& table, std::int64_t q);

// Parses a step table CSV "q_low,q_high,workers_low,workers_high[,per_worker]" (q_high empty or
// "+" for an open band), an optional header line, '#' comments; fails naming file, line and field,
// and when the table is not monotone.
Expected<StepTable> parse_step_table(std::string_view text, std::string_view file_name);

// A policy with its parameters; an empty optional takes the policy's default (docs/simulate.md).
struct SimPolicy {
  PolicyKind kind = PolicyKind::keep_alive;
  std::optional<double> idle_timeout_s; // overrides the option's T
  QueueDiscipline queue = QueueDiscipline::fifo;
  Routing routing = Routing::newest;
  std::optional<double> scaler_value; // request-count: jobs per worker (4); queue-delay: s (4)
  StepTable steps;                    // queue-steps (seed002 when empty)
  std::int64_t rule_high_queue = 50;  // queue-rules: more than this queued ...
  int rule_high_add = 5;              // ... adds this many workers
  std::int64_t rule_low_queue = 10;   // else more than this queued ...
  int rule_low_add = 1;               // ... adds this many
  double empty_delay_s = 600;         // queue-rules: empty this long before scaling down
  int min_workers = 0;                // scaler policies: never fewer (started warm at t = 0)
  int workers = 0;                    // fixed-pool, hybrid: always-on workers
  std::optional<double> tick_s;       // scaler period (1 s request/queue policies, 30 s steps
                                      // and rules)
  std::optional<double> cooldown_s;   // queue-steps: scale-down delay (300 s)
};

// The caps every policy obeys.
struct SimCaps {
  std::optional<int> max_workers;             // workers alive at once (starting, idle or busy)
  std::optional<double> max_usd_per_hour;     // spend rate of all alive workers
  std::optional<double> budget_usd_per_month; // spend per 730-hour month
  OverBudget over_budget = OverBudget::queue;
};

// Checks the policy's and caps' numbers; the message names the flag.
Status validate_policy(const SimPolicy& policy, const SimCaps& caps);

} // namespace gpucost
