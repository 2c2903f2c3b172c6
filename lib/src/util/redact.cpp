#include <gpucost/util/redact.hpp>
#include <gpucost/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace gpucost {

namespace {

constexpr std::string_view k_redacted = "REDACTED";

constexpr std::array<std::string_view, 5> k_secret_params = {
    "key", "api_key", "apikey", "token", "access_token"};

bool is_secret_param(std::string_view name) {
  return std::any_of(k_secret_params.begin(), k_secret_params.end(), [&](std::string_view secret) {
    return equals_ignoring_case(name, secret);
  });
}

// Where a URL's authority, query value or fragment ends, in a URL or in text around one.
bool ends_url_part(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '<'
         || c == '>' || c == '`';
}

// Every "scheme://user:password@" becomes "scheme://user:REDACTED@".
std::string redact_userinfo(std::string_view text) {
  std::string result;
  std::size_t copied = 0;
  for (auto scheme_end = text.find("://"); scheme_end != std::string_view::npos;
       scheme_end = text.find("://", scheme_end + 3)) {
    const auto authority_begin = scheme_end + 3;
    auto authority_end = authority_begin;
    while (authority_end < text.size() && text[authority_end] != '/' && text[authority_end] != '?'
           && text[authority_end] != '#' && !ends_url_part(text[authority_end])) {
      ++authority_end;
    }
    const auto authority = text.substr(authority_begin, authority_end - authority_begin);
    const auto at = authority.rfind('@');
    const auto colon = authority.substr(0, at == std::string_view::npos ? 0 : at).find(':');
    if (at == std::string_view::npos || colon == std::string_view::npos) {
      continue;
    }
    result += text.substr(copied, authority_begin + colon + 1 - copied);
    result += k_redacted;
    copied = authority_begin + at;
  }
  result += text.substr(copied);
  return result;
}

// Secrets shorter than this are replaced only where they stand alone (not inside a word), so
// that a key "k" neither mangles every message nor, by the gaps it leaves, reveals itself.
constexpr std::size_t k_short_secret = 8;

bool is_word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
         || c == '-' || (static_cast<unsigned char>(c) >= 0x80);
}

void replace_all(std::string& text, std::string_view needle) {
  if (needle.empty()) {
    return;
  }
  const bool whole_only = needle.size() < k_short_secret;
  std::size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    const std::size_t end = pos + needle.size();
    if (whole_only
        && ((pos > 0 && is_word_byte(text[pos - 1]))
            || (end < text.size() && is_word_byte(text[end])))) {
      ++pos;
      continue;
    }
    text.replace(pos, needle.size(), k_redacted);
    pos += k_redacted.size();
  }
}

} // namespace

std::string redact_url(std::string_view url) {
  const std::string text = redact_userinfo(url);
  std::string result;
  std::size_t copied = 0;
  // Each parameter starts after '?' or '&'; its value ends at '&', '#' or where the URL ends.
  for (auto start = text.find_first_of("?&"); start != std::string::npos;
       start = text.find_first_of("?&", start + 1)) {
    const auto name_begin = start + 1;
    const auto equals = text.find('=', name_begin);
    if (equals == std::string::npos) {
      break;
    }
    const auto name = std::string_view(text).substr(name_begin, equals - name_begin);
    if (!is_secret_param(name)) {
      continue;
    }
    auto value_end = equals + 1;
    while (value_end < text.size() && text[value_end] != '&' && text[value_end] != '#'
           && !ends_url_part(text[value_end])) {
      ++value_end;
    }
    // In text, "...?key=abc: timed out" or "(...?key=abc)": trailing punctuation is not the key's.
    while (value_end > equals + 1
           && std::string_view(":;,.)]").find(text[value_end - 1]) != std::string_view::npos) {
      --value_end;
    }
    result.append(text, copied, equals + 1 - copied);
    result += k_redacted;
    copied = value_end;
    start = value_end - 1;
  }
  result.append(text, copied);
  return result;
}

std::string redact_secrets(std::string_view text, std::span<const std::string> secrets) {
  std::string result(text);
  // Longest first, so that a secret containing another one is replaced whole.
  std::vector<std::string> needles;
  for (const auto& secret : secrets) {
    if (secret.empty()) {
      continue;
    }
    needles.push_back(secret);
    if (auto encoded = percent_encode(secret); encoded != secret) {
      needles.push_back(std::move(encoded));
    }
  }
  std::sort(needles.begin(), needles.end(), [](const std::string& a, const std::string& b) {
    return a.size() > b.size();
  });
  for (const auto& needle : needles) {
    replace_all(result, needle);
  }
  return result;
}

} // namespace gpucost
