#include <gpucost/render/xml_escape.hpp>

namespace gpucost::render {

std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      if (byte >= 0x20 || c == '\n' || c == '\t') {
        out += c;
      } else if (c == '\r') {
        out += "&#13;";
      }
    }
  }
  return out;
}

} // namespace gpucost::render
