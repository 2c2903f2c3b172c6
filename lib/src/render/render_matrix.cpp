#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render_matrix.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/table_layout.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace gpucost {

namespace {

using Json = nlohmann::ordered_json;
using render::Align;
using render::Column;

std::string percent(double share) {
  return render::format_fixed(100.0 * share, 1) + "%";
}

std::string direction(const MatrixResult& result, std::size_t c) {
  return result.benefit[c] ? "benefit" : "cost";
}

std::vector<Column> ranking_columns(const MatrixResult& result) {
  std::vector<Column> columns = {{"rank", Align::right, 0, false, {}},
                                 {"option", Align::left, 0, false, {}},
                                 {"total /100", Align::right, 0, false, {}},
                                 {"behind first", Align::right, 0, false, {}}};
  const bool sampled = result.weight_samples.has_value();
  if (sampled) {
    columns.push_back({"first in samples", Align::right, 0, false, {}});
  }
  for (const auto& row : result.rows) {
    columns[0].cells.push_back(std::to_string(row.rank));
    columns[1].cells.push_back(render::printable(row.option));
    columns[2].cells.push_back(render::format_fixed(row.total, 1));
    columns[3].cells.push_back(render::format_fixed(row.distance_to_first, 1));
    if (sampled) {
      columns[4].cells.push_back(percent(row.chance_first.value_or(0)));
    }
  }
  return columns;
}

// Criteria as rows: weight, direction, normalisation, each option's "score (points)", winner.
std::vector<Column> criteria_columns(const MatrixResult& result) {
  std::vector<Column> columns = {{"criterion", Align::left, 0, false, {}},
                                 {"weight", Align::right, 0, false, {}},
                                 {"better", Align::left, 0, false, {}},
                                 {"scale", Align::left, 0, false, {}}};
  for (const auto& row : result.rows) {
    columns.push_back({render::printable(row.option), Align::right, 0, false, {}});
  }
  columns.push_back({"winner", Align::left, 0, false, {}});
  for (std::size_t c = 0; c < result.criteria.size(); ++c) {
    columns[0].cells.push_back(render::printable(result.criteria[c]));
    columns[1].cells.push_back(percent(result.weights[c]));
    columns[2].cells.push_back(result.benefit[c] ? "more" : "less");
    columns[3].cells.emplace_back(to_string(result.normalisation[c]));
    for (std::size_t o = 0; o < result.rows.size(); ++o) {
      const auto& row = result.rows[o];
      columns[4 + o].cells.push_back(fmt::format("{} ({})",
                                                 render::format_fixed(row.scores[c], 1),
                                                 render::format_fixed(row.contributions[c], 1)));
    }
    const auto& winners = result.winners[c];
    columns.back().cells.push_back(winners.size() == result.rows.size() && winners.size() > 1
                                       ? "tie"
                                       : render::printable(render::join(winners, ", ")));
  }
  return columns;
}

// For each criterion, the rival that overtakes the winner with the smallest weight change.
std::vector<Column> sensitivity_columns(const MatrixResult& result) {
  std::vector<Column> columns = {{"criterion", Align::left, 0, false, {}},
                                 {"weight now", Align::right, 0, false, {}},
                                 {"first place flips at", Align::right, 0, false, {}},
                                 {"to", Align::left, 0, false, {}}};
  for (std::size_t c = 0; c < result.criteria.size(); ++c) {
    const WeightFlip* closest = nullptr;
    for (const auto& flip : result.flips) {
      if (flip.criterion != result.criteria[c] || !flip.flip_weight) {
        continue;
      }
      if (closest == nullptr
          || std::abs(*flip.flip_weight - flip.weight)
                 < std::abs(*closest->flip_weight - closest->weight)) {
        closest = &flip;
      }
    }
    columns[0].cells.push_back(render::printable(result.criteria[c]));
    columns[1].cells.push_back(percent(result.weights[c]));
    columns[2].cells.push_back(closest ? describe_flip(*closest) : "never");
    columns[3].cells.push_back(closest ? render::printable(closest->rival) : "-");
  }
  return columns;
}

std::string reversal_text(const MatrixResult& result) {
  if (result.reversals.empty()) {
    return "Rank reversal: needs 3 or more options.\n";
  }
  std::string out;
  std::size_t reversed = 0;
  for (const auto& reversal : result.reversals) {
    if (reversal.reversed) {
      ++reversed;
      out += fmt::format("  without {}: {}\n",
                         render::printable(reversal.dropped),
                         render::printable(render::join(reversal.order, " > ")));
    }
  }
  if (reversed == 0) {
    return fmt::format("Rank reversal: none (dropping any one of the {} options keeps the others' "
                       "order).\n",
                       result.rows.size());
  }
  return fmt::format("Rank reversal: {} of {} drops change the others' order:\n",
                     reversed,
                     result.reversals.size())
         + out;
}

const TableStyle k_plain{.columns = 0, .color = false};

} // namespace

std::string describe_flip(const WeightFlip& flip) {
  return flip.flip_weight ? percent(*flip.flip_weight) : "never";
}

std::string render_matrix_table(const MatrixResult& result, const std::string& heading) {
  std::string out = render::printable(heading) + "\n\n";
  const std::vector<bool> none(result.rows.size(), false);
  out += render::render_rows(ranking_columns(result), none, k_plain);
  out += "\nScores 0-10 (points of the 100 in brackets):\n";
  out += render::render_rows(
      criteria_columns(result), std::vector<bool>(result.criteria.size(), false), k_plain);
  if (result.rows.size() >= 2) {
    out += fmt::format("\nSensitivity: the weight one criterion needs (the others rescaled in "
                       "proportion) for {} to lose first place:\n",
                       render::printable(result.rows.front().option));
    out += render::render_rows(
        sensitivity_columns(result), std::vector<bool>(result.criteria.size(), false), k_plain);
    out += "\n" + reversal_text(result);
  }
  if (result.weight_samples) {
    out += fmt::format("Weight sampling: {} Dirichlet draws around the weights, concentration {}, "
                       "seed {}.\n",
                       *result.weight_samples,
                       render::format_quantity(result.concentration.value_or(0)),
                       result.seed.value_or(0));
  }
  for (const auto& note : result.notes) {
    out += render::wrap(note, "note: ", "      ", 100);
  }
  return out;
}

std::string render_matrix_csv(const MatrixResult& result, render::CsvDialect dialect) {
  std::vector<std::string> header = {"option", "rank", "total", "distance_to_first"};
  if (result.weight_samples) {
    header.emplace_back("chance_first");
  }
  for (const auto& criterion : result.criteria) {
    header.push_back("score:" + criterion);
  }
  for (const auto& criterion : result.criteria) {
    header.push_back("contribution:" + criterion);
  }
  render::CsvWriter csv(dialect, std::move(header));
  for (const auto& row : result.rows) {
    std::vector<render::CsvCell> cells = {render::csv_text_cell(row.option),
                                          render::csv_integer_cell(row.rank),
                                          render::csv_number_cell(row.total),
                                          render::csv_number_cell(row.distance_to_first)};
    if (result.weight_samples) {
      cells.push_back(render::csv_number_cell(row.chance_first));
    }
    for (double score : row.scores) {
      cells.push_back(render::csv_number_cell(score));
    }
    for (double contribution : row.contributions) {
      cells.push_back(render::csv_number_cell(contribution));
    }
    csv.add_record(cells);
  }
  return std::move(csv).text();
}

std::string render_matrix_json(const MatrixResult& result, const std::string& heading) {
  Json criteria = Json::array();
  for (std::size_t c = 0; c < result.criteria.size(); ++c) {
    criteria.push_back({{"name", result.criteria[c]},
                        {"unit", result.units[c].empty() ? Json(nullptr) : Json(result.units[c])},
                        {"direction", direction(result, c)},
                        {"normalisation", to_string(result.normalisation[c])},
                        {"weight", result.weights[c]},
                        {"winners", result.winners[c]}});
  }
  Json options = Json::array();
  for (const auto& row : result.rows) {
    Json scores = Json::object();
    Json contributions = Json::object();
    for (std::size_t c = 0; c < result.criteria.size(); ++c) {
      scores[result.criteria[c]] = row.scores[c];
      contributions[result.criteria[c]] = row.contributions[c];
    }
    options.push_back({{"option", row.option},
                       {"rank", row.rank},
                       {"total", row.total},
                       {"distance_to_first", row.distance_to_first},
                       {"chance_first", row.chance_first ? Json(*row.chance_first) : Json(nullptr)},
                       {"scores", scores},
                       {"contributions", contributions}});
  }
  Json sensitivity = Json::array();
  for (const auto& flip : result.flips) {
    sensitivity.push_back(
        {{"criterion", flip.criterion},
         {"winner", result.rows.front().option},
         {"rival", flip.rival},
         {"weight", flip.weight},
         {"flip_weight", flip.flip_weight ? Json(*flip.flip_weight) : Json(nullptr)}});
  }
  Json reversals = Json::array();
  for (const auto& reversal : result.reversals) {
    reversals.push_back({{"dropped", reversal.dropped},
                         {"order", reversal.order},
                         {"reversed", reversal.reversed}});
  }
  Json sampling = nullptr;
  if (result.weight_samples) {
    sampling = {{"samples", *result.weight_samples},
                {"seed", result.seed.value_or(0)},
                {"concentration", result.concentration.value_or(0)}};
  }
  const Json document = {{"schema", "gpucost/matrix"},
                         {"schemaVersion", 1},
                         {"title", heading},
                         {"criteria", criteria},
                         {"options", options},
                         {"sensitivity", sensitivity},
                         {"rank_reversal", reversals},
                         {"weight_sampling", sampling},
                         {"notes", result.notes}};
  return document.dump(2) + "\n";
}

std::string render_matrix_markdown(const MatrixResult& result, const std::string& heading) {
  std::string out = "### " + render::markdown_escape(heading) + "\n\n";
  out += render::markdown_table(ranking_columns(result)) + "\n";
  out += "Scores 0-10 (points of the 100 in brackets):\n\n";
  out += render::markdown_table(criteria_columns(result)) + "\n";
  if (result.rows.size() >= 2) {
    out += "Weight at which first place flips (others rescaled in proportion):\n\n";
    out += render::markdown_table(sensitivity_columns(result)) + "\n";
  }
  for (const auto& note : result.notes) {
    out += "> " + render::markdown_escape(note) + "\n";
  }
  return out;
}

} // namespace gpucost
