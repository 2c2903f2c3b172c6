#include "matrix_build.hpp"

#include <gpucost/util/file_text.hpp>
#include <gpucost/util/strings.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace gpucost::cli {

namespace {

ScoreTable read_scores(const std::string& path) {
  auto text = FileText::open(path);
  if (!text) {
    throw Error(text.error().message);
  }
  return value_or_throw(parse_score_table(text->view(), path));
}

std::string weights_label(const std::string& weights) {
  return weights.empty() || equals_ignoring_case(weights, "equal") ? "equal weights"
                                                                   : "weights " + weights;
}

// Applies weights, bounds and sampling and evaluates.
BuiltMatrix finish(MatrixInput input, const MatrixFlags& flags, std::vector<std::string> notes) {
  std::vector<std::string> names;
  for (const auto& criterion : input.criteria) {
    names.push_back(criterion.name);
  }
  for (const auto& bound : value_or_throw(parse_bounds(flags.bounds))) {
    const auto it = std::find_if(input.criteria.begin(), input.criteria.end(), [&](auto& c) {
      return equals_ignoring_case(c.name, bound.name);
    });
    if (it == input.criteria.end()) {
      throw Error(fmt::format("--bounds: unknown criterion \"{}\"; criteria are {}",
                              bound.name,
                              fmt::join(names, ", ")));
    }
    if (it->normalisation == Normalisation::given) {
      throw Error(fmt::format(
          "--bounds: \"{}\" comes from --scores, whose scores are used as given", bound.name));
    }
    it->normalisation = Normalisation::bounds;
    it->lower = bound.lower;
    it->upper = bound.upper;
  }
  input.weights = value_or_throw(parse_weights(flags.weights, names));
  const bool relative = std::any_of(input.criteria.begin(), input.criteria.end(), [](auto& c) {
    return c.normalisation == Normalisation::min_max;
  });
  if (relative) {
    notes.emplace_back("min-max scores are relative to the options shown: the best scores 10, the "
                       "worst 0 (all equal: all 10); adding or removing an option moves them "
                       "(give --bounds NAME=LOW..HIGH for fixed ones)");
  }
  BuiltMatrix built;
  built.result = value_or_throw(evaluate_matrix(
      input, WeightSampling{flags.weight_samples, flags.seed, flags.concentration}));
  built.result.notes = std::move(notes);
  built.heading = fmt::format("Decision matrix: {} options, {} criteria, {}",
                              input.options.size(),
                              input.criteria.size(),
                              weights_label(flags.weights));
  return built;
}

} // namespace

void add_matrix_flags(CLI::App& command, MatrixFlags& flags) {
  command.add_option(
      "--scores", flags.scores_file, "CSV of user criteria: option,<criterion>,... scores 0-10");
  command.add_option("--weights",
                     flags.weights,
                     "equal (default), name=N,... or name=critical|high|medium|low,...");
  command.add_option(
      "--bounds", flags.bounds, "Fixed bounds for computed criteria: name=LOW..HIGH,...");
  command.add_option("--criteria", flags.criteria, "Computed criteria to use: name,name,...");
  command.add_option("--top", flags.top, "Options from the catalog (default 6)");
  command.add_option("--weight-samples",
                     flags.weight_samples,
                     "Dirichlet weight samples for each option's chance of ranking first");
  command.add_option("--seed", flags.seed, "Seed of the weight sampling (default 1)");
  command.add_option("--weight-concentration",
                     flags.concentration,
                     "Dirichlet concentration around the weights (default 50)");
}

BuiltMatrix build_matrix_from(const std::vector<RankedOption>& ranked,
                              const DataSet& data,
                              const Workload& workload,
                              const MatrixFlags& flags) {
  if (flags.top < 1) {
    throw Error(fmt::format("--top: must be at least 1 (got {})", flags.top));
  }
  const auto options = distinct_options(ranked, static_cast<std::size_t>(flags.top));
  std::vector<std::string> notes;
  MatrixInput input;
  for (const auto& option : options) {
    input.options.push_back(option_label(option));
  }
  input.criteria = computed_criteria(options, data, workload, notes);
  if (!flags.criteria.empty()) {
    std::vector<Criterion> kept;
    std::vector<std::string> names;
    for (const auto& c : input.criteria) {
      names.push_back(c.name);
    }
    std::size_t start = 0;
    const std::string& text = flags.criteria;
    while (start <= text.size()) {
      const std::size_t comma = std::min(text.find(',', start), text.size());
      const std::string name(trim(std::string_view(text).substr(start, comma - start)));
      start = comma + 1;
      if (name.empty()) {
        continue;
      }
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end()) {
        throw Error(fmt::format("--criteria: \"{}\" is not a computed criterion of these options; "
                                "they have {}",
                                name,
                                fmt::join(names, ", ")));
      }
      kept.push_back(input.criteria[static_cast<std::size_t>(it - names.begin())]);
    }
    input.criteria = std::move(kept);
  }
  if (!flags.scores_file.empty()) {
    const ScoreTable table = read_scores(flags.scores_file);
    for (std::size_t c = 0; c < table.criteria.size(); ++c) {
      Criterion criterion{.name = table.criteria[c],
                          .unit = "",
                          .benefit = true,
                          .values = {},
                          .normalisation = Normalisation::given};
      for (const auto& label : input.options) {
        const auto it = std::find_if(table.options.begin(), table.options.end(), [&](auto& o) {
          return equals_ignoring_case(o, label);
        });
        if (it == table.options.end()) {
          throw Error(fmt::format("{}: no row for option \"{}\" (rows name options as the "
                                  "matrix labels them, or give --scores alone)",
                                  flags.scores_file,
                                  label));
        }
        criterion.values.push_back(
            table.scores[static_cast<std::size_t>(it - table.options.begin())][c]);
      }
      input.criteria.push_back(std::move(criterion));
    }
  }
  return finish(std::move(input), flags, std::move(notes));
}

BuiltMatrix
build_matrix(const PricingOptions& pricing, const MatrixFlags& flags, Context& context) {
  const bool priced = pricing.workload.job_seconds || !pricing.workload.workload_file.empty();
  if (!priced) {
    if (flags.scores_file.empty()) {
      throw Error("matrix: give a workload (--job-seconds and --ref-gpu, or --workload) to score "
                  "the catalog's options, or --scores FILE.csv to rank your own");
    }
    const ScoreTable table = read_scores(flags.scores_file);
    MatrixInput input;
    input.options = table.options;
    for (std::size_t c = 0; c < table.criteria.size(); ++c) {
      Criterion criterion{.name = table.criteria[c],
                          .unit = "",
                          .benefit = true,
                          .values = {},
                          .normalisation = Normalisation::given};
      for (const auto& row : table.scores) {
        criterion.values.push_back(row[c]);
      }
      input.criteria.push_back(std::move(criterion));
    }
    return finish(std::move(input), flags, {});
  }
  PricedSet set = price_all(pricing, context);
  BuiltMatrix built = build_matrix_from(set.result.options, set.inputs.data, set.workload, flags);
  built.warnings = set.result.warnings;
  return built;
}

} // namespace gpucost::cli
