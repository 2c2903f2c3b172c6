#pragma once

#include <gpucost/util/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// How workers live: started per job, kept alive for an idle timeout, or running all month.
enum class Mode : std::uint8_t { per_job, keep_alive, always_on };

// Which price a row pays: the on-demand price or the interruptible (spot) price.
enum class Pricing : std::uint8_t { on_demand, spot };

// How jobs arrive: a Poisson stream at the monthly volume, or sparse (every job cold, full
// timeout).
enum class Traffic { poisson, sparse };

// The spellings used in flags and output: "per-job", "keep-alive", "always-on".
std::string_view to_string(Mode mode);
// "on-demand" or "spot".
std::string_view to_string(Pricing pricing);
// "poisson" or "sparse".
std::string_view to_string(Traffic traffic);
// Parses a mode spelling; nullopt when unknown.
std::optional<Mode> parse_mode(std::string_view text);
// Parses a pricing spelling; nullopt when unknown.
std::optional<Pricing> parse_pricing(std::string_view text);
// Parses a traffic spelling; nullopt when unknown.
std::optional<Traffic> parse_traffic(std::string_view text);

// One option with every trait resolved: the input of the pure cost model. Seconds and USD.
struct ModelOption {
  double usd_per_hour = 0;       // the billed instance's rate for this row (spot rate on spot rows)
  double granularity_s = 1;      // billing rounds a session up to a multiple of this
  double minimum_s = 0;          // a session is billed at least this long
  double cold_start_s = 0;       // C: start-up seconds before a job can run
  bool cold_start_billed = true; // whether C is charged
  double idle_timeout_s = 0;     // T: keep-alive seconds after the last job
  int slots = 1;                 // concurrent jobs one instance runs (floor(gpus / gpus_per_job))
  double egress_usd_per_job = 0; // output_gb times the egress price
  double interruptions_per_hour = 0; // h: spot interruptions per hour (0 on on-demand rows)
  std::optional<int> max_workers;    // serverless: the most workers at once; empty = no known cap
};

// The workload as the model sees it for one option.
struct ModelWorkload {
  double job_seconds = 0;                // S: GPU-busy seconds of one job on this option's GPU
  std::optional<double> jobs_per_month;  // volume; empty means the sparse-traffic bound
  Traffic traffic = Traffic::poisson;    // arrival model for keep-alive
  double max_utilization = 0.8;          // u_max for always-on sizing, in (0, 1]
  std::optional<double> revenue_per_job; // USD, for the margin
};

// Where the money of one job goes, USD per job; the parts add up to cost_per_job.
struct CostSplit {
  double execution = 0;  // r * S
  double cold_start = 0; // billed start-up time
  double idle = 0;       // keep-alive idle tail, or the unused share of an always-on month
  double rounding = 0;   // billing granularity round-up and minimums
  double rerun = 0;      // spot work lost to interruptions and done again
  double egress = 0;     // output transfer
};

// The cost of one job on one option in one mode (cost-model.md "Outputs of one option").
struct Estimate {
  Mode mode = Mode::per_job;
  Pricing pricing = Pricing::on_demand;
  double job_seconds = 0;                    // S on this GPU
  double billed_seconds_per_job = 0;         // every charged second divided by the jobs
  double billed_seconds_before_rounding = 0; // the same before rounding up to g and minimums
  double cost_per_job = 0;                   // USD: r * billed_seconds_per_job + egress
  CostSplit split;                           // adds up to cost_per_job
  std::optional<double> monthly_cost;        // USD a month at jobs_per_month; empty without volume
  std::optional<double> capacity_jobs_per_month;      // always-on: whole jobs a month at u_max
  std::optional<double> capacity_jobs_per_month_full; // always-on: whole jobs a month at 100%
  std::optional<int> workers;                         // always-on: n instances needed
  double p_cold = 1;                                  // share of jobs that wait for a cold start
  std::optional<double> busy_share; // keep-alive Poisson: B, the share of time busy or starting
  double utilization = 0;           // S / billed_seconds_per_job (always-on: per slot)
  std::optional<double> margin;     // 1 - cost / revenue; empty without revenue
  double mean_added_latency_s = 0;  // mean wait before a job starts (cold start and queueing)
  bool best_case = false;           // always-on without volume: priced at full usable capacity
  std::vector<std::string> notes;   // plain-English caveats for this row

  // A serverless keep-alive row priced as a fleet (cost-model.md, B >= 0.5); empty otherwise.
  std::optional<double> mean_workers; // time-average of workers, simulated
  std::optional<int> peak_workers;    // the most workers at once
};

// Prices one job on one option in one mode; fails (naming the reason) when the option cannot
// carry the workload, e.g. a single keep-alive worker busier than 100%.
Expected<Estimate>
estimate_cost(Mode mode, Pricing pricing, const ModelOption& option, const ModelWorkload& workload);

} // namespace gpucost
