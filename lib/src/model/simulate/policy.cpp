#include <gpucost/model/simulate/policy.hpp>
#include <gpucost/util/strings.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace gpucost {

namespace {

constexpr std::array<std::pair<PolicyKind, std::string_view>, 7> k_policies = {{
    {PolicyKind::keep_alive, "keep-alive"},
    {PolicyKind::request_count, "request-count"},
    {PolicyKind::queue_delay, "queue-delay"},
    {PolicyKind::queue_steps, "queue-steps"},
    {PolicyKind::queue_rules, "queue-rules"},
    {PolicyKind::fixed_pool, "fixed-pool"},
    {PolicyKind::hybrid, "hybrid"},
}};

template<typename T> std::optional<T> parse_value(std::string_view text) {
  text = trim(text);
  T value{};
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

} // namespace

std::string_view to_string(PolicyKind kind) {
  for (const auto& [value, name] : k_policies) {
    if (value == kind) {
      return name;
    }
  }
  return "unknown";
}

std::string_view to_string(QueueDiscipline queue) {
  return queue == QueueDiscipline::fifo ? "fifo" : "none";
}

std::string_view to_string(Routing routing) {
  switch (routing) {
  case Routing::newest:
    return "newest";
  case Routing::lru:
    return "lru";
  case Routing::random:
    return "random";
  }
  return "unknown";
}

std::string_view to_string(OverBudget over_budget) {
  return over_budget == OverBudget::queue ? "queue" : "reject";
}

std::optional<PolicyKind> parse_policy_kind(std::string_view text) {
  for (const auto& [value, name] : k_policies) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<QueueDiscipline> parse_queue_discipline(std::string_view text) {
  if (text == "fifo") {
    return QueueDiscipline::fifo;
  }
  if (text == "none") {
    return QueueDiscipline::none;
  }
  return std::nullopt;
}

std::optional<Routing> parse_routing(std::string_view text) {
  for (Routing routing : {Routing::newest, Routing::lru, Routing::random}) {
    if (to_string(routing) == text) {
      return routing;
    }
  }
  return std::nullopt;
}

std::optional<OverBudget> parse_over_budget(std::string_view text) {
  if (text == "queue") {
    return OverBudget::queue;
  }
  if (text == "reject") {
    return OverBudget::reject;
  }
  return std::nullopt;
}

Status validate_step_table(const StepTable& table) {
  if (table.bands.empty()) {
    return make_error("step table: no bands");
  }
  std::int64_t next_q = 0;
  int last_workers = 0;
  for (std::size_t i = 0; i < table.bands.size(); ++i) {
    const StepBand& band = table.bands[i];
    const bool open = band.q_high < 0;
    if (band.q_low != next_q) {
      return make_error(fmt::format("step table band {}: starts at q = {}, expected {} (bands must "
                                    "be contiguous from 0)",
                                    i + 1,
                                    band.q_low,
                                    next_q));
    }
    if (open && i + 1 != table.bands.size()) {
      return make_error(fmt::format("step table band {}: only the last band may be open", i + 1));
    }
    if (!open && band.q_high < band.q_low) {
      return make_error(fmt::format(
          "step table band {}: q_high {} is below q_low {}", i + 1, band.q_high, band.q_low));
    }
    if (band.workers_low < 0 || band.workers_high < band.workers_low
        || band.workers_low < last_workers) {
      return make_error(fmt::format("step table band {}: workers {}-{} are not monotone (must not "
                                    "fall below {} or below each other)",
                                    i + 1,
                                    band.workers_low,
                                    band.workers_high,
                                    last_workers));
    }
    if (open && !(band.per_worker > 0)) {
      return make_error(fmt::format(
          "step table band {}: an open band needs per_worker > 0 (jobs per extra worker)", i + 1));
    }
    last_workers = band.workers_high;
    next_q = band.q_high + 1;
  }
  return Ok{};
}

StepTable seed002_step_table() {
  StepTable table;
  table.bands = {{0, 0, 0, 0, 0},
                 {1, 10, 1, 1, 0},
                 {11, 50, 2, 5, 0},
                 {51, 200, 5, 20, 0},
                 {201, -1, 20, 50, 10}};
  return table;
}

int step_workers(const StepTable& table, std::int64_t q) {
  if (q < 0) {
    q = 0;
  }
  for (const StepBand& band : table.bands) {
    if (band.q_high < 0) {
      const double extra =
          std::ceil(static_cast<double>(q - band.q_low + 1) / band.per_worker - 1e-9);
      return std::min(band.workers_high, band.workers_low + static_cast<int>(extra));
    }
    if (q <= band.q_high) {
      if (band.q_high == band.q_low) {
        return band.workers_high;
      }
      const double share =
          static_cast<double>(q - band.q_low) / static_cast<double>(band.q_high - band.q_low);
      const double workers = band.workers_low + share * (band.workers_high - band.workers_low);
      return static_cast<int>(std::ceil(workers - 1e-9));
    }
  }
  return table.bands.empty() ? 0 : table.bands.back().workers_high;
}

Expected<StepTable> parse_step_table(std::string_view text, std::string_view file_name) {
  StepTable table;
  std::size_t number = 0;
  bool first = true;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    ++number;
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) {
      continue;
    }
    std::array<std::string_view, 5> fields{};
    std::size_t count = 0;
    for (std::size_t from = 0; from <= line.size() && count < fields.size();) {
      const std::size_t comma = std::min(line.find(',', from), line.size());
      fields[count++] = trim(line.substr(from, comma - from));
      from = comma + 1;
    }
    const auto q_low = parse_value<std::int64_t>(fields[0]);
    if (!q_low && first) {
      first = false; // a header line
      continue;
    }
    first = false;
    const auto bad = [&](std::string_view field, std::string_view value) {
      return make_error(fmt::format(
          "{}:{}: {} \"{}\" is not a whole number >= 0", file_name, number, field, value));
    };
    if (count < 4) {
      return make_error(fmt::format("{}:{}: expected q_low,q_high,workers_low,workers_high"
                                    "[,per_worker]",
                                    file_name,
                                    number));
    }
    StepBand band;
    if (!q_low || *q_low < 0) {
      return bad("q_low", fields[0]);
    }
    band.q_low = *q_low;
    if (fields[1].empty() || fields[1] == "+") {
      band.q_high = -1;
    } else {
      const auto q_high = parse_value<std::int64_t>(fields[1]);
      if (!q_high || *q_high < 0) {
        return bad("q_high", fields[1]);
      }
      band.q_high = *q_high;
    }
    const auto low = parse_value<int>(fields[2]);
    const auto high = parse_value<int>(fields[3]);
    if (!low || *low < 0) {
      return bad("workers_low", fields[2]);
    }
    if (!high || *high < 0) {
      return bad("workers_high", fields[3]);
    }
    band.workers_low = *low;
    band.workers_high = *high;
    if (count == 5 && !fields[4].empty()) {
      const auto per = parse_value<double>(fields[4]);
      if (!per || !(*per > 0)) {
        return make_error(fmt::format(
            "{}:{}: per_worker \"{}\" is not a positive number", file_name, number, fields[4]));
      }
      band.per_worker = *per;
    }
    table.bands.push_back(band);
  }
  if (auto status = validate_step_table(table); !status) {
    return make_error(fmt::format("{}: {}", file_name, status.error().message));
  }
  return table;
}

Status validate_policy(const SimPolicy& policy, const SimCaps& caps) {
  const auto non_negative = [](std::string_view flag, std::optional<double> value) -> Status {
    if (value && (!std::isfinite(*value) || *value < 0)) {
      return make_error(fmt::format("{}: must be a finite number >= 0 (got {})", flag, *value));
    }
    return Ok{};
  };
  GPUCOST_TRY(non_negative("--idle-timeout", policy.idle_timeout_s));
  GPUCOST_TRY(non_negative("--cooldown", policy.cooldown_s));
  GPUCOST_TRY(non_negative("--empty-delay", policy.empty_delay_s));
  if (policy.scaler_value && (!std::isfinite(*policy.scaler_value) || *policy.scaler_value <= 0)) {
    return make_error(
        fmt::format("--scaler-value: must be positive (got {})", *policy.scaler_value));
  }
  if (policy.tick_s && (!std::isfinite(*policy.tick_s) || *policy.tick_s <= 0)) {
    return make_error(fmt::format("--tick: must be positive seconds (got {})", *policy.tick_s));
  }
  if (policy.min_workers < 0 || policy.workers < 0) {
    return make_error("--min-workers and --workers must not be negative");
  }
  if ((policy.kind == PolicyKind::fixed_pool) && policy.workers < 1) {
    return make_error("fixed-pool needs --workers N (at least 1)");
  }
  if (policy.rule_high_add < 0 || policy.rule_low_add < 0 || policy.rule_high_queue < 0
      || policy.rule_low_queue < 0) {
    return make_error("queue-rules thresholds and steps must not be negative");
  }
  if (policy.kind == PolicyKind::queue_steps && !policy.steps.bands.empty()) {
    GPUCOST_TRY(validate_step_table(policy.steps));
  }
  if (caps.max_workers && *caps.max_workers < 1) {
    return make_error(fmt::format("--max-workers: must be at least 1 (got {})", *caps.max_workers));
  }
  if (caps.max_usd_per_hour
      && (!std::isfinite(*caps.max_usd_per_hour) || *caps.max_usd_per_hour <= 0)) {
    return make_error(
        fmt::format("--max-usd-per-hour: must be positive (got {})", *caps.max_usd_per_hour));
  }
  if (caps.budget_usd_per_month
      && (!std::isfinite(*caps.budget_usd_per_month) || *caps.budget_usd_per_month <= 0)) {
    return make_error(
        fmt::format("--budget-usd: must be positive (got {})", *caps.budget_usd_per_month));
  }
  return Ok{};
}

} // namespace gpucost
