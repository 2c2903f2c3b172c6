#pragma once

#include <gpucost/model/cost_model.hpp>
#include <gpucost/model/filters.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/model/price_origin.hpp>
#include <gpucost/model/workload.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gpucost {

// One catalog file or cache that fed a result, for provenance in every output.
struct CatalogSource {
  PriceOrigin origin = PriceOrigin::file; // bundled, cache, live or file
  std::string location;                   // path or URL
  std::string provider;   // provider id when the source holds one provider, else empty
  std::string fetched_at; // oldest fetched_at of its offers, ISO 8601 UTC; empty when unknown
  std::size_t offers = 0; // offers read from it
};

// The catalog a result was computed from.
struct CatalogInfo {
  std::vector<CatalogSource> sources;
  std::string sha256; // hex SHA-256 of the merged catalog, as serialized canonically
};

// One ranked row: an offer priced in one mode.
struct RankedOption {
  int rank = 0;                            // 1 = cheapest per job
  Offer offer;                             // the offer as resolved (traits filled in)
  Estimate estimate;                       // the priced job
  double usd_per_hour = 0;                 // the rate this row pays (spot, monthly / 730, ...)
  std::vector<std::string> defaulted;      // trait names that came from built-in defaults
  std::optional<double> price_age_s;       // now - fetched_at, seconds; empty when unknown
  std::string key;                         // stable option key (option_key.hpp), for check rules
  ModelOption option;                      // the rate and traits the row was priced with
  std::optional<double> egress_usd_per_gb; // the egress price the row used; empty when unknown
  bool traits_known = true;        // false for a baseline row read from a document without traits
  std::string job_seconds_basis;   // "measured", "benchmark" or "spec" (job_time.hpp)
  std::string job_seconds_source;  // the measurement, benchmark group or spec figure
  Mode model_mode = Mode::per_job; // the mode estimate_cost priced (serverless per-job: keep-alive)
  std::string max_workers_origin;  // serverless: where option.max_workers comes from (traits.hpp)
};

// The result of `gpucost compare`: rendered as a table, CSV, JSON or markdown.
struct CompareResult {
  std::string tool_version; // GPUCOST_VERSION
  std::string generated_at; // ISO 8601 UTC, from the caller's clock
  std::string currency = "USD";
  Workload workload; // as given, after flag overrides
  CatalogInfo catalog;
  std::vector<RankedOption> options; // sorted by rank, at most the number asked for
  std::size_t total_options = 0;     // rows priced before --top cut the list
  std::vector<std::string> warnings; // e.g. GPUs left out, stale prices
  OfferFilters filters;              // the filters the result was made with
  std::optional<std::size_t> top;    // --top, when the list was cut
};

} // namespace gpucost
