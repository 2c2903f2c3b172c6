#pragma once

// The weighted decision matrix of `gpucost matrix` (docs/decisions.md): criteria scored 0-10,
// weights, totals out of 100, ranking, and its sensitivity. Pure: no files, clock or environment.

#include <gpucost/util/error.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// How a criterion's raw values become scores 0-10.
enum class Normalisation {
  given,   // the values are scores already (a --scores file), used as given
  min_max, // relative to the candidates: the best scores 10, the worst 0; all equal: all 10
  bounds,  // fixed bounds lo..hi: adding an option does not move the others' scores
};

// "given", "min-max" or "bounds".
std::string_view to_string(Normalisation normalisation);

// One criterion: a raw value per option (same order as MatrixInput::options).
struct Criterion {
  std::string name;           // e.g. "cost_per_job", or a --scores header
  std::string unit;           // e.g. "USD", empty for a score
  bool benefit = true;        // more is better; false: a cost criterion (less is better)
  std::vector<double> values; // raw values, one per option, finite
  Normalisation normalisation = Normalisation::min_max;
  double lower = 0;  // bounds: the value scoring 0 (benefit) or 10 (cost)
  double upper = 10; // bounds: the value scoring 10 (benefit) or 0 (cost)
};

// What the matrix ranks: option labels, criteria and one weight per criterion (any positive
// scale; they are normalised to sum 1).
struct MatrixInput {
  std::vector<std::string> options;
  std::vector<Criterion> criteria;
  std::vector<double> weights;
};

// The smallest change of one criterion's weight that makes `rival` overtake the winner, the
// other weights rescaled in proportion; closed form (docs/decisions.md).
struct WeightFlip {
  std::string criterion;
  std::string rival;
  double weight = 0;                 // the criterion's normalised weight now, 0..1
  std::optional<double> flip_weight; // the weight at which the two tie; empty: never in [0, 1]
};

// One option's rank after another option is dropped and the rest are scored again.
struct RankReversal {
  std::string dropped;
  std::vector<std::string> order; // the remaining options, best first
  bool reversed = false;          // the remaining options' relative order changed
};

// One option's outcome.
struct MatrixRow {
  std::string option;
  int rank = 0;                       // 1 = best total
  double total = 0;                   // out of 100
  double distance_to_first = 0;       // first's total minus this total, points
  std::vector<double> scores;         // 0-10, one per criterion
  std::vector<double> contributions;  // points of the 100 each criterion gives, sum = total
  std::optional<double> chance_first; // share of sampled weights ranking it first
};

// The matrix's result; rows in rank order.
struct MatrixResult {
  std::vector<std::string> criteria;
  std::vector<std::string> units;
  std::vector<bool> benefit;
  std::vector<Normalisation> normalisation;
  std::vector<double> weights;                   // normalised, sum 1
  std::vector<std::vector<std::string>> winners; // per criterion: the best-scoring options
  std::vector<MatrixRow> rows;                   // rank order
  std::vector<WeightFlip> flips;                 // winner against each rival, per criterion
  std::vector<RankReversal> reversals;           // one per dropped option (3+ options)
  std::optional<std::size_t> weight_samples;     // N when sampling ran
  std::optional<std::uint64_t> seed;             // its seed
  std::optional<double> concentration;           // its Dirichlet concentration
  std::vector<std::string> notes;                // e.g. criteria left out
};

// Weight sampling: N Dirichlet draws centred on the weights (alpha_i = concentration * w_i).
struct WeightSampling {
  std::size_t samples = 0; // 0: no sampling
  std::uint64_t seed = 1;
  double concentration = 50;
};

// Scores, ranks and analyses the matrix; fails naming the option or criterion when the input is
// inconsistent (no option, a value count that differs, a weight not positive, a given score out
// of 0-10, bounds with lower == upper).
Expected<MatrixResult> evaluate_matrix(const MatrixInput& input, const WeightSampling& sampling);

// Parses --weights: "equal", "name=3,other=1.5" or levels "name=critical,other=high" (critical,
// high, medium, low = 3, 2, 1, 0.5) mixed freely; a criterion left out weighs 1 (medium). Fails
// naming an unknown criterion ("did you mean") or a bad weight.
Expected<std::vector<double>> parse_weights(std::string_view text,
                                            const std::vector<std::string>& criteria);

// Parses --bounds "name=lo..hi,other=lo..hi" into (name, lo, hi); fails naming the bad item.
struct CriterionBounds {
  std::string name;
  double lower = 0;
  double upper = 0;
};
Expected<std::vector<CriterionBounds>> parse_bounds(std::string_view text);

// A --scores file: header "option,<criterion>,..." then one row per option, scores 0-10.
struct ScoreTable {
  std::vector<std::string> criteria;
  std::vector<std::string> options;
  std::vector<std::vector<double>> scores; // [option][criterion]
};

// Parses a --scores CSV text (comma or semicolon separated, quotes, CRLF, a UTF-8 BOM, blank
// lines skipped); fails with "FILE:LINE: field "NAME": ..." on a bad row.
Expected<ScoreTable> parse_score_table(std::string_view text, std::string_view file_name);

} // namespace gpucost
