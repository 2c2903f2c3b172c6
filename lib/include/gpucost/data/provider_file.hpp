#pragma once

#include <gpucost/model/provider_info.hpp>
#include <gpucost/util/error.hpp>

#include <string>
#include <string_view>

namespace gpucost {

// Parses data/providers.json into the provider table; errors name `origin`, the line and the field.
Expected<ProviderTable> parse_provider_table(std::string_view json_text, const std::string& origin);

} // namespace gpucost
