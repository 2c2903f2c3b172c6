#include <gpucost/model/offer.hpp>

#include <array>
#include <utility>

namespace gpucost {

namespace {

constexpr std::array<std::pair<Product, std::string_view>, 6> k_products = {{
    {Product::pod, "pod"},
    {Product::vm, "vm"},
    {Product::serverless, "serverless"},
    {Product::dedicated, "dedicated"},
    {Product::training, "training"},
    {Product::prediction, "prediction"},
}};

} // namespace

std::string_view to_string(Product product) {
  for (const auto& [value, name] : k_products) {
    if (value == product) {
      return name;
    }
  }
  return "vm";
}

std::optional<Product> parse_product(std::string_view name) {
  for (const auto& [value, spelling] : k_products) {
    if (spelling == name) {
      return value;
    }
  }
  return std::nullopt;
}

} // namespace gpucost
