#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gpucost {

// `text` in ASCII lower case; other bytes are kept as they are.
std::string to_lower(std::string_view text);

// `text` without leading and trailing ASCII white space.
std::string_view trim(std::string_view text);

// Whether `a` and `b` are equal ignoring ASCII case.
bool equals_ignoring_case(std::string_view a, std::string_view b);

// Whether `text` starts with `prefix`, ignoring ASCII case.
bool starts_with_ignoring_case(std::string_view text, std::string_view prefix);

// Whether `text` ends with `suffix`, ignoring ASCII case.
bool ends_with_ignoring_case(std::string_view text, std::string_view suffix);

// Whether `text` contains `needle`, ignoring ASCII case.
bool contains_ignoring_case(std::string_view text, std::string_view needle);

// `text`, without surrounding ASCII white space, as a finite decimal number; nullopt when it is
// empty, has anything else in it, or is out of range.
std::optional<double> parse_finite_number(std::string_view text);

// RFC 3986 percent-encoding of a query value: only unreserved characters stay as they are.
std::string percent_encode(std::string_view text);

} // namespace gpucost
