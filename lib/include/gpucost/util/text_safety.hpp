#pragma once

// Text from outside (provider answers, files, error bodies) made safe to store and to show.

#include <string>
#include <string_view>

namespace gpucost {

// `text` with every byte sequence that is not valid UTF-8 (a stray byte, a character cut short,
// an overlong or surrogate encoding) replaced by U+FFFD; valid text is returned unchanged.
std::string valid_utf8(std::string_view text);

// What terminal_safe does with a line feed: escape it like any control character, or keep it.
enum class Newlines { escape, keep };

// `text` safe for a terminal: valid_utf8, then every control character (C0 0x00-0x1F, DEL, and C1
// U+0080-U+009F) shown escaped: "\n", "\r", "\t", "\e" or "\xHH" / "\u{HH}", so that ESC, BEL, CR
// and LF from outside can neither drive the terminal nor forge a line. With Newlines::keep, LF
// is kept (for gpucost's own multi-line messages).
std::string terminal_safe(std::string_view text, Newlines newlines = Newlines::escape);

// Whether terminal_safe(text) would change nothing (plain printable UTF-8).
bool is_terminal_safe(std::string_view text);

} // namespace gpucost
