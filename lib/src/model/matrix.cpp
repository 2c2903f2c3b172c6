#include <gpucost/model/matrix.hpp>
#include <gpucost/util/strings.hpp>
#include <gpucost/util/suggest.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace gpucost {

namespace {

// Scores 0-10 of one criterion over the options in `keep` (indexes into criterion.values).
std::vector<double> normalise(const Criterion& criterion, const std::vector<std::size_t>& keep) {
  std::vector<double> scores;
  scores.reserve(keep.size());
  if (criterion.normalisation == Normalisation::given) {
    for (std::size_t index : keep) {
      scores.push_back(criterion.values[index]);
    }
    return scores;
  }
  double lower = criterion.lower;
  double upper = criterion.upper;
  if (criterion.normalisation == Normalisation::min_max) {
    lower = std::numeric_limits<double>::infinity();
    upper = -lower;
    for (std::size_t index : keep) {
      lower = std::min(lower, criterion.values[index]);
      upper = std::max(upper, criterion.values[index]);
    }
  }
  for (std::size_t index : keep) {
    const double value = criterion.values[index];
    double share = upper > lower ? (value - lower) / (upper - lower) : 1.0;
    share = std::clamp(share, 0.0, 1.0);
    if (!criterion.benefit && upper > lower) {
      share = 1.0 - share;
    }
    scores.push_back(10.0 * share);
  }
  return scores;
}

// Options in `keep` ordered by total (best first), ties in input order; totals out of 100.
std::vector<std::size_t> order_by_total(const std::vector<double>& totals) {
  std::vector<std::size_t> order(totals.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return totals[a] > totals[b] + 1e-12;
  });
  return order;
}

// Scores [option][criterion] and totals of the options in `keep`.
struct Scored {
  std::vector<std::vector<double>> scores;
  std::vector<double> totals;
};

Scored score(const MatrixInput& input,
             const std::vector<double>& weights,
             const std::vector<std::size_t>& keep) {
  Scored scored;
  scored.scores.assign(keep.size(), std::vector<double>(input.criteria.size()));
  for (std::size_t c = 0; c < input.criteria.size(); ++c) {
    const auto column = normalise(input.criteria[c], keep);
    for (std::size_t o = 0; o < keep.size(); ++o) {
      scored.scores[o][c] = column[o];
    }
  }
  for (const auto& row : scored.scores) {
    double total = 0;
    for (std::size_t c = 0; c < row.size(); ++c) {
      total += 10.0 * weights[c] * row[c];
    }
    scored.totals.push_back(total);
  }
  return scored;
}

// Splits one CSV line into fields (quotes with "" escapes), by `separator`.
std::vector<std::string> split_csv_line(std::string_view line, char separator) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        fields.back() += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == separator) {
      fields.emplace_back();
    } else {
      fields.back() += ch;
    }
  }
  for (auto& field : fields) {
    field = std::string(trim(field));
  }
  return fields;
}

} // namespace

std::string_view to_string(Normalisation normalisation) {
  switch (normalisation) {
  case Normalisation::given:
    return "given";
  case Normalisation::min_max:
    return "min-max";
  case Normalisation::bounds:
    return "bounds";
  }
  return "given";
}

Expected<MatrixResult> evaluate_matrix(const MatrixInput& input, const WeightSampling& sampling) {
  const std::size_t n_options = input.options.size();
  const std::size_t n_criteria = input.criteria.size();
  if (n_options == 0) {
    return make_error("matrix: no option to rank");
  }
  if (n_criteria == 0) {
    return make_error("matrix: no criterion to rank on");
  }
  if (input.weights.size() != n_criteria) {
    return make_error(
        fmt::format("matrix: {} weights for {} criteria", input.weights.size(), n_criteria));
  }
  double weight_sum = 0;
  for (std::size_t c = 0; c < n_criteria; ++c) {
    const Criterion& criterion = input.criteria[c];
    if (!std::isfinite(input.weights[c]) || input.weights[c] < 0) {
      return make_error(fmt::format(
          "weight of \"{}\": must be 0 or more (got {})", criterion.name, input.weights[c]));
    }
    weight_sum += input.weights[c];
    if (criterion.values.size() != n_options) {
      return make_error(fmt::format("criterion \"{}\": {} values for {} options",
                                    criterion.name,
                                    criterion.values.size(),
                                    n_options));
    }
    if (criterion.normalisation == Normalisation::bounds && !(criterion.upper > criterion.lower)) {
      return make_error(fmt::format("bounds of \"{}\": the upper bound must exceed the lower "
                                    "(got {}..{})",
                                    criterion.name,
                                    criterion.lower,
                                    criterion.upper));
    }
    for (std::size_t o = 0; o < n_options; ++o) {
      const double value = criterion.values[o];
      if (!std::isfinite(value)) {
        return make_error(fmt::format(
            "criterion \"{}\" of \"{}\": not a finite number", criterion.name, input.options[o]));
      }
      if (criterion.normalisation == Normalisation::given && (value < 0 || value > 10)) {
        return make_error(fmt::format("score \"{}\" of \"{}\": must be 0 to 10 (got {})",
                                      criterion.name,
                                      input.options[o],
                                      value));
      }
    }
  }
  if (!(weight_sum > 0)) {
    return make_error("weights: at least one must be positive");
  }

  MatrixResult result;
  for (std::size_t c = 0; c < n_criteria; ++c) {
    result.criteria.push_back(input.criteria[c].name);
    result.units.push_back(input.criteria[c].unit);
    result.benefit.push_back(input.criteria[c].benefit);
    result.normalisation.push_back(input.criteria[c].normalisation);
    result.weights.push_back(input.weights[c] / weight_sum);
  }
  const auto& weights = result.weights;

  std::vector<std::size_t> all(n_options);
  std::iota(all.begin(), all.end(), 0);
  const Scored scored = score(input, weights, all);
  const auto order = order_by_total(scored.totals);
  const double first_total = scored.totals[order.front()];
  for (std::size_t position = 0; position < n_options; ++position) {
    const std::size_t o = order[position];
    MatrixRow row;
    row.option = input.options[o];
    row.rank = static_cast<int>(position + 1);
    row.total = scored.totals[o];
    row.distance_to_first = first_total - row.total;
    row.scores = scored.scores[o];
    for (std::size_t c = 0; c < n_criteria; ++c) {
      row.contributions.push_back(10.0 * weights[c] * row.scores[c]);
    }
    result.rows.push_back(std::move(row));
  }
  for (std::size_t c = 0; c < n_criteria; ++c) {
    double best = -1;
    for (std::size_t o = 0; o < n_options; ++o) {
      best = std::max(best, scored.scores[o][c]);
    }
    std::vector<std::string> winners;
    for (std::size_t o : order) {
      if (scored.scores[o][c] >= best - 1e-9) {
        winners.push_back(input.options[o]);
      }
    }
    result.winners.push_back(std::move(winners));
  }

  // Flip weights: D(x) = x d_k + (1 - x) R with R the rest's weighted difference; D(x*) = 0.
  const std::size_t winner = order.front();
  for (std::size_t c = 0; c < n_criteria; ++c) {
    for (std::size_t position = 1; position < n_options; ++position) {
      const std::size_t rival = order[position];
      WeightFlip flip;
      flip.criterion = input.criteria[c].name;
      flip.rival = input.options[rival];
      flip.weight = weights[c];
      const double d_k = scored.scores[winner][c] - scored.scores[rival][c];
      const double d_total = (scored.totals[winner] - scored.totals[rival]) / 10.0;
      if (weights[c] < 1.0) {
        const double rest = (d_total - weights[c] * d_k) / (1.0 - weights[c]);
        if (std::abs(rest - d_k) > 1e-12) {
          const double x = rest / (rest - d_k);
          if (x > 1e-12 && x < 1.0 - 1e-9) { // a tie at weight 1 never flips
            flip.flip_weight = x;
          }
        }
      }
      result.flips.push_back(std::move(flip));
    }
  }

  // Rank reversal: drop each option and score the rest again.
  if (n_options >= 3) {
    for (std::size_t drop = 0; drop < n_options; ++drop) {
      std::vector<std::size_t> keep;
      for (std::size_t o = 0; o < n_options; ++o) {
        if (o != drop) {
          keep.push_back(o);
        }
      }
      const Scored rest = score(input, weights, keep);
      const auto rest_order = order_by_total(rest.totals);
      RankReversal reversal;
      reversal.dropped = input.options[drop];
      std::vector<std::size_t> before;
      for (std::size_t o : order) {
        if (o != drop) {
          before.push_back(o);
        }
      }
      for (std::size_t position = 0; position < rest_order.size(); ++position) {
        const std::size_t o = keep[rest_order[position]];
        reversal.order.push_back(input.options[o]);
        reversal.reversed = reversal.reversed || o != before[position];
      }
      result.reversals.push_back(std::move(reversal));
    }
  }

  if (sampling.samples > 0) {
    if (!(sampling.concentration > 0) || !std::isfinite(sampling.concentration)) {
      return make_error(
          fmt::format("--weight-concentration: must be positive (got {})", sampling.concentration));
    }
    std::mt19937_64 engine(sampling.seed);
    std::vector<std::size_t> firsts(n_options, 0);
    std::vector<double> drawn(n_criteria);
    for (std::size_t sample = 0; sample < sampling.samples; ++sample) {
      double sum = 0;
      for (std::size_t c = 0; c < n_criteria; ++c) {
        drawn[c] = 0;
        if (weights[c] > 0) {
          std::gamma_distribution<double> gamma(sampling.concentration * weights[c], 1.0);
          drawn[c] = gamma(engine);
        }
        sum += drawn[c];
      }
      if (!(sum > 0)) {
        drawn = weights;
        sum = 1;
      }
      std::size_t best = 0;
      double best_total = -1;
      for (std::size_t o = 0; o < n_options; ++o) {
        double total = 0;
        for (std::size_t c = 0; c < n_criteria; ++c) {
          total += drawn[c] / sum * scored.scores[o][c];
        }
        if (total > best_total + 1e-12) {
          best_total = total;
          best = o;
        }
      }
      ++firsts[best];
    }
    for (auto& row : result.rows) {
      const auto it = std::find(input.options.begin(), input.options.end(), row.option);
      const auto o = static_cast<std::size_t>(it - input.options.begin());
      row.chance_first = static_cast<double>(firsts[o]) / static_cast<double>(sampling.samples);
    }
    result.weight_samples = sampling.samples;
    result.seed = sampling.seed;
    result.concentration = sampling.concentration;
  }
  return result;
}

Expected<std::vector<double>> parse_weights(std::string_view text,
                                            const std::vector<std::string>& criteria) {
  std::vector<double> weights(criteria.size(), 1.0);
  text = trim(text);
  if (text.empty() || equals_ignoring_case(text, "equal")) {
    return weights;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = trim(text.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) {
      continue;
    }
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) {
      return make_error(fmt::format(
          "--weights: \"{}\" is not NAME=WEIGHT or NAME=LEVEL (critical, high, medium, low)",
          item));
    }
    const std::string name(trim(item.substr(0, equals)));
    const std::string_view value = trim(item.substr(equals + 1));
    const auto it = std::find_if(criteria.begin(), criteria.end(), [&](const std::string& c) {
      return equals_ignoring_case(c, name);
    });
    if (it == criteria.end()) {
      const std::string hint = closest_match(name, criteria);
      return make_error(
          fmt::format("--weights: unknown criterion \"{}\"{}; criteria are {}",
                      name,
                      hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint),
                      fmt::format("{}", fmt::join(criteria, ", "))));
    }
    double weight = 0;
    if (equals_ignoring_case(value, "critical")) {
      weight = 3;
    } else if (equals_ignoring_case(value, "high")) {
      weight = 2;
    } else if (equals_ignoring_case(value, "medium")) {
      weight = 1;
    } else if (equals_ignoring_case(value, "low")) {
      weight = 0.5;
    } else if (const auto number = parse_finite_number(value); number && *number >= 0) {
      weight = *number;
    } else {
      return make_error(fmt::format("--weights: weight of \"{}\" must be a number of 0 or more or "
                                    "critical, high, medium, low (got \"{}\")",
                                    name,
                                    value));
    }
    weights[static_cast<std::size_t>(it - criteria.begin())] = weight;
    if (comma == text.size()) {
      break;
    }
  }
  return weights;
}

Expected<std::vector<CriterionBounds>> parse_bounds(std::string_view text) {
  std::vector<CriterionBounds> bounds;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = trim(text.substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) {
      continue;
    }
    const std::size_t equals = item.find('=');
    const std::size_t dots = item.find("..");
    if (equals == std::string_view::npos || dots == std::string_view::npos || dots < equals) {
      return make_error(fmt::format("--bounds: \"{}\" is not NAME=LOW..HIGH", item));
    }
    const auto lower = parse_finite_number(item.substr(equals + 1, dots - equals - 1));
    const auto upper = parse_finite_number(item.substr(dots + 2));
    if (!lower || !upper || !(*upper > *lower)) {
      return make_error(
          fmt::format("--bounds: \"{}\" needs two numbers LOW..HIGH with LOW < HIGH", item));
    }
    bounds.push_back({std::string(trim(item.substr(0, equals))), *lower, *upper});
  }
  return bounds;
}

Expected<ScoreTable> parse_score_table(std::string_view text, std::string_view file_name) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  ScoreTable table;
  std::size_t line_number = 0;
  std::size_t start = 0;
  char separator = ',';
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (trim(line).empty()) {
      continue;
    }
    if (table.criteria.empty()) {
      if (line.find(',') == std::string_view::npos && line.find(';') != std::string_view::npos) {
        separator = ';';
      }
      auto header = split_csv_line(line, separator);
      if (header.size() < 2 || !equals_ignoring_case(header[0], "option")) {
        return make_error(
            fmt::format("{}:{}: the header must be \"option,<criterion>,...\" (got \"{}\")",
                        file_name,
                        line_number,
                        line));
      }
      for (std::size_t i = 1; i < header.size(); ++i) {
        if (header[i].empty()) {
          return make_error(
              fmt::format("{}:{}: column {} has no criterion name", file_name, line_number, i + 1));
        }
        if (std::find(table.criteria.begin(), table.criteria.end(), header[i])
            != table.criteria.end()) {
          return make_error(fmt::format(
              "{}:{}: criterion \"{}\" appears twice", file_name, line_number, header[i]));
        }
        table.criteria.push_back(header[i]);
      }
      continue;
    }
    const auto fields = split_csv_line(line, separator);
    if (fields.size() != table.criteria.size() + 1) {
      return make_error(fmt::format("{}:{}: {} fields, the header has {}",
                                    file_name,
                                    line_number,
                                    fields.size(),
                                    table.criteria.size() + 1));
    }
    if (fields[0].empty()) {
      return make_error(fmt::format("{}:{}: field \"option\": empty", file_name, line_number));
    }
    if (std::find(table.options.begin(), table.options.end(), fields[0]) != table.options.end()) {
      return make_error(
          fmt::format("{}:{}: option \"{}\" appears twice", file_name, line_number, fields[0]));
    }
    std::vector<double> scores;
    for (std::size_t i = 1; i < fields.size(); ++i) {
      std::string value = fields[i];
      if (separator == ';') {
        std::replace(value.begin(), value.end(), ',', '.'); // a spreadsheet's decimal comma
      }
      const auto number = parse_finite_number(value);
      if (!number || *number < 0 || *number > 10) {
        return make_error(fmt::format("{}:{}: field \"{}\": a score must be a number 0 to 10 "
                                      "(got \"{}\")",
                                      file_name,
                                      line_number,
                                      table.criteria[i - 1],
                                      fields[i]));
      }
      scores.push_back(*number);
    }
    table.options.push_back(fields[0]);
    table.scores.push_back(std::move(scores));
  }
  if (table.criteria.empty()) {
    return make_error(
        fmt::format("{}: empty: expected a header \"option,<criterion>,...\"", file_name));
  }
  if (table.options.empty()) {
    return make_error(fmt::format("{}: no option rows after the header", file_name));
  }
  return table;
}

} // namespace gpucost
