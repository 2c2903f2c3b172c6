#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/row_plan.hpp>
#include <gpucost/model/traits.hpp>
#include <gpucost/model/workload.hpp>
#include <gpucost/util/error.hpp>

#include <optional>
#include <string>

namespace gpucost {

// A row priced in full: what a shown row carries.
struct PricedRow {
  Estimate estimate;
  ModelOption option;             // the traits and rate the row was priced with
  unsigned defaulted = 0;         // DefaultedTrait bits that matter to this row
  std::string max_workers_origin; // serverless: where option.max_workers comes from (traits.hpp)
};

// Prices one planned row of an offer whose job takes `job_seconds` on its GPU; fails, naming the
// reason, as estimate_cost does, and for a serverless row whose load needs more workers at once
// than option.max_workers (a keep-alive fleet's λS, always-on's n workers; a cap of 0, when one
// worker has more GPUs than a GPU limit), with a message shared by every such row of the
// provider. Pure.
Expected<PricedRow> price_row(const Offer& offer,
                              const ResolvedTraits& traits,
                              const RowPlan& plan,
                              const Workload& workload,
                              double job_seconds);

// For a row that price_row would price as a simulated fleet and is sure to price: a cost per job
// its price_row is sure not to fall below (fleet_cost_floor). Empty for any other row, or one
// whose pricing may fail. Pure, and costs microseconds where the fleet's pricing simulates.
std::optional<double> fleet_row_cost_floor(const Offer& offer,
                                           const ResolvedTraits& traits,
                                           const RowPlan& plan,
                                           const Workload& workload,
                                           double job_seconds);

} // namespace gpucost
