#include <gpucost/util/text_safety.hpp>

#include <fmt/format.h>

#include <cstdint>

namespace gpucost {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD

// The length of the valid UTF-8 sequence at `text[i]`, or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) {
      low = 0xA0; // no overlong encodings
    } else if (lead == 0xED) {
      high = 0x9F; // no surrogates
    }
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) {
      low = 0x90;
    } else if (lead == 0xF4) {
      high = 0x8F; // nothing above U+10FFFF
    }
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  if (byte(i + 1) < low || byte(i + 1) > high) {
    return 0;
  }
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
      return 0;
    }
  }
  return length;
}

bool is_control(std::string_view text, std::size_t i, std::size_t length) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (length == 1) {
    return lead < 0x20 || lead == 0x7F;
  }
  // C1 controls U+0080-U+009F are C2 80 - C2 9F.
  return length == 2 && lead == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
}

} // namespace

std::string valid_utf8(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  std::size_t clean_from = 0;
  while (i < text.size()) {
    const std::size_t length = utf8_length(text, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (out.empty()) {
      out.reserve(text.size() + 8);
    }
    out.append(text.substr(clean_from, i - clean_from));
    out.append(k_replacement);
    ++i;
    clean_from = i;
  }
  if (clean_from == 0) {
    return std::string(text);
  }
  out.append(text.substr(clean_from));
  return out;
}

bool is_terminal_safe(std::string_view text) {
  // Most text is printable ASCII (0x20 to 0x7E): pass over it without decoding.
  std::size_t i = 0;
  while (i < text.size() && static_cast<unsigned char>(text[i]) - 0x20U < 0x5FU) {
    ++i;
  }
  while (i < text.size()) {
    const std::size_t length = utf8_length(text, i);
    if (length == 0 || is_control(text, i, length)) {
      return false;
    }
    i += length;
  }
  return true;
}

std::string terminal_safe(std::string_view raw, Newlines newlines) {
  if (is_terminal_safe(raw)) {
    return std::string(raw);
  }
  const std::string text = valid_utf8(raw);
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_length(text, i);
    if (!is_control(text, i, length)) {
      out.append(text, i, length);
      i += length;
      continue;
    }
    const auto lead = static_cast<unsigned char>(text[i]);
    if (length == 2) {
      out += fmt::format("\\u{{{:02x}}}", static_cast<unsigned char>(text[i + 1]));
    } else if (lead == '\n') {
      out += newlines == Newlines::keep ? "\n" : "\\n";
    } else if (lead == '\r') {
      out += "\\r";
    } else if (lead == '\t') {
      out += "\\t";
    } else if (lead == 0x1B) {
      out += "\\e";
    } else {
      out += fmt::format("\\x{:02x}", lead);
    }
    i += length;
  }
  return out;
}

} // namespace gpucost
