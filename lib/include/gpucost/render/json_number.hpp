#pragma once

#include <nlohmann/json.hpp>

#include <optional>

namespace gpucost::render {

// A JSON number at full precision (nlohmann writes the shortest text that reads back exactly);
// null when unknown, and for NaN or infinity, which JSON cannot carry.
nlohmann::ordered_json json_number(std::optional<double> value);

} // namespace gpucost::render
