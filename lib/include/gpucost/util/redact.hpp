#pragma once

#include <span>
#include <string>
#include <string_view>

namespace gpucost {

// Returns `url` with the values of the query parameters key, api_key, apikey, token and
// access_token (names matched case-insensitively) and any user-info password replaced by
// "REDACTED"; everything else, the fragment included, is kept as it was. Also safe on text that
// contains URLs ("GET https://...?key=abc: timed out"): a value ends at '&', '#', a space or a
// quote.
std::string redact_url(std::string_view url);

// Returns `text` with every occurrence of each non-empty secret (and of its percent-encoded
// form) replaced by "REDACTED"; used on every error message and warning that may echo a key. A
// secret shorter than 8 characters is replaced only where it stands alone (not inside a word of
// letters, digits, '-', '_'), so a one-letter key does not mangle ordinary text.
std::string redact_secrets(std::string_view text, std::span<const std::string> secrets);

} // namespace gpucost
