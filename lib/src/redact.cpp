#include <gpucost/redact.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace gpucost {

namespace {

constexpr std::string_view k_redacted = "REDACTED";

constexpr std::array<std::string_view, 5> k_secret_params = {
  "key", "api_key", "apikey", "token", "access_token"};

bool
equals_ignoring_case(std::string_view a, std::string_view b)
{
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x))
                  == std::tolower(static_cast<unsigned char>(y));
         });
}

bool
is_secret_param(std::string_view name)
{
  return std::any_of(k_secret_params.begin(), k_secret_params.end(), [&](std::string_view secret) {
    return equals_ignoring_case(name, secret);
  });
}

// "user:password@" in the authority becomes "user:REDACTED@".
std::string
redact_userinfo(std::string_view url)
{
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::string(url);
  }
  const auto authority_begin = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", authority_begin);
  const auto authority = url.substr(authority_begin, authority_end - authority_begin);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) {
    return std::string(url);
  }
  const auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) {
    return std::string(url);
  }
  std::string result(url.substr(0, authority_begin + colon + 1));
  result += k_redacted;
  result += url.substr(authority_begin + at);
  return result;
}

std::string
percent_encode(std::string_view text)
{
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string result;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      result += c;
    } else {
      result += '%';
      result += k_hex[byte >> 4];
      result += k_hex[byte & 0xF];
    }
  }
  return result;
}

void
replace_all(std::string& text, std::string_view needle)
{
  if (needle.empty()) {
    return;
  }
  std::size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string::npos) {
    text.replace(pos, needle.size(), k_redacted);
    pos += k_redacted.size();
  }
}

} // namespace

std::string
redact_url(std::string_view url)
{
  const std::string without_password = redact_userinfo(url);
  const std::string_view text = without_password;
  const auto query_begin = text.find('?');
  if (query_begin == std::string_view::npos) {
    return without_password;
  }
  const auto fragment_begin = std::min(text.find('#', query_begin), text.size());

  std::string result(text.substr(0, query_begin + 1));
  const auto query = text.substr(query_begin + 1, fragment_begin - query_begin - 1);
  std::size_t pos = 0;
  while (pos <= query.size()) {
    const auto end = std::min(query.find('&', pos), query.size());
    const auto param = query.substr(pos, end - pos);
    const auto equals = param.find('=');
    if (equals != std::string_view::npos && is_secret_param(param.substr(0, equals))) {
      result += param.substr(0, equals + 1);
      result += k_redacted;
    } else {
      result += param;
    }
    if (end < query.size()) {
      result += '&';
    }
    pos = end + 1;
  }
  result += text.substr(fragment_begin);
  return result;
}

std::string
redact_secrets(std::string_view text, std::span<const std::string> secrets)
{
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
