#pragma once

// Build speed only: fmt 9 defines its formatting engine (vformat_to and the float writers it
// calls) as templates in its headers, so every translation unit compiled it again although the
// shared libfmt already holds the one instantiation for char. Declaring that instantiation extern
// makes each file call the library's copy. Precompiled with the other dependency headers
// (cmake/Settings.cmake); a file built without it is merely slower to compile. Not with clang:
// it mangles this declaration's dependent return context differently from the GCC that built
// Debian's libfmt ("sr3std7is_same...E" against "srSt7is_same"), so the call would not link.

#include <fmt/format.h>

#if !defined(FMT_HEADER_ONLY) && !defined(__clang__) && FMT_VERSION >= 90000 && FMT_VERSION < 100000
extern template void
fmt::detail::vformat_to<char>(fmt::detail::buffer<char>&,
                              fmt::basic_string_view<char>,
                              fmt::basic_format_args<fmt::buffer_context<char>>,
                              fmt::detail::locale_ref);
#endif
