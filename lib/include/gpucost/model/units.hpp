#pragma once

// Facts of the calendar and of the model's limits, defined once (docs/cost-model.md).

namespace gpucost {

// Hours in a billing month, as every provider in the catalog and docs/cost-model.md count it.
inline constexpr double k_hours_per_month = 730.0;

// Seconds in a billing month (730 hours).
inline constexpr double k_seconds_per_month = k_hours_per_month * 3600.0;

// Seconds in a 365-day year: the longest job a workload may describe.
inline constexpr double k_seconds_per_year = 365.0 * 24 * 3600;

// The largest volume a workload may give, jobs a month.
inline constexpr double k_max_jobs_per_month = 1e9;

// The hourly prices a catalog accepts (USD an hour, or the currency's unit): a price outside is a
// unit mistake (per second, in cents, a rounding to nothing), never a real GPU. A monthly price's
// limits are these times k_hours_per_month.
inline constexpr double k_min_price_per_hour = 1e-6;
inline constexpr double k_max_price_per_hour = 1e6;

// The coarsest billing granularity a catalog accepts: a day, in seconds.
inline constexpr double k_max_billing_granularity_s = 86400;

} // namespace gpucost
