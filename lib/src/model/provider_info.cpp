#include <gpucost/model/provider_info.hpp>

#include <fmt/format.h>

namespace gpucost {

const ProviderInfo* ProviderTable::find(std::string_view id) const {
  for (const auto& provider : m_providers) {
    if (provider.id == id) {
      return &provider;
    }
  }
  return nullptr;
}

const ProductTraits* ProviderTable::traits(std::string_view id, Product product) const {
  const ProviderInfo* provider = find(id);
  if (provider == nullptr) {
    return nullptr;
  }
  const auto it = provider->products.find(product);
  return it == provider->products.end() ? nullptr : &it->second;
}

const ColdStartDefault* ProviderTable::cold_start_default(Product product) const {
  const auto it = m_cold_start_defaults.find(product);
  return it == m_cold_start_defaults.end() ? nullptr : &it->second;
}

} // namespace gpucost
