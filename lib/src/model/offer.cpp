#include <gpucost/model/offer.hpp>

#include <array>
#include <string>
#include <utility>

namespace gpucost {

namespace {

constexpr std::array<std::pair<Product, std::string_view>, 7> k_products = {{
    {Product::pod, "pod"},
    {Product::vm, "vm"},
    {Product::serverless, "serverless"},
    {Product::dedicated, "dedicated"},
    {Product::training, "training"},
    {Product::prediction, "prediction"},
    {Product::api, "api"},
}};

// parse_product relies on this: no two spellings share both length and first letter.
static_assert([] {
  for (std::size_t i = 0; i < k_products.size(); ++i) {
    for (std::size_t k = i + 1; k < k_products.size(); ++k) {
      const std::string_view a = k_products[i].second;
      const std::string_view b = k_products[k].second;
      if (a.empty() || (a.size() == b.size() && a.front() == b.front())) {
        return false;
      }
    }
  }
  return true;
}());

constexpr std::array<WorkUnit, 6> k_work_units = {WorkUnit::audio_minute,
                                                  WorkUnit::character_1k,
                                                  WorkUnit::token_1m,
                                                  WorkUnit::image,
                                                  WorkUnit::output_second,
                                                  WorkUnit::call};

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
  // The catalog reader asks this for every offer: the spellings differ in length or first letter,
  // so one comparison of the whole name decides (no memcmp call per spelling).
  for (const auto& [value, spelling] : k_products) {
    if (spelling.size() == name.size() && spelling.front() == name.front()) {
      return spelling == name ? std::optional<Product>(value) : std::nullopt;
    }
  }
  return std::nullopt;
}

std::string_view product_names() {
  return "pod, vm, serverless, dedicated, training, prediction or api";
}

std::string_view to_string(WorkUnit unit) {
  switch (unit) {
  case WorkUnit::audio_minute:
    return "audio_minute";
  case WorkUnit::character_1k:
    return "character_1k";
  case WorkUnit::token_1m:
    return "token_1m";
  case WorkUnit::image:
    return "image";
  case WorkUnit::output_second:
    return "output_second";
  case WorkUnit::call:
    return "call";
  }
  return "call";
}

std::optional<WorkUnit> parse_work_unit(std::string_view name) {
  for (const WorkUnit unit : k_work_units) {
    if (to_string(unit) == name) {
      return unit;
    }
  }
  return std::nullopt;
}

std::span<const WorkUnit> all_work_units() {
  return k_work_units;
}

std::string work_unit_names() {
  std::string names;
  for (std::size_t i = 0; i < k_work_units.size(); ++i) {
    if (i > 0) {
      names += i + 1 == k_work_units.size() ? " or " : ", ";
    }
    names += to_string(k_work_units[i]);
  }
  return names;
}

} // namespace gpucost
