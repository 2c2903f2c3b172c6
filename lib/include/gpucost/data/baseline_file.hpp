#pragma once

// Reading a `gpucost compare --format json` document back, as `gpucost check` uses it as a
// baseline.

#include <gpucost/model/compare_result.hpp>
#include <gpucost/model/provider_info.hpp>
#include <gpucost/util/error.hpp>

#include <string>
#include <string_view>

namespace gpucost {

// A baseline: the compare result as recorded.
struct Baseline {
  std::string origin;       // the file it was read from
  CompareResult result;     // workload, catalog, filters, options (estimate figures as recorded)
  bool has_filters = false; // the document records its filters (older ones do not)
};

// Parses a gpucost/compare document (schemaVersion 1). Options keep their recorded key; a
// document without keys (older) gets them recomputed with `providers` deciding which instance
// names are stable. Rows without traits are marked traits_known = false (they cannot be
// repriced). Errors name the file, line and field.
Expected<Baseline> parse_baseline(std::string_view json_text,
                                  const std::string& origin,
                                  const ProviderTable& providers);

} // namespace gpucost
