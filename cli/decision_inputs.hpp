#pragma once

// What the decision commands (matrix, breakeven, sweep, report) share: every option priced once
// through the pipeline, with its provenance, and short labels for the options.

#include "common.hpp"
#include "workload_options.hpp"

#include <gpucost/model/matrix.hpp>

#include <string>
#include <vector>

namespace gpucost::cli {

// The flags every decision command takes, as compare takes them.
struct PricingOptions {
  WorkloadOptions workload;
  FilterOptions filters;
  CatalogOptions catalog;
};

// Adds the workload, filter and catalog flags of compare to `command`.
void add_pricing_options(CLI::App& command, PricingOptions& options);

// Every option priced, as compare ranks it (all rows, cheapest first), with provenance filled in.
struct PricedSet {
  Inputs inputs;
  Workload workload;
  OfferFilters filters;
  CompareResult result;
};

// Loads the inputs and prices every row; throws Error on bad input.
PricedSet price_all(const PricingOptions& options, Context& context);

// Re-ranks `set` for another workload (same catalog and filters); throws Error on bad input.
CompareResult reprice(const PricedSet& set, const Workload& workload);

// "runpod serverless RTX 3060 per-job" (+ " spot", "2x" GPUs): an option's label in every
// decision output.
std::string option_label(const RankedOption& option);

// The cheapest row of each label (provider, product, GPU, count, mode, pricing), rank order, at
// most `limit`.
std::vector<RankedOption> distinct_options(const std::vector<RankedOption>& options,
                                           std::size_t limit);

// The computed matrix criteria of `options` (cost_per_job, usd_per_hour, monthly_cost,
// mean_added_latency_s, p_cold, reliability, native_autoscaling, egress_per_job); a criterion the
// data lacks for an option is left out and named in `notes`.
std::vector<Criterion> computed_criteria(const std::vector<RankedOption>& options,
                                         const DataSet& data,
                                         const Workload& workload,
                                         std::vector<std::string>& notes);

} // namespace gpucost::cli
