#include <gpucost/model/price_origin.hpp>

#include <array>
#include <utility>

namespace gpucost {

namespace {

constexpr std::array<std::pair<PriceOrigin, std::string_view>, 5> k_origins = {{
    {PriceOrigin::live, "live"},
    {PriceOrigin::cache, "cache"},
    {PriceOrigin::bundled, "bundled"},
    {PriceOrigin::file, "file"},
    {PriceOrigin::none, "none"},
}};

} // namespace

std::string_view to_string(PriceOrigin origin) {
  for (const auto& [value, name] : k_origins) {
    if (value == origin) {
      return name;
    }
  }
  return "none";
}

std::optional<PriceOrigin> parse_price_origin(std::string_view text) {
  for (const auto& [value, name] : k_origins) {
    if (name == text) {
      return value;
    }
  }
  return std::nullopt;
}

} // namespace gpucost
