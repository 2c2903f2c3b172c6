#include <gpucost/model/simulate/engine.hpp>
#include <gpucost/model/simulate/rng.hpp>
#include <gpucost/model/units.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cmath>
#include <limits>

namespace gpucost {

namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();
constexpr double k_minute_s = 60;
constexpr double k_max_horizon_s = 10 * k_seconds_per_year;
constexpr double k_max_arrivals = 1e8;
constexpr std::uint64_t k_worker_stream = 0x5bd1e995f00dULL; // key offset for scaler starts

// Draw streams of one job.
enum JobStream : std::uint64_t {
  k_service_1 = 0,
  k_service_2 = 1,
  k_cold_1 = 2,
  k_cold_2 = 3,
  k_cold_service_1 = 4,
  k_cold_service_2 = 5,
  k_route = 6,
};

enum class EventType : std::uint8_t { ready, done, expire };

struct Event {
  double t;
  std::uint32_t worker;
  std::uint32_t gen;
  EventType type;
};

struct EventLater {
  bool operator()(const Event& a, const Event& b) const { return a.t > b.t; }
};

enum class WorkerState : std::uint8_t { free, starting, idle, busy };

struct Job {
  double arrival_s = 0;
  std::uint64_t index = 0;
  double service_override_s = std::numeric_limits<double>::quiet_NaN();
  bool capped = false; // arrived while a cap held the fleet
};

struct Worker {
  WorkerState state = WorkerState::free;
  bool always_on = false;
  bool fresh = false; // started and not yet idle: its first job waited for the start
  bool bound = false; // holds `job` from before it started (queue none)
  std::uint32_t gen = 0;
  std::uint32_t idle_pos = 0;
  std::uint64_t seq = 0;
  double start_s = 0;
  double last_used_s = 0;
  double exec_s = 0; // service seconds run this session
  double cold_s = 0; // start-up seconds this session
  double job_start_s = 0;
  double job_service_s = 0;
  double job_cold_part_s = 0; // cold-service: the part of the service that is start-up
  Job job;
};

// A FIFO ring buffer that only allocates when it grows.
class JobQueue {
public:
  JobQueue() : m_buffer(1024) {}
  bool empty() const { return m_size == 0; }
  std::size_t size() const { return m_size; }
  const Job& front() const { return m_buffer[m_head]; }
  void push(const Job& job) {
    if (m_size == m_buffer.size()) {
      std::vector<Job> bigger(m_buffer.size() * 2);
      for (std::size_t i = 0; i < m_size; ++i) {
        bigger[i] = m_buffer[(m_head + i) % m_buffer.size()];
      }
      m_buffer.swap(bigger);
      m_head = 0;
    }
    m_buffer[(m_head + m_size) % m_buffer.size()] = job;
    ++m_size;
  }
  Job pop() {
    Job job = m_buffer[m_head];
    m_head = (m_head + 1) % m_buffer.size();
    --m_size;
    return job;
  }

private:
  std::vector<Job> m_buffer;
  std::size_t m_head = 0;
  std::size_t m_size = 0;
};

// Log-spaced histogram of seconds: 32 bins an octave (2.2% wide) from 2^-10 s (about 1 ms) to
// 2^30 s, found from the bits of the double without a logarithm; a percentile reports the mean of
// the samples in its bin, so it is within one bin of the exact one and exact when they are equal.
// Bin 0 holds everything below 2^-10 s.
class Histogram {
public:
  void add(double seconds) {
    std::size_t bin = 0;
    if (seconds >= k_low) {
      const auto bits = std::bit_cast<std::uint64_t>(seconds);
      const auto exponent = static_cast<std::int64_t>(bits >> 52U) - 1023 + k_low_octaves;
      const auto fraction = static_cast<std::int64_t>((bits >> (52U - 5U)) & 31U);
      bin =
          std::min<std::size_t>(k_bins - 1, static_cast<std::size_t>(exponent * 32 + fraction) + 1);
    }
    ++m_counts[bin];
    m_sums[bin] += seconds;
    ++m_total;
  }
  double percentile(double p) const {
    if (m_total == 0) {
      return 0;
    }
    const auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(m_total)));
    std::uint64_t seen = 0;
    for (std::size_t bin = 0; bin < k_bins; ++bin) {
      seen += m_counts[bin];
      if (seen >= std::max<std::uint64_t>(rank, 1)) {
        return m_sums[bin] / static_cast<double>(m_counts[bin]);
      }
    }
    return 0;
  }

private:
  static constexpr std::int64_t k_low_octaves = 10;
  static constexpr double k_low = 0x1.0p-10;
  static constexpr std::size_t k_bins = 1 + 40 * 32;
  std::array<std::uint64_t, k_bins> m_counts{};
  std::array<double, k_bins> m_sums{};
  std::uint64_t m_total = 0;
};

bool uses_ticks(PolicyKind kind) {
  return kind == PolicyKind::request_count || kind == PolicyKind::queue_delay
         || kind == PolicyKind::queue_steps || kind == PolicyKind::queue_rules;
}

double billed_length(double seconds, double granularity_s, double minimum_s) {
  const double quotient = seconds / granularity_s;
  const double nearest = std::round(quotient);
  const bool whole = std::abs(quotient - nearest) <= 1e-9 * std::max(1.0, std::abs(quotient));
  const double rounded = whole ? nearest * granularity_s : std::ceil(quotient) * granularity_s;
  return std::max(minimum_s, rounded);
}

class Engine {
public:
  Engine(const SimConfig& config, const SimOption& option, std::uint64_t key)
      : m_config(config), m_option(option), m_policy(config.policy), m_key(key),
        m_stream(config.arrivals, key) {
    m_service =
        config.service ? *config.service : SimDistribution{SimDistKind::fixed, option.job_seconds};
    m_cold = config.cold_start ? *config.cold_start
                               : SimDistribution{SimDistKind::fixed, option.cold_start_s};
    m_cold_service = config.cold_service ? &*config.cold_service : nullptr;
    m_rate_s = option.priced ? option.usd_per_hour / 3600 : 0;
    m_always_on_rate_s = option.priced ? option.always_on_usd_per_hour / 3600 : 0;
    m_idle_timeout_s = m_policy.idle_timeout_s.value_or(option.idle_timeout_s);
    switch (m_policy.kind) {
    case PolicyKind::keep_alive:
    case PolicyKind::hybrid:
    case PolicyKind::request_count:
    case PolicyKind::queue_delay:
      m_uses_timeout = true;
      break;
    case PolicyKind::queue_steps:
    case PolicyKind::queue_rules:
      m_uses_timeout = m_policy.idle_timeout_s.has_value();
      break;
    case PolicyKind::fixed_pool:
      m_uses_timeout = false;
      break;
    }
    const bool slow_scaler =
        m_policy.kind == PolicyKind::queue_steps || m_policy.kind == PolicyKind::queue_rules;
    m_tick_s = m_policy.tick_s.value_or(slow_scaler ? 30.0 : 1.0);
    m_cooldown_s = m_policy.cooldown_s.value_or(300.0);
    m_scaler_value = m_policy.scaler_value.value_or(4.0);
    if (m_policy.kind == PolicyKind::queue_steps) {
      m_steps = m_policy.steps.bands.empty() ? seed002_step_table() : m_policy.steps;
    }
    if (m_policy.kind == PolicyKind::fixed_pool || m_policy.kind == PolicyKind::hybrid) {
      m_always_on = m_policy.workers;
    }

    m_limit = INT_MAX;
    if (config.caps.max_workers) {
      m_limit = std::min(m_limit, *config.caps.max_workers);
    }
    if (option.max_workers) {
      m_limit = std::min(m_limit, *option.max_workers);
    }
    if (config.caps.max_usd_per_hour && m_rate_s > 0) {
      const double spare =
          *config.caps.max_usd_per_hour - m_always_on * option.always_on_usd_per_hour;
      const double extra = std::floor(spare / option.usd_per_hour + 1e-9);
      m_usd_limit = m_always_on + static_cast<int>(std::clamp(extra, 0.0, 1e9));
      m_limit = std::min(m_limit, m_usd_limit);
    }
    m_limit = std::max(m_limit, m_always_on);
    m_workers.reserve(64);
    m_free.reserve(64);
    m_idle.reserve(64);
    m_heap.reserve(256);
    if (config.timeline) {
      m_result.timeline.reserve(static_cast<std::size_t>(config.horizon_s / k_minute_s) + 1);
    }
  }

  SimResult run() {
    const double horizon = m_config.horizon_s;
    for (int i = 0; i < m_always_on; ++i) {
      Worker& worker = add_worker();
      worker.always_on = true;
      become_idle(worker);
    }
    if (uses_ticks(m_policy.kind)) {
      for (int i = 0; i < m_policy.min_workers && can_start(); ++i) {
        Worker& worker = add_worker();
        ++m_alive_on_demand;
        become_idle(worker);
      }
    }
    m_minute_peak_alive = m_alive;
    m_minute_peak_on_demand = m_alive_on_demand;
    double next_tick = uses_ticks(m_policy.kind) ? m_tick_s : k_inf;
    double next_minute = m_config.timeline ? k_minute_s : k_inf;
    const auto& budget = m_config.caps.budget_usd_per_month;
    double next_month = budget ? k_seconds_per_month : k_inf;

    for (;;) {
      const double t_event = m_heap.empty() ? k_inf : m_heap.front().t;
      const double t_arrival = m_stream.peek().at_s;
      double t_budget = k_inf;
      if (budget && !m_exhausted) {
        const double rate = spend_rate_s();
        if (rate > 0) {
          t_budget = m_now + std::max(0.0, *budget - m_month_spend) / rate;
        }
      }
      const double t = std::min({t_event, t_arrival, t_budget, next_tick, next_minute, next_month});
      if (t > horizon) {
        advance(horizon);
        break;
      }
      advance(t);
      ++m_result.events;
      if (t_event == t) {
        const Event event = m_heap.front();
        std::pop_heap(m_heap.begin(), m_heap.end(), EventLater{});
        m_heap.pop_back();
        handle(event);
      } else if (t_arrival == t) {
        const SimArrival arrival = m_stream.peek();
        m_stream.pop();
        on_arrival(arrival);
      } else if (next_month == t) {
        next_month += k_seconds_per_month;
        on_new_month();
      } else if (t_budget == t) {
        on_budget_spent();
      } else if (next_tick == t) {
        next_tick += m_tick_s;
        on_tick();
      } else {
        next_minute += k_minute_s;
        on_minute();
      }
    }
    finish();
    return std::move(m_result);
  }

private:
  double spend_rate_s() const {
    return m_alive_on_demand * m_rate_s + m_always_on * m_always_on_rate_s;
  }

  bool can_start() const { return !m_exhausted && m_alive < m_limit; }

  void advance(double t) {
    const double dt = t - m_now;
    if (dt > 0) {
      m_area_alive += m_alive * dt;
      m_area_busy += m_busy * dt;
      m_area_queue += static_cast<double>(m_queue.size()) * dt;
      m_month_spend += spend_rate_s() * dt;
      if (m_alive >= m_usd_limit) {
        m_capped_s += dt;
      }
      if (m_exhausted) {
        m_over_budget_s += dt;
      }
    }
    m_now = t;
  }

  void push_event(double t, Worker& worker, EventType type) {
    m_heap.push_back({t, static_cast<std::uint32_t>(&worker - m_workers.data()), worker.gen, type});
    std::push_heap(m_heap.begin(), m_heap.end(), EventLater{});
  }

  // A worker slot in state `starting`, counted alive; the caller sets its state and counts.
  Worker& add_worker() {
    std::uint32_t slot = 0;
    if (!m_free.empty()) {
      slot = m_free.back();
      m_free.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(m_workers.size());
      m_workers.emplace_back();
    }
    Worker& worker = m_workers[slot];
    const std::uint32_t gen = worker.gen + 1;
    worker = Worker{};
    worker.gen = gen;
    worker.state = WorkerState::starting;
    worker.seq = m_seq++;
    worker.start_s = m_now;
    worker.last_used_s = m_now;
    ++m_alive;
    m_result.peak_workers = std::max(m_result.peak_workers, m_alive);
    return worker;
  }

  // Whether a worker started for a job runs that job (queue none) or takes the queue's next.
  enum class Binding { to_queue, to_job };

  // Starts an on-demand worker; `job` (when not null) is the job it starts for, bound to it with
  // Binding::to_job.
  void start_worker(const Job* job, Binding binding) {
    Worker& worker = add_worker();
    ++m_alive_on_demand;
    m_minute_peak_alive = std::max(m_minute_peak_alive, m_alive);
    m_minute_peak_on_demand = std::max(m_minute_peak_on_demand, m_alive_on_demand);
    worker.fresh = true;
    if (binding == Binding::to_job && job != nullptr) {
      worker.bound = true;
      worker.job = *job;
    }
    ++m_starting;
    double cold = 0;
    if (m_cold_service == nullptr) {
      if (job != nullptr) {
        cold = sample(m_cold,
                      sim_uniform(m_key, job->index, k_cold_1),
                      sim_uniform(m_key, job->index, k_cold_2));
      } else {
        cold = sample(m_cold,
                      sim_uniform(m_key ^ k_worker_stream, worker.seq, k_cold_1),
                      sim_uniform(m_key ^ k_worker_stream, worker.seq, k_cold_2));
      }
    }
    worker.cold_s = cold;
    if (cold > 0) {
      push_event(m_now + cold, worker, EventType::ready);
    } else {
      on_ready(worker);
    }
  }

  double base_service(const Job& job) const {
    if (!std::isnan(job.service_override_s)) {
      return job.service_override_s;
    }
    return sample(m_service,
                  sim_uniform(m_key, job.index, k_service_1),
                  sim_uniform(m_key, job.index, k_service_2));
  }

  void run_job(Worker& worker, const Job& job) {
    const bool cold = worker.fresh;
    double service = base_service(job);
    double cold_part = 0;
    if (cold && m_cold_service != nullptr) {
      const double whole = sample(*m_cold_service,
                                  sim_uniform(m_key, job.index, k_cold_service_1),
                                  sim_uniform(m_key, job.index, k_cold_service_2));
      cold_part = std::max(0.0, whole - service);
      service = whole;
    }
    const double wait = m_now - job.arrival_s;
    m_wait.add(wait);
    m_latency.add(wait + service);
    m_wait_sum += wait;
    m_latency_sum += wait + service;
    ++m_result.jobs_started;
    if (cold) {
      ++m_result.cold_jobs;
    }
    if (job.capped && wait > 0) {
      ++m_result.delayed;
    }
    worker.state = WorkerState::busy;
    worker.fresh = false;
    worker.bound = false;
    worker.job = job;
    worker.job_start_s = m_now;
    worker.job_service_s = service;
    worker.job_cold_part_s = cold_part;
    worker.last_used_s = m_now;
    ++worker.gen;
    ++m_busy;
    push_event(m_now + service, worker, EventType::done);
  }

  void become_idle(Worker& worker) {
    worker.fresh = false;
    ++worker.gen;
    worker.last_used_s = m_now;
    if (!worker.always_on && m_uses_timeout) {
      if (m_idle_timeout_s <= 0) {
        worker.state = WorkerState::starting; // not on the idle list: stop() bills it
        stop(worker);
        return;
      }
      push_event(m_now + m_idle_timeout_s, worker, EventType::expire);
    }
    worker.state = WorkerState::idle;
    worker.idle_pos = static_cast<std::uint32_t>(m_idle.size());
    m_idle.push_back(static_cast<std::uint32_t>(&worker - m_workers.data()));
  }

  void remove_idle(Worker& worker) {
    const std::uint32_t last = m_idle.back();
    m_idle[worker.idle_pos] = last;
    m_workers[last].idle_pos = worker.idle_pos;
    m_idle.pop_back();
  }

  // Ends an on-demand worker's session and bills it.
  void stop(Worker& worker) {
    if (worker.state == WorkerState::idle) {
      remove_idle(worker);
    }
    const double length = m_now - worker.start_s;
    const double cold = std::min(worker.cold_s, length); // a start cut short by the horizon
    const double cold_billed = m_option.cold_start_billed ? cold : 0.0;
    const double raw = std::max(0.0, length - (cold - cold_billed));
    const double billed =
        billed_length(raw, m_option.billing_granularity_s, m_option.billing_minimum_s);
    m_session_billed += billed;
    m_session_exec += worker.exec_s;
    m_session_cold += cold_billed;
    m_session_idle += std::max(0.0, raw - worker.exec_s - cold_billed);
    m_session_rounding += billed - raw;
    m_month_spend += (billed - raw) * m_rate_s; // the budget sees the round-up too
    worker.state = WorkerState::free;
    ++worker.gen;
    --m_alive;
    --m_alive_on_demand;
    m_free.push_back(static_cast<std::uint32_t>(&worker - m_workers.data()));
  }

  // The idle worker a job goes to, taken off the idle list; nullptr when none.
  Worker* take_idle(const Job& job) {
    if (m_idle.empty()) {
      return nullptr;
    }
    std::size_t best = 0;
    if (m_policy.kind == PolicyKind::hybrid) {
      for (std::size_t i = 0; i < m_idle.size(); ++i) {
        if (m_workers[m_idle[i]].always_on) {
          Worker& worker = m_workers[m_idle[i]];
          remove_idle(worker);
          return &worker;
        }
      }
    }
    switch (m_policy.routing) {
    case Routing::newest:
      for (std::size_t i = 1; i < m_idle.size(); ++i) {
        if (m_workers[m_idle[i]].seq > m_workers[m_idle[best]].seq) {
          best = i;
        }
      }
      break;
    case Routing::lru:
      for (std::size_t i = 1; i < m_idle.size(); ++i) {
        if (m_workers[m_idle[i]].last_used_s < m_workers[m_idle[best]].last_used_s) {
          best = i;
        }
      }
      break;
    case Routing::random:
      best = std::min(m_idle.size() - 1,
                      static_cast<std::size_t>(sim_uniform(m_key, job.index, k_route)
                                               * static_cast<double>(m_idle.size())));
      break;
    }
    Worker& worker = m_workers[m_idle[best]];
    remove_idle(worker);
    return &worker;
  }

  void handle(const Event& event) {
    Worker& worker = m_workers[event.worker];
    if (worker.gen != event.gen) {
      return; // stale
    }
    switch (event.type) {
    case EventType::ready:
      on_ready(worker);
      break;
    case EventType::done:
      on_done(worker);
      break;
    case EventType::expire:
      if (worker.state == WorkerState::idle) {
        if (uses_ticks(m_policy.kind) && m_alive_on_demand <= m_policy.min_workers) {
          // kept at the minimum: it stays idle, now without a timeout
        } else {
          stop(worker);
        }
      }
      break;
    }
  }

  void on_ready(Worker& worker) {
    --m_starting;
    if (worker.bound) {
      const Job job = worker.job;
      run_job(worker, job);
    } else if (m_exhausted) {
      stop(worker);
    } else if (!m_queue.empty()) {
      run_job(worker, m_queue.pop());
    } else {
      become_idle(worker);
    }
  }

  void on_done(Worker& worker) {
    const double warm = worker.job_service_s - worker.job_cold_part_s;
    worker.exec_s += warm;
    worker.cold_s += worker.job_cold_part_s;
    ++m_result.jobs_completed;
    --m_busy;
    if (m_exhausted && !worker.always_on) {
      worker.state = WorkerState::starting; // neither idle nor busy: stop() bills it
      stop(worker);
    } else if (!m_queue.empty()) {
      run_job(worker, m_queue.pop());
    } else {
      become_idle(worker);
    }
  }

  void enqueue(const Job& job) {
    m_queue.push(job);
    m_result.max_queue = std::max(m_result.max_queue, static_cast<std::int64_t>(m_queue.size()));
  }

  void on_arrival(const SimArrival& arrival) {
    ++m_result.jobs_arrived;
    Job job;
    job.arrival_s = arrival.at_s;
    job.index = arrival.index;
    job.service_override_s = arrival.service_s;
    job.capped = m_exhausted || m_alive >= m_limit;
    if (m_exhausted && m_config.caps.over_budget == OverBudget::reject) {
      ++m_result.rejected;
      return;
    }
    if (m_queue.empty()) {
      if (Worker* worker = take_idle(job); worker != nullptr) {
        run_job(*worker, job);
        return;
      }
    }
    switch (m_policy.kind) {
    case PolicyKind::keep_alive:
    case PolicyKind::hybrid:
      if (m_policy.queue == QueueDiscipline::none) {
        if (can_start()) {
          start_worker(&job, Binding::to_job);
        } else {
          ++m_result.rejected;
        }
        return;
      }
      enqueue(job);
      if (static_cast<std::int64_t>(m_queue.size()) > m_starting && can_start()) {
        start_worker(&job, Binding::to_queue);
      }
      return;
    default:
      enqueue(job);
      return;
    }
  }

  void start_many(std::int64_t count) {
    for (std::int64_t i = 0; i < count && can_start(); ++i) {
      start_worker(nullptr, Binding::to_queue);
    }
  }

  // Stops idle on-demand workers until `target` on-demand workers are alive.
  void stop_idle_down_to(int target) {
    for (std::size_t i = m_idle.size(); i > 0 && m_alive_on_demand > target; --i) {
      Worker& worker = m_workers[m_idle[i - 1]];
      if (!worker.always_on) {
        stop(worker);
      }
    }
  }

  void on_tick() {
    const auto queued = static_cast<std::int64_t>(m_queue.size());
    switch (m_policy.kind) {
    case PolicyKind::request_count: {
      const auto desired = static_cast<std::int64_t>(
          std::ceil(static_cast<double>(queued + m_busy) / m_scaler_value - 1e-9));
      start_many(desired - m_alive_on_demand);
      break;
    }
    case PolicyKind::queue_delay:
      if (queued > 0 && m_now - m_queue.front().arrival_s > m_scaler_value) {
        start_many(1);
      }
      break;
    case PolicyKind::queue_steps: {
      const int desired = std::max(m_policy.min_workers, step_workers(m_steps, queued + m_busy));
      if (desired >= m_alive_on_demand) {
        start_many(desired - m_alive_on_demand);
        m_last_needed_s = m_now;
      } else if (m_now - m_last_needed_s >= m_cooldown_s) {
        stop_idle_down_to(desired);
      }
      break;
    }
    case PolicyKind::queue_rules: {
      if (queued > m_policy.rule_high_queue) {
        start_many(m_policy.rule_high_add);
      } else if (queued > m_policy.rule_low_queue) {
        start_many(m_policy.rule_low_add);
      } else if (queued > 0 && m_alive == 0) {
        start_many(1); // else jobs below the low threshold would wait for ever
      }
      if (queued == 0) {
        if (m_empty_since_s < 0) {
          m_empty_since_s = m_now;
        }
        if (m_now - m_empty_since_s >= m_policy.empty_delay_s) {
          stop_idle_down_to(m_policy.min_workers);
        }
      } else {
        m_empty_since_s = -1;
      }
      break;
    }
    default:
      break;
    }
  }

  void on_new_month() {
    m_month_spend = 0;
    m_exhausted = false;
    if ((m_policy.kind == PolicyKind::keep_alive || m_policy.kind == PolicyKind::hybrid)
        && m_policy.queue == QueueDiscipline::fifo) {
      start_many(static_cast<std::int64_t>(m_queue.size()) - m_starting);
    }
  }

  void on_budget_spent() {
    m_exhausted = true;
    for (std::size_t i = m_idle.size(); i > 0; --i) {
      Worker& worker = m_workers[m_idle[i - 1]];
      if (!worker.always_on) {
        stop(worker);
      }
    }
  }

  void on_minute() {
    TimelineMinute minute;
    minute.t_s = m_now;
    minute.workers = m_alive;
    minute.peak_workers = std::max(m_minute_peak_alive, m_alive);
    minute.busy = m_busy;
    minute.queue = static_cast<std::int64_t>(m_queue.size());
    minute.spend_usd_per_hour = spend_rate_s() * 3600;
    minute.peak_spend_usd_per_hour =
        (std::max(m_minute_peak_on_demand, m_alive_on_demand) * m_rate_s
         + m_always_on * m_always_on_rate_s)
        * 3600;
    m_result.timeline.push_back(minute);
    m_minute_peak_alive = m_alive;
    m_minute_peak_on_demand = m_alive_on_demand;
  }

  void finish() {
    const double horizon = m_config.horizon_s;
    double always_on_exec = 0;
    for (Worker& worker : m_workers) {
      if (worker.state == WorkerState::busy) {
        worker.exec_s += std::max(0.0, horizon - worker.job_start_s);
        --m_busy;
      }
      if (worker.state == WorkerState::free) {
        continue;
      }
      if (worker.always_on) {
        always_on_exec += worker.exec_s;
        continue;
      }
      if (worker.state != WorkerState::idle) {
        worker.state = WorkerState::starting; // stop() bills it without touching the idle list
      }
      stop(worker);
    }
    SimResult& r = m_result;
    const double always_on_paid = m_always_on * horizon;
    const double execution = m_rate_s * m_session_exec + m_always_on_rate_s * always_on_exec;
    const double cold = m_rate_s * m_session_cold;
    const double idle = m_rate_s * m_session_idle;
    const double rounding = m_rate_s * m_session_rounding;
    const double always_on = m_always_on_rate_s * std::max(0.0, always_on_paid - always_on_exec);
    r.total_cost = execution + cold + idle + rounding + always_on;
    const double jobs = static_cast<double>(r.jobs_completed);
    const double per = jobs > 0 ? 1 / jobs : std::numeric_limits<double>::quiet_NaN();
    r.cost_per_job = r.total_cost * per;
    r.split_execution = execution * per;
    r.split_cold_start = cold * per;
    r.split_idle = idle * per;
    r.split_rounding = rounding * per;
    r.split_always_on = always_on * per;
    r.billed_seconds = m_session_billed + always_on_paid;
    r.execution_seconds = m_session_exec + always_on_exec;
    r.utilization = r.billed_seconds > 0 ? r.execution_seconds / r.billed_seconds : 0;
    const double started = static_cast<double>(r.jobs_started);
    r.p_cold = started > 0 ? static_cast<double>(r.cold_jobs) / started : 0;
    r.wait_mean_s = started > 0 ? m_wait_sum / started : 0;
    r.latency_mean_s = started > 0 ? m_latency_sum / started : 0;
    r.wait_p50_s = m_wait.percentile(0.50);
    r.wait_p95_s = m_wait.percentile(0.95);
    r.wait_p99_s = m_wait.percentile(0.99);
    r.latency_p50_s = m_latency.percentile(0.50);
    r.latency_p95_s = m_latency.percentile(0.95);
    r.latency_p99_s = m_latency.percentile(0.99);
    r.mean_instances = m_area_alive / horizon;
    r.mean_busy = m_area_busy / horizon;
    r.mean_queue = m_area_queue / horizon;
    r.hours_at_spend_cap = m_capped_s / 3600;
    r.hours_over_budget = m_over_budget_s / 3600;
  }

  const SimConfig& m_config;
  const SimOption& m_option;
  const SimPolicy& m_policy;
  std::uint64_t m_key;
  ArrivalStream m_stream;
  SimDistribution m_service;
  SimDistribution m_cold;
  const SimDistribution* m_cold_service = nullptr;
  StepTable m_steps;
  double m_rate_s = 0;
  double m_always_on_rate_s = 0;
  double m_idle_timeout_s = 0;
  bool m_uses_timeout = false;
  double m_tick_s = 1;
  double m_cooldown_s = 300;
  double m_scaler_value = 4;
  int m_always_on = 0;
  int m_limit = INT_MAX;
  int m_usd_limit = INT_MAX;

  double m_now = 0;
  std::vector<Worker> m_workers;
  std::vector<std::uint32_t> m_free;
  std::vector<std::uint32_t> m_idle;
  std::vector<Event> m_heap;
  JobQueue m_queue;
  int m_alive = 0;
  int m_alive_on_demand = 0;
  int m_busy = 0;
  std::int64_t m_starting = 0;
  std::uint64_t m_seq = 0;
  int m_minute_peak_alive = 0;
  int m_minute_peak_on_demand = 0;
  double m_last_needed_s = 0;
  double m_empty_since_s = -1;

  double m_area_alive = 0;
  double m_area_busy = 0;
  double m_area_queue = 0;
  double m_month_spend = 0;
  bool m_exhausted = false;
  double m_capped_s = 0;
  double m_over_budget_s = 0;
  double m_session_billed = 0;
  double m_session_exec = 0;
  double m_session_cold = 0;
  double m_session_idle = 0;
  double m_session_rounding = 0;
  double m_wait_sum = 0;
  double m_latency_sum = 0;
  Histogram m_wait;
  Histogram m_latency;
  SimResult m_result;
};

} // namespace

Status validate_simulation(const SimConfig& config, const SimOption& option) {
  if (!std::isfinite(config.horizon_s) || config.horizon_s <= 0) {
    return make_error(
        fmt::format("--horizon: must be a positive duration (got {} s)", config.horizon_s));
  }
  if (config.horizon_s > k_max_horizon_s) {
    return make_error(fmt::format("--horizon: at most ten years ({} s)", k_max_horizon_s));
  }
  GPUCOST_TRY(validate_arrivals(config.arrivals));
  GPUCOST_TRY(validate_policy(config.policy, config.caps));
  double expected = config.arrivals.rate_per_s * config.horizon_s
                    + static_cast<double>(config.arrivals.trace.at_s.size());
  for (const SimBurst& burst : config.arrivals.bursts) {
    expected += static_cast<double>(burst.jobs);
  }
  if (expected > k_max_arrivals) {
    return make_error(fmt::format("about {:.3g} arrivals over the horizon: at most {:.0e} (shorten "
                                  "--horizon or lower the rate)",
                                  expected,
                                  k_max_arrivals));
  }
  if (config.policy.tick_s && config.horizon_s / *config.policy.tick_s > 1e9) {
    return make_error(fmt::format("--tick: {} s gives more than 1e9 scaler ticks over the horizon; "
                                  "use a longer tick",
                                  *config.policy.tick_s));
  }
  if (!config.service && !(option.job_seconds > 0)) {
    return make_error("no service time: give --service, or select an option so the workload's job "
                      "time applies");
  }
  if (option.priced) {
    const bool always_on_only = config.policy.kind == PolicyKind::fixed_pool;
    if (always_on_only ? !(option.always_on_usd_per_hour > 0) : !(option.usd_per_hour > 0)) {
      return make_error("the option has no positive price per hour");
    }
    if (!(option.billing_granularity_s > 0) || option.billing_minimum_s < 0) {
      return make_error("billing granularity must be positive and the minimum not negative");
    }
  }
  if (!std::isfinite(option.cold_start_s) || option.cold_start_s < 0) {
    return make_error(fmt::format("cold start must be >= 0 (got {})", option.cold_start_s));
  }
  return Ok{};
}

SimResult simulate_run(const SimConfig& config, const SimOption& option, std::uint64_t key) {
  Engine engine(config, option, key);
  return engine.run();
}

} // namespace gpucost
