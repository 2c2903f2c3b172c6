#pragma once

#include <string>
#include <string_view>

namespace gpucost::render {

// `text` escaped for XML and HTML text and attribute values (&, <, >, ", '); control characters
// XML 1.0 cannot carry are dropped, CR kept as a character reference. Pure.
std::string xml_escape(std::string_view text);

} // namespace gpucost::render
