#pragma once

// The decision matrix as `matrix` and `report` build it from flags: computed criteria from the
// priced options, user criteria from --scores, weights, bounds and weight sampling.

#include "decision_inputs.hpp"

#include <gpucost/model/matrix.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpucost::cli {

// The matrix flags as typed.
struct MatrixFlags {
  std::string scores_file; // --scores FILE.csv
  std::string weights;     // --weights equal | name=N,... | name=critical,...
  std::string bounds;      // --bounds name=lo..hi,...
  std::string criteria;    // --criteria name,...: computed criteria to keep
  int top = 6;             // --top: options from the catalog
  std::size_t weight_samples = 0;
  std::uint64_t seed = 1;
  double concentration = 50;
};

// Adds --scores, --weights, --bounds, --criteria, --top, --weight-samples, --seed and
// --weight-concentration.
void add_matrix_flags(CLI::App& command, MatrixFlags& flags);

// A built matrix, its heading and warnings.
struct BuiltMatrix {
  MatrixResult result;
  std::string heading;
  std::vector<std::string> warnings;
};

// Builds and evaluates the matrix; with only --scores (no job time) the file's options and
// criteria alone; throws Error naming the file, line and field on bad input.
BuiltMatrix build_matrix(const PricingOptions& pricing, const MatrixFlags& flags, Context& context);

// The same from options already priced (report): `options` as the catalog ranked them.
BuiltMatrix build_matrix_from(const std::vector<RankedOption>& options,
                              const DataSet& data,
                              const Workload& workload,
                              const MatrixFlags& flags);

} // namespace gpucost::cli
