#include <gpucost/render/json_number.hpp>

#include <cmath>

namespace gpucost::render {

nlohmann::ordered_json json_number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) {
    return nullptr;
  }
  return *value;
}

} // namespace gpucost::render
