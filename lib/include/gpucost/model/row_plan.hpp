#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/provider_info.hpp>

#include <vector>

namespace gpucost {

// One row to price: a mode, a pricing and the hourly rate it pays.
struct RowPlan {
  Mode mode;
  Pricing pricing;
  bool serverless_per_job; // keep-alive with T = 0, reported as per-job
  double usd_per_hour;     // the rate of the whole instance in this row, USD per hour
};

// The rows an offer has (docs/cost-model.md "Modes, pricing"): pods and VMs per-job, keep-alive
// when an idle timeout is known, always-on, and spot per-job and always-on; serverless per-job,
// keep-alive and always-on where sold; dedicated always-on; training per-job (on demand and
// spot); prediction always-on (on demand and spot). `traits` may be nullptr.
std::vector<RowPlan> plan_rows(const Offer& offer, const ProductTraits* traits, bool timeout_known);

} // namespace gpucost
