#pragma once

#include <gpucost/data/json_util.hpp>
#include <gpucost/model/workload.hpp>
#include <gpucost/util/error.hpp>

#include <string>
#include <string_view>

namespace gpucost {

// Parses a workload file (docs/catalog-format.md "Workload"); errors name the file, line and field.
// GPU names are kept as written: resolving them is the caller's job.
Expected<Workload> parse_workload(std::string_view json_text, const std::string& origin);

// Reads the fields of a workload object (the same fields as a workload file, without schema),
// e.g. the `workload` a compare result embeds; errors name the file, line and field.
Expected<Workload> read_workload_object(const JsonReader& object);

} // namespace gpucost
