#include <gpucost/model/row_plan.hpp>
#include <gpucost/model/units.hpp>

namespace gpucost {

std::vector<RowPlan>
plan_rows(const Offer& offer, const ProductTraits* traits, bool timeout_known) {
  std::vector<RowPlan> rows;
  const auto& on_demand = offer.price_per_hour;
  const auto& spot = offer.spot_price_per_hour;
  switch (offer.product) {
  case Product::pod:
  case Product::vm:
    if (on_demand) {
      rows.push_back({Mode::per_job, Pricing::on_demand, false, *on_demand});
      if (timeout_known) {
        rows.push_back({Mode::keep_alive, Pricing::on_demand, false, *on_demand});
      }
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *on_demand});
    }
    if (spot) {
      rows.push_back({Mode::per_job, Pricing::spot, false, *spot});
      rows.push_back({Mode::always_on, Pricing::spot, false, *spot});
    }
    break;
  case Product::serverless:
    if (on_demand) {
      rows.push_back({Mode::per_job, Pricing::on_demand, true, *on_demand});
      rows.push_back({Mode::keep_alive, Pricing::on_demand, false, *on_demand});
    }
    if (offer.always_on_price_per_hour) {
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *offer.always_on_price_per_hour});
    } else if (on_demand && traits != nullptr && traits->always_on.value_or(false)) {
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *on_demand});
    }
    break;
  case Product::training:
    // A managed job: a machine per job, released when it ends; nothing to keep warm.
    if (on_demand) {
      rows.push_back({Mode::per_job, Pricing::on_demand, false, *on_demand});
    }
    if (spot) {
      rows.push_back({Mode::per_job, Pricing::spot, false, *spot});
    }
    break;
  case Product::prediction:
    // A managed endpoint keeps at least one node up: it is billed whether or not it serves.
    if (on_demand) {
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *on_demand});
    }
    if (spot) {
      rows.push_back({Mode::always_on, Pricing::spot, false, *spot});
    }
    break;
  case Product::dedicated:
    if (offer.monthly_price) {
      rows.push_back(
          {Mode::always_on, Pricing::on_demand, false, *offer.monthly_price / k_hours_per_month});
    } else if (on_demand) {
      rows.push_back({Mode::always_on, Pricing::on_demand, false, *on_demand});
    }
    break;
  case Product::api:
    break; // priced per unit of work, not per hour (api_price.hpp)
  }
  return rows;
}
} // namespace gpucost
