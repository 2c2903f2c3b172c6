#pragma once

#include <gpucost/model/gpu.hpp>
#include <gpucost/util/error.hpp>

#include <string>
#include <string_view>

namespace gpucost {

// Parses data/gpus.json text into the GPU table; errors name `origin`, the line and the field.
Expected<GpuDatabase> parse_gpu_database(std::string_view json_text, const std::string& origin);

} // namespace gpucost
