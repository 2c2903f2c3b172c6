#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// Levenshtein distance between two strings, for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest of `candidates` to `word` within a small distance (a third of its length, at least
// two edits), or empty when none is that close.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

} // namespace gpucost
