// `gpucost simulate`: a discrete-event simulation of queue-driven autoscaling on one or more
// options (docs/simulate.md).

#include "commands.hpp"
#include "common.hpp"
#include "sim_runner.hpp"
#include "workload_options.hpp"

#include <gpucost/data/data_set.hpp>
#include <gpucost/data/workload_file.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/model/simulate/engine.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/xml_escape.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <thread>

namespace gpucost::cli {

namespace {

struct SimulateOptions {
  WorkloadOptions workload;
  FilterOptions filters;
  CatalogOptions catalog;
  std::string option_name;
  std::optional<int> top;
  std::string arrivals;
  std::string daily_profile;
  std::vector<std::string> bursts;
  std::string service;
  std::string cold_start_dist;
  std::string cold_service;
  std::string policy = "keep-alive";
  std::string queue = "fifo";
  std::string routing = "newest";
  std::optional<double> scaler_value;
  std::string step_table;
  std::optional<std::int64_t> rule_high_queue;
  std::optional<int> rule_high_add;
  std::optional<std::int64_t> rule_low_queue;
  std::optional<int> rule_low_add;
  std::optional<double> empty_delay_s;
  std::optional<int> min_workers;
  std::optional<int> workers;
  std::optional<double> tick_s;
  std::optional<double> cooldown_s;
  std::optional<double> max_usd_per_hour;
  std::optional<double> budget_usd;
  std::string over_budget = "queue";
  std::string horizon = "30d";
  std::uint64_t seed = 1;
  int runs = 1;
  std::optional<unsigned> threads;
  FormatOptions output;
  std::string timeline_file;
  std::string chart_file;
};

// One option to simulate: its label, its traits and what was defaulted.
struct SimTarget {
  std::string label;
  std::optional<RankedOption> row; // empty for the queue alone
  SimOption option;
};

std::optional<double> parse_double(std::string_view text) {
  double value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// "90", "90s", "15m", "12h", "30d" -> seconds.
double parse_duration(std::string_view flag, std::string_view text) {
  double unit = 1;
  std::string_view number = text;
  if (!text.empty()) {
    switch (text.back()) {
    case 's':
      unit = 1;
      number.remove_suffix(1);
      break;
    case 'm':
      unit = 60;
      number.remove_suffix(1);
      break;
    case 'h':
      unit = 3600;
      number.remove_suffix(1);
      break;
    case 'd':
      unit = 86400;
      number.remove_suffix(1);
      break;
    default:
      break;
    }
  }
  const auto value = parse_double(number);
  if (!value) {
    throw Error(
        fmt::format("{}: \"{}\" is not a duration (e.g. 3600, 90s, 15m, 12h, 30d)", flag, text));
  }
  return *value * unit;
}

SimDistribution distribution_or_throw(std::string_view flag, const std::string& text) {
  auto parsed = parse_distribution(text);
  if (!parsed) {
    throw Error(fmt::format("{}: {}", flag, parsed.error().message));
  }
  return *parsed;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x))
                  == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string offer_label(const Offer& offer) {
  std::string label = fmt::format("{} {} {}", offer.provider, to_string(offer.product), offer.gpu);
  if (offer.gpu_count > 1) {
    label += fmt::format(" x{}", offer.gpu_count);
  }
  if (!offer.name.empty()) {
    label += " " + offer.name;
  }
  if (!offer.region.empty()) {
    label += " " + offer.region;
  }
  return label;
}

bool names_offer(const Offer& offer, std::string_view text) {
  return iequals(text, offer.name) || iequals(text, offer.provider + "/" + offer.name)
         || iequals(text,
                    fmt::format("{}/{}/{}", offer.provider, to_string(offer.product), offer.name))
         || iequals(text, offer_label(offer));
}

// TODO(lead): build SimOption from the public resolve_traits (model/traits.hpp) once it is on
// this branch; until then the traits come from the ranked rows, which carry them resolved.
std::vector<SimTarget> select_targets(const SimulateOptions& options, Context& context) {
  Inputs inputs = load_inputs(options.catalog, context);
  Workload workload = build_workload(options.workload, inputs.data);
  // Every row must price, whatever the volume: the sparse bound never fails for want of workers.
  workload.jobs_per_month.reset();
  workload.traffic = Traffic::sparse;
  OfferFilters filters = resolve_filters(options.filters, inputs.data, inputs.catalog.offers);
  filters.pricing = Pricing::on_demand;
  const CompareResult ranked = rank_options(inputs.catalog.offers,
                                            inputs.data.gpus,
                                            inputs.data.providers,
                                            inputs.data.benchmarks,
                                            workload,
                                            filters,
                                            inputs.now_s);
  print_warnings(context, ranked.warnings);

  std::vector<SimTarget> targets;
  std::map<std::string, std::size_t> by_label;
  std::size_t api_rows = 0;
  for (const RankedOption& row : ranked.options) {
    if (!options.option_name.empty() && !names_offer(row.offer, options.option_name)) {
      continue;
    }
    if (row.offer.product == Product::api) {
      ++api_rows; // no workers, queue or start-up to simulate
      continue;
    }
    const std::string label = offer_label(row.offer);
    auto [it, inserted] = by_label.try_emplace(label, targets.size());
    if (inserted) {
      SimTarget target;
      target.label = label;
      target.row = row;
      SimOption& sim = target.option;
      sim.priced = true;
      sim.usd_per_hour = 0;
      sim.always_on_usd_per_hour = 0;
      sim.billing_granularity_s = row.offer.billing_granularity_s.value_or(1);
      sim.billing_minimum_s = row.offer.billing_minimum_s.value_or(0);
      sim.cold_start_s = row.offer.cold_start_s.value_or(0);
      sim.cold_start_billed = row.offer.cold_start_billed.value_or(true);
      sim.idle_timeout_s = 0;
      // A serverless option's cap (the user's --max-workers, else the provider's documented
      // default), which the engine applies with the --max-workers of the run.
      sim.max_workers = row.option.max_workers;
      sim.job_seconds = row.estimate.job_seconds;
      targets.push_back(std::move(target));
    }
    SimTarget& target = targets[it->second];
    SimOption& sim = target.option;
    if (row.estimate.mode == Mode::always_on) {
      if (sim.always_on_usd_per_hour == 0) {
        sim.always_on_usd_per_hour = row.usd_per_hour;
      }
    } else {
      if (sim.usd_per_hour == 0) {
        sim.usd_per_hour = row.usd_per_hour;
      }
      sim.idle_timeout_s = std::max(sim.idle_timeout_s, row.offer.idle_timeout_s.value_or(0));
      if (row.estimate.mode == Mode::keep_alive || !target.row
          || target.row->estimate.mode == Mode::always_on) {
        target.row = row;
      }
    }
  }
  for (SimTarget& target : targets) {
    if (target.option.always_on_usd_per_hour == 0) {
      target.option.always_on_usd_per_hour = target.option.usd_per_hour;
    }
    if (target.option.usd_per_hour == 0) {
      target.option.usd_per_hour = target.option.always_on_usd_per_hour;
    }
  }
  if (targets.empty()) {
    throw Error(options.option_name.empty()
                    ? std::string("no option matches: loosen the filters or check the catalog")
                    : fmt::format("--option: no offer named \"{}\" matches (give its name, "
                                  "provider/name, or the label simulate prints)",
                                  options.option_name));
  }
  const std::size_t keep = options.option_name.empty()
                               ? static_cast<std::size_t>(options.top.value_or(3))
                               : std::size_t{1};
  if (targets.size() > keep) {
    targets.resize(keep);
  }
  if (api_rows > 0) {
    print_warnings(context,
                   {fmt::format("left out {} api row{}: an api is priced per unit of work and "
                                "has no workers, queue or start-up to simulate (gpucost compare "
                                "ranks {})",
                                api_rows,
                                api_rows == 1 ? "" : "s",
                                api_rows == 1 ? "it" : "them")});
  }
  return targets;
}

bool selects_options(const SimulateOptions& options) {
  const FilterOptions& f = options.filters;
  return !options.option_name.empty() || !f.gpus.empty() || !f.providers.empty()
         || !f.products.empty() || !f.regions.empty() || f.min_vram_gb || f.max_price
         || !options.workload.workload_file.empty() || !options.workload.ref_gpu.empty()
         || !options.catalog.catalogs.empty() || !options.catalog.add_offers.empty();
}

SimConfig build_config(const SimulateOptions& options,
                       std::optional<double> jobs_per_month,
                       std::optional<double> idle_timeout_s) {
  SimConfig config;
  config.horizon_s = parse_duration("--horizon", options.horizon);
  ArrivalSpec& arrivals = config.arrivals;
  if (options.arrivals.rfind("poisson:", 0) == 0) {
    const auto rate = parse_double(std::string_view(options.arrivals).substr(8));
    if (!rate) {
      throw Error(fmt::format("--arrivals: \"{}\" needs a rate in jobs per second after "
                              "\"poisson:\"",
                              options.arrivals));
    }
    if (*rate <= 0) {
      throw Error(fmt::format("--arrivals: the rate must be positive (got {} jobs/s)", *rate));
    }
    arrivals.rate_per_s = *rate;
  } else if (options.arrivals.rfind("trace:", 0) == 0) {
    const std::string file = options.arrivals.substr(6);
    const std::string text = value_or_throw(read_text_file(file));
    arrivals.trace = value_or_throw(parse_trace(text, file));
  } else if (!options.arrivals.empty()) {
    throw Error(
        fmt::format("--arrivals: \"{}\" is not poisson:RATE or trace:FILE.csv", options.arrivals));
  } else if (jobs_per_month) {
    arrivals.rate_per_s = *jobs_per_month / k_seconds_per_month;
  } else if (options.bursts.empty()) {
    throw Error("no arrivals: give --arrivals poisson:RATE|trace:FILE, --jobs-per-month or "
                "--burst");
  }
  if (!options.daily_profile.empty()) {
    auto preset = daily_profile_preset(options.daily_profile);
    if (preset) {
      arrivals.hourly = *preset;
    } else {
      auto text = read_text_file(options.daily_profile);
      if (!text) {
        throw Error(fmt::format("--daily-profile: \"{}\" is neither a preset (flat, "
                                "business-hours, evening, night-batch) nor a readable file",
                                options.daily_profile));
      }
      arrivals.hourly = value_or_throw(parse_daily_profile(*text, options.daily_profile));
    }
    arrivals.has_profile = true;
    arrivals.profile_name = options.daily_profile;
  }
  for (const std::string& burst : options.bursts) {
    const auto comma = burst.find(',');
    const auto jobs =
        comma == std::string::npos ? std::nullopt : parse_double(burst.substr(comma + 1));
    if (!jobs || *jobs < 1 || std::floor(*jobs) != *jobs) {
      throw Error(fmt::format("--burst: \"{}\" is not AT,JOBS (e.g. 2h,500)", burst));
    }
    arrivals.bursts.push_back(
        {parse_duration("--burst", burst.substr(0, comma)), static_cast<std::int64_t>(*jobs)});
  }
  if (!options.service.empty()) {
    config.service = distribution_or_throw("--service", options.service);
  }
  if (!options.cold_start_dist.empty()) {
    config.cold_start = distribution_or_throw("--cold-start-dist", options.cold_start_dist);
  }
  if (!options.cold_service.empty()) {
    config.cold_service = distribution_or_throw("--cold-service", options.cold_service);
  }

  SimPolicy& policy = config.policy;
  const auto kind = parse_policy_kind(options.policy);
  if (!kind) {
    throw Error(fmt::format("--policy: unknown policy \"{}\" (expected keep-alive, request-count, "
                            "queue-delay, queue-steps, queue-rules, fixed-pool or hybrid)",
                            options.policy));
  }
  policy.kind = *kind;
  policy.idle_timeout_s = idle_timeout_s;
  const auto queue = parse_queue_discipline(options.queue);
  if (!queue) {
    throw Error(fmt::format("--queue: \"{}\" is not fifo or none", options.queue));
  }
  policy.queue = *queue;
  const auto routing = parse_routing(options.routing);
  if (!routing) {
    throw Error(fmt::format("--routing: \"{}\" is not newest, lru or random", options.routing));
  }
  policy.routing = *routing;
  policy.scaler_value = options.scaler_value;
  if (!options.step_table.empty()) {
    if (options.step_table == "seed002") {
      policy.steps = seed002_step_table();
    } else {
      const std::string text = value_or_throw(read_text_file(options.step_table));
      policy.steps = value_or_throw(parse_step_table(text, options.step_table));
    }
  }
  policy.rule_high_queue = options.rule_high_queue.value_or(policy.rule_high_queue);
  policy.rule_high_add = options.rule_high_add.value_or(policy.rule_high_add);
  policy.rule_low_queue = options.rule_low_queue.value_or(policy.rule_low_queue);
  policy.rule_low_add = options.rule_low_add.value_or(policy.rule_low_add);
  policy.empty_delay_s = options.empty_delay_s.value_or(policy.empty_delay_s);
  policy.min_workers = options.min_workers.value_or(0);
  policy.workers = options.workers.value_or(0);
  policy.tick_s = options.tick_s;
  policy.cooldown_s = options.cooldown_s;
  if (policy.kind == PolicyKind::hybrid && policy.workers < 1) {
    throw Error("--policy hybrid needs --workers N (the always-on workers, at least 1)");
  }

  config.caps.max_workers = options.workload.max_workers;
  config.caps.max_usd_per_hour = options.max_usd_per_hour;
  config.caps.budget_usd_per_month = options.budget_usd;
  const auto over = parse_over_budget(options.over_budget);
  if (!over) {
    throw Error(fmt::format("--over-budget: \"{}\" is not queue or reject", options.over_budget));
  }
  config.caps.over_budget = *over;
  config.timeline = !options.timeline_file.empty() || !options.chart_file.empty();
  return config;
}

bool uses_min_workers(PolicyKind kind) {
  return kind == PolicyKind::request_count || kind == PolicyKind::queue_delay
         || kind == PolicyKind::queue_steps || kind == PolicyKind::queue_rules;
}

nlohmann::ordered_json optional_json(const std::optional<double>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json traits_json(const SimTarget& target) {
  if (!target.row) {
    return nullptr;
  }
  const SimOption& o = target.option;
  return {
      {"usd_per_hour", o.usd_per_hour},
      {"always_on_usd_per_hour", o.always_on_usd_per_hour},
      {"billing_granularity_s", o.billing_granularity_s},
      {"billing_minimum_s", o.billing_minimum_s},
      {"cold_start_s", o.cold_start_s},
      {"cold_start_billed", o.cold_start_billed},
      {"idle_timeout_s", o.idle_timeout_s},
      {"job_seconds", o.job_seconds},
      {"max_workers",
       o.max_workers ? nlohmann::ordered_json(*o.max_workers) : nlohmann::ordered_json(nullptr)},
      {"max_workers_source",
       target.row->max_workers_origin.empty()
           ? nlohmann::ordered_json(nullptr)
           : nlohmann::ordered_json(target.row->max_workers_origin)}};
}

nlohmann::ordered_json policy_json(const SimConfig& config) {
  const SimPolicy& p = config.policy;
  nlohmann::ordered_json json = {{"name", std::string(to_string(p.kind))}};
  switch (p.kind) {
  case PolicyKind::keep_alive:
  case PolicyKind::hybrid:
    json["queue"] = std::string(to_string(p.queue));
    json["routing"] = std::string(to_string(p.routing));
    if (p.kind == PolicyKind::hybrid) {
      json["workers"] = p.workers;
    }
    break;
  case PolicyKind::request_count:
  case PolicyKind::queue_delay:
    json["scaler_value"] = p.scaler_value.value_or(4.0);
    json["tick_s"] = p.tick_s.value_or(1.0);
    break;
  case PolicyKind::queue_steps:
    json["step_table"] = p.steps.bands.empty() ? "seed002" : "file";
    json["tick_s"] = p.tick_s.value_or(30.0);
    json["cooldown_s"] = p.cooldown_s.value_or(300.0);
    break;
  case PolicyKind::queue_rules:
    json["rule_high_queue"] = p.rule_high_queue;
    json["rule_high_add"] = p.rule_high_add;
    json["rule_low_queue"] = p.rule_low_queue;
    json["rule_low_add"] = p.rule_low_add;
    json["empty_delay_s"] = p.empty_delay_s;
    json["tick_s"] = p.tick_s.value_or(30.0);
    break;
  case PolicyKind::fixed_pool:
    json["workers"] = p.workers;
    break;
  }
  if (uses_min_workers(p.kind)) {
    json["min_workers"] = p.min_workers;
  }
  json["idle_timeout_s"] = optional_json(p.idle_timeout_s);
  json["max_workers"] = config.caps.max_workers ? nlohmann::ordered_json(*config.caps.max_workers)
                                                : nlohmann::ordered_json(nullptr);
  json["max_usd_per_hour"] = optional_json(config.caps.max_usd_per_hour);
  json["budget_usd_per_month"] = optional_json(config.caps.budget_usd_per_month);
  json["over_budget"] = std::string(to_string(config.caps.over_budget));
  return json;
}

std::string render_json(const SimulateOptions& options,
                        const SimConfig& config,
                        const std::vector<SimTarget>& targets,
                        const std::vector<std::vector<SimResult>>& results) {
  nlohmann::ordered_json json;
  json["tool_version"] = GPUCOST_VERSION;
  json["seed"] = options.seed;
  json["runs"] = options.runs;
  json["horizon_s"] = config.horizon_s;
  json["policy"] = policy_json(config);
  json["arrivals"] = {{"rate_per_s", config.arrivals.rate_per_s},
                      {"daily_profile",
                       config.arrivals.has_profile
                           ? nlohmann::ordered_json(config.arrivals.profile_name)
                           : nlohmann::ordered_json(nullptr)},
                      {"bursts", config.arrivals.bursts.size()},
                      {"trace_jobs", config.arrivals.trace.at_s.size()}};
  json["service"] = config.service ? nlohmann::ordered_json(to_string(*config.service))
                                   : nlohmann::ordered_json("fixed at each option's job time");
  json["cold_start"] = config.cold_start
                           ? nlohmann::ordered_json(to_string(*config.cold_start))
                           : nlohmann::ordered_json("fixed at each option's cold start");
  json["cold_service"] =
      config.cold_service ? nlohmann::ordered_json(to_string(*config.cold_service)) : nullptr;
  json["options"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const SimTarget& target = targets[i];
    nlohmann::ordered_json row;
    row["option"] =
        target.row ? nlohmann::ordered_json(target.label) : nlohmann::ordered_json(nullptr);
    row["traits"] = traits_json(target);
    row["defaulted"] = target.row ? nlohmann::ordered_json(target.row->defaulted)
                                  : nlohmann::ordered_json(nullptr);
    for (const SimSummaryMetric& metric : summarize_runs(results[i], target.option.priced)) {
      row[metric.name] = optional_json(metric.mean);
      row[metric.name + "_ci95"] =
          metric.ci_low ? nlohmann::ordered_json::array({*metric.ci_low, *metric.ci_high})
                        : nlohmann::ordered_json(nullptr);
    }
    json["options"].push_back(std::move(row));
  }
  return json.dump(2) + "\n";
}

// The CSV column of a figure: its JSON name with its unit, USD for the costs and seconds for the
// waits and latencies (the others are counts, shares, or carry the unit already).
std::string csv_metric_column(std::string_view name) {
  if (name == "total_cost" || name == "cost_per_job" || name.starts_with("split_")) {
    return std::string(name) + "_usd";
  }
  if (name.starts_with("wait_") || name.starts_with("latency_")) {
    return std::string(name) + "_s";
  }
  return std::string(name);
}

// One record per option, like the JSON's options[]: each figure's mean, then its 95% interval
// (empty with one run, and every cost empty for the queue alone).
std::string render_csv(const std::vector<SimTarget>& targets,
                       const std::vector<std::vector<SimResult>>& results,
                       render::CsvDialect dialect) {
  std::vector<std::string> columns = {"option"};
  for (const SimMetric& metric : sim_metrics(SimResult{}, true)) {
    const std::string column = csv_metric_column(metric.name);
    columns.push_back(column);
    columns.push_back(column + "_ci95_low");
    columns.push_back(column + "_ci95_high");
  }
  render::CsvWriter csv(dialect, std::move(columns));
  for (std::size_t i = 0; i < targets.size(); ++i) {
    std::vector<render::CsvCell> cells = {
        render::csv_text_cell(targets[i].row ? targets[i].label : "queue only")};
    for (const SimSummaryMetric& metric : summarize_runs(results[i], targets[i].option.priced)) {
      cells.push_back(render::csv_number_cell(metric.mean));
      cells.push_back(render::csv_number_cell(metric.ci_low));
      cells.push_back(render::csv_number_cell(metric.ci_high));
    }
    csv.add_record(cells);
  }
  return std::move(csv).text();
}

// What caps the option's workers, said once under its traits: a serverless option's cap from
// the provider's documented default is the simulation's default --max-workers.
std::string worker_cap_line(const SimTarget& target, const SimConfig& config) {
  const std::optional<int> own = target.option.max_workers;
  const std::optional<int> run = config.caps.max_workers;
  if (own && (!run || *own <= *run) && !target.row->max_workers_origin.empty()) {
    return fmt::format("  at most {} worker{} at once: {}\n",
                       *own,
                       *own == 1 ? "" : "s",
                       target.row->max_workers_origin);
  }
  if (run) {
    return fmt::format(
        "  at most {} worker{} at once: from --max-workers\n", *run, *run == 1 ? "" : "s");
  }
  if (target.row->offer.product == Product::serverless) {
    return "  no worker cap known for this provider: workers are not capped (give "
           "--max-workers N)\n";
  }
  return {};
}

std::string render_table(const SimulateOptions& options,
                         const SimConfig& config,
                         const std::vector<SimTarget>& targets,
                         const std::vector<std::vector<SimResult>>& results) {
  std::string out = fmt::format("simulate: policy {}, horizon {:g} s, seed {}, {} run{}\n",
                                to_string(config.policy.kind),
                                config.horizon_s,
                                options.seed,
                                options.runs,
                                options.runs == 1 ? "" : "s");
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const SimTarget& target = targets[i];
    const SimOption& o = target.option;
    if (target.row) {
      const PolicyKind kind = config.policy.kind;
      const bool timeout_used =
          kind == PolicyKind::keep_alive || kind == PolicyKind::hybrid
          || kind == PolicyKind::request_count || kind == PolicyKind::queue_delay
          || ((kind == PolicyKind::queue_steps || kind == PolicyKind::queue_rules)
              && config.policy.idle_timeout_s);
      const std::string timeout =
          timeout_used ? fmt::format("idle timeout {:g} s",
                                     config.policy.idle_timeout_s.value_or(o.idle_timeout_s))
                       : std::string("no idle timeout (the policy scales down)");
      out += fmt::format("\n{}: ${:g}/h, billed per {:g} s (minimum {:g} s), cold start {:g} s{}, "
                         "{}, job {:.4g} s\n",
                         target.label,
                         o.usd_per_hour,
                         o.billing_granularity_s,
                         o.billing_minimum_s,
                         o.cold_start_s,
                         o.cold_start_billed ? " billed" : " not billed",
                         timeout,
                         o.job_seconds);
      out += worker_cap_line(target, config);
    } else {
      out += "\nqueue only (no option selected: cost fields are null)\n";
    }
    for (const SimSummaryMetric& metric : summarize_runs(results[i], o.priced)) {
      if (!metric.mean) {
        continue;
      }
      std::string interval;
      if (metric.ci_low) {
        interval = fmt::format("  [{:.6g}, {:.6g}]", *metric.ci_low, *metric.ci_high);
      }
      out += fmt::format("  {:<24}{:>14.6g}{}\n", metric.name, *metric.mean, interval);
    }
  }
  return out;
}

void write_file(const std::string& path, const std::string& text, std::string_view flag) {
  std::ofstream file(path, std::ios::binary);
  file << text;
  file.close();
  if (!file) {
    throw Error(fmt::format("{}: cannot write \"{}\"", flag, path));
  }
}

std::string render_timeline_csv(const std::vector<SimTarget>& targets,
                                const std::vector<std::vector<SimResult>>& results,
                                render::CsvDialect dialect) {
  render::CsvWriter csv(dialect,
                        {"option",
                         "t_s",
                         "workers",
                         "peak_workers",
                         "busy",
                         "queue",
                         "spend_usd_per_hour",
                         "peak_spend_usd_per_hour"});
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const render::CsvCell label =
        render::csv_text_cell(targets[i].row ? targets[i].label : "queue only");
    for (const TimelineMinute& m : results[i].front().timeline) {
      csv.add_record({label,
                      render::csv_number_cell(m.t_s),
                      render::csv_integer_cell(m.workers),
                      render::csv_integer_cell(m.peak_workers),
                      render::csv_integer_cell(m.busy),
                      render::csv_integer_cell(m.queue),
                      render::csv_number_cell(m.spend_usd_per_hour),
                      render::csv_number_cell(m.peak_spend_usd_per_hour)});
    }
  }
  return std::move(csv).text();
}

// Three stacked panels (workers, queue, spend rate) of the first option's first run.
std::string render_chart_svg(const SimTarget& target, const SimResult& result) {
  constexpr double k_width = 900;
  constexpr double k_panel = 160;
  constexpr double k_left = 70;
  const auto& minutes = result.timeline;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:g}\" height=\"{:g}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" "
      "fill=\"white\"/>\n<text x=\"{:g}\" y=\"18\">{}</text>\n",
      k_width,
      3 * k_panel + 50,
      k_left,
      render::xml_escape(target.row ? target.label : std::string("queue only")));
  const std::array<std::string_view, 3> names = {
      "workers (peak per minute)", "queue", "spend USD/h"};
  const std::array<std::string_view, 3> colours = {"#1f77b4", "#ff7f0e", "#2ca02c"};
  const double end_s = minutes.empty() ? 1 : minutes.back().t_s;
  for (std::size_t panel = 0; panel < 3; ++panel) {
    const auto value = [&](const TimelineMinute& m) {
      return panel == 0   ? static_cast<double>(m.peak_workers)
             : panel == 1 ? static_cast<double>(m.queue)
                          : m.peak_spend_usd_per_hour;
    };
    double top = 0;
    for (const auto& m : minutes) {
      top = std::max(top, value(m));
    }
    top = top > 0 ? top : 1;
    const double y0 = 30 + static_cast<double>(panel) * k_panel;
    const double plot_h = k_panel - 30;
    svg += fmt::format(
        "<text x=\"{:g}\" y=\"{:g}\">{} (max {:.4g})</text>\n", k_left, y0 + 12, names[panel], top);
    svg += fmt::format("<rect x=\"{:g}\" y=\"{:g}\" width=\"{:g}\" height=\"{:g}\" fill=\"none\" "
                       "stroke=\"#ccc\"/>\n",
                       k_left,
                       y0 + 18,
                       k_width - k_left - 20,
                       plot_h);
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" points=\"", colours[panel]);
    const std::size_t step = std::max<std::size_t>(1, minutes.size() / 2000);
    for (std::size_t i = 0; i < minutes.size(); i += step) {
      const double x = k_left + (k_width - k_left - 20) * minutes[i].t_s / end_s;
      const double y = y0 + 18 + plot_h * (1 - value(minutes[i]) / top);
      svg += fmt::format("{:.1f},{:.1f} ", x, y);
    }
    svg += "\"/>\n";
  }
  svg += fmt::format(
      "<text x=\"{:g}\" y=\"{:g}\">0 to {:g} s</text>\n</svg>\n", k_left, 3 * k_panel + 42, end_s);
  return svg;
}

void run_simulate(const SimulateOptions& options, Context& context) {
  if (options.runs < 1) {
    throw Error(fmt::format("--runs: must be at least 1 (got {})", options.runs));
  }
  if (options.top && *options.top < 1) {
    throw Error(fmt::format("--top: must be at least 1 (got {})", *options.top));
  }
  std::vector<SimTarget> targets;
  if (selects_options(options) || options.service.empty()) {
    if (!selects_options(options)) {
      throw Error("nothing to simulate: select options (--option, --gpu, --provider, --product, "
                  "--workload ...) or give --service to run the queue alone");
    }
    targets = select_targets(options, context);
  } else {
    SimTarget alone;
    alone.label = "queue only";
    alone.option.priced = false;
    alone.option.cold_start_s =
        seconds_for_all("--cold-start", options.workload.cold_start).value_or(0);
    alone.option.idle_timeout_s =
        seconds_for_all("--idle-timeout", options.workload.idle_timeout).value_or(0);
    targets.push_back(alone);
  }
  const SimConfig config =
      build_config(options,
                   options.workload.jobs_per_month,
                   seconds_for_all("--idle-timeout", options.workload.idle_timeout));
  for (const SimTarget& target : targets) {
    if (auto status = validate_simulation(config, target.option); !status) {
      throw Error(target.row ? fmt::format("{}: {}", target.label, status.error().message)
                             : status.error().message);
    }
  }
  std::vector<SimOption> sim_options;
  for (const SimTarget& target : targets) {
    sim_options.push_back(target.option);
  }
  const auto results = run_replications(
      config, sim_options, options.seed, options.runs, options.threads.value_or(0));

  if (!options.timeline_file.empty()) {
    write_file(options.timeline_file,
               render_timeline_csv(targets, results, options.output.csv_dialect),
               "--timeline");
  }
  if (!options.chart_file.empty()) {
    write_file(
        options.chart_file, render_chart_svg(targets.front(), results.front().front()), "--chart");
  }
  if (options.output.format == OutputFormat::json) {
    context.out << render_json(options, config, targets, results);
  } else if (options.output.format == OutputFormat::csv) {
    context.out << render_csv(targets, results, options.output.csv_dialect);
  } else {
    context.out << render_table(options, config, targets, results);
  }
}

} // namespace

void register_simulate(CLI::App& app, Context& context) {
  auto options = std::make_shared<SimulateOptions>();
  CLI::App* command = app.add_subcommand(
      "simulate", "Simulate queue-driven autoscaling of workers: cost, waits, cold starts");
  add_workload_options(*command, options->workload);
  add_filter_options(*command, options->filters, RowFilters::excluded);
  add_catalog_options(*command, options->catalog);
  command->add_option("--option",
                      options->option_name,
                      "Simulate this one offer (name or "
                      "provider/name)");
  command->add_option("--top", options->top, "Simulate the N cheapest options (default 3)");
  command->add_option("--arrivals", options->arrivals, "poisson:RATE (jobs/s) or trace:FILE.csv");
  command->add_option("--daily-profile",
                      options->daily_profile,
                      "24 hourly weights: FILE or flat, business-hours, "
                      "evening, night-batch");
  command->add_option("--burst", options->bursts, "AT,JOBS: JOBS arrive at time AT (repeatable)");
  command->add_option(
      "--service", options->service, "fixed:S, exp:MEAN or lognormal:MEAN,P95 (seconds)");
  command->add_option(
      "--cold-start-dist", options->cold_start_dist, "fixed:C or exp:MEAN start-up seconds");
  command->add_option(
      "--cold-service", options->cold_service, "A cold job's whole service time (SimFaaS)");
  command->add_option("--policy",
                      options->policy,
                      "keep-alive, request-count, queue-delay, queue-steps, queue-rules, "
                      "fixed-pool or hybrid");
  command->add_option("--queue", options->queue, "keep-alive: fifo or none");
  command->add_option("--routing", options->routing, "keep-alive: newest, lru or random");
  command->add_option(
      "--scaler-value", options->scaler_value, "request-count: jobs per worker; queue-delay: s");
  command->add_option("--step-table", options->step_table, "queue-steps: FILE.csv or seed002");
  command->add_option("--rule-high-queue", options->rule_high_queue, "queue-rules: 50");
  command->add_option("--rule-high-add", options->rule_high_add, "queue-rules: 5");
  command->add_option("--rule-low-queue", options->rule_low_queue, "queue-rules: 10");
  command->add_option("--rule-low-add", options->rule_low_add, "queue-rules: 1");
  command->add_option(
      "--empty-delay", options->empty_delay_s, "queue-rules: empty seconds before scale-down");
  command->add_option("--min-workers", options->min_workers, "Scaler policies: fewest workers");
  command->add_option("--workers", options->workers, "fixed-pool, hybrid: always-on workers");
  command->add_option("--tick", options->tick_s, "Scaler period, seconds");
  command->add_option("--cooldown", options->cooldown_s, "queue-steps: scale-down delay, s");
  command->add_option("--max-usd-per-hour", options->max_usd_per_hour, "Spend-rate cap, USD/h");
  command->add_option("--budget-usd", options->budget_usd, "Budget per 730-hour month, USD");
  command->add_option("--over-budget", options->over_budget, "Past the budget: queue or reject");
  command->add_option("--horizon", options->horizon, "Simulated time (default 30d)");
  command->add_option("--seed", options->seed, "Random seed (default 1)");
  command->add_option("--runs", options->runs, "Independent replications (default 1)");
  command->add_option("--threads", options->threads, "Threads (default: all cores)");
  add_format_options(
      *command, options->output, {OutputFormat::table, OutputFormat::json, OutputFormat::csv});
  command->add_option(
      "--timeline", options->timeline_file, "Per-minute CSV of run 1 (in --csv-dialect)");
  command->add_option("--chart", options->chart_file, "SVG chart of run 1 of the first option");
  command->callback([options, &context] { run_simulate(*options, context); });
}

} // namespace gpucost::cli
