#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/row_plan.hpp>
#include <gpucost/model/traits.hpp>
#include <gpucost/model/workload.hpp>
#include <gpucost/util/error.hpp>

namespace gpucost {

// A row priced in full: what a shown row carries.
struct PricedRow {
  Estimate estimate;
  ModelOption option;     // the traits and rate the row was priced with
  unsigned defaulted = 0; // DefaultedTrait bits that matter to this row
};

// Prices one planned row of an offer whose job takes `job_seconds` on its GPU; fails, naming the
// reason, as estimate_cost does. Pure.
Expected<PricedRow> price_row(const Offer& offer,
                              const ResolvedTraits& traits,
                              const RowPlan& plan,
                              const Workload& workload,
                              double job_seconds);

} // namespace gpucost
