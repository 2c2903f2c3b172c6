#pragma once

#include <gpucost/model/matrix.hpp>
#include <gpucost/render/csv_util.hpp>

#include <string>

namespace gpucost {

// Renders a decision matrix as aligned text: the ranking, the per-criterion scores and
// contributions with each criterion's winner, the sensitivity and the rank-reversal check;
// `heading` is the first line. Pure.
std::string render_matrix_table(const MatrixResult& result, const std::string& heading);

// Renders a decision matrix as CSV in `dialect` (render/csv_util.hpp): one record per option, rank
// order, with its total (points of 100), scores (0-10) and contributions (points) by criterion.
// Pure.
std::string render_matrix_csv(const MatrixResult& result, render::CsvDialect dialect);

// Renders a decision matrix as the gpucost/matrix JSON document: criteria[], options[] (option,
// total, rank, scores, contributions), sensitivity[], rank_reversal[]; full precision. Pure.
std::string render_matrix_json(const MatrixResult& result, const std::string& heading);

// Renders a decision matrix as GitHub-flavoured markdown tables. Pure.
std::string render_matrix_markdown(const MatrixResult& result, const std::string& heading);

// "never" or the flip weight as a percentage with one decimal ("67.9%").
std::string describe_flip(const WeightFlip& flip);

} // namespace gpucost
