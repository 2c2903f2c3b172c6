#include <gpucost/data/json_util.hpp>
#include <gpucost/sources/providers/adapter_util.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace gpucost {

namespace {

// The reason part of an nlohmann parse_error what(): the text after "column N: ".
std::string parse_error_reason(std::string_view what) {
  const auto column = what.find("column ");
  if (column == std::string_view::npos) {
    return std::string(what);
  }
  const auto colon = what.find(": ", column);
  if (colon == std::string_view::npos) {
    return std::string(what);
  }
  return std::string(what.substr(colon + 2));
}

} // namespace

ParseContext make_parse_context(const FetchOptions& options, std::string source_url) {
  return ParseContext{options.gpus, options.now, std::move(source_url)};
}

// ---------------------------------------------------------------------------------------------
// JSON

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte) {
  // nlohmann counts the byte it stopped at from 1; at the end of input it is size + 1.
  const std::size_t index = byte == 0 ? 0 : std::min(byte - 1, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, index - line_start + 1};
}

Expected<nlohmann::json>
parse_json_body(std::string_view provider, std::string_view body, std::string_view source) {
  if (trim(body).empty()) {
    return make_error(
        fmt::format("{}: empty answer from {} where JSON was expected", provider, source));
  }
  if (looks_like_html(body)) {
    return make_error(fmt::format("{}: expected JSON, got an HTML page from {}", provider, source));
  }
  if (const auto deep = find_excess_json_depth(body)) {
    const auto [line, column] = line_and_column(body, *deep + 1);
    return make_error(fmt::format("{}: malformed JSON in {} at line {}, column {} (nested deeper "
                                  "than {} levels)",
                                  provider,
                                  source,
                                  line,
                                  column,
                                  k_max_json_depth));
  }
  auto document = nlohmann::json::parse(body, nullptr, false);
  if (!document.is_discarded()) {
    return document;
  }
  // The non-throwing parse says only "discarded"; parse again with exceptions, caught here, to
  // tell the user where the text goes wrong.
  try {
    auto again = nlohmann::json::parse(body);
    (void)again;
  } catch (const nlohmann::json::parse_error& e) {
    const auto [line, column] = line_and_column(body, e.byte);
    if (e.byte > body.size()) {
      return make_error(fmt::format("{}: truncated JSON in {}: it ends at line {}, column {} ({})",
                                    provider,
                                    source,
                                    line,
                                    column,
                                    parse_error_reason(e.what())));
    }
    return make_error(fmt::format("{}: malformed JSON in {} at line {}, column {} ({})",
                                  provider,
                                  source,
                                  line,
                                  column,
                                  parse_error_reason(e.what())));
  } catch (const nlohmann::json::exception& e) {
    return make_error(fmt::format("{}: malformed JSON in {} ({})", provider, source, e.what()));
  }
  return make_error(fmt::format("{}: malformed JSON in {}", provider, source));
}

std::optional<double> parse_number(std::string_view text) {
  const auto trimmed = trim(text);
  if (trimmed.empty()) {
    return std::nullopt;
  }
  const char* first = trimmed.data();
  const char* last = trimmed.data() + trimmed.size();
  if (*first == '+' && trimmed.size() > 1 && trimmed[1] != '-') {
    ++first;
  }
  double number = 0;
  const auto [end, error] = std::from_chars(first, last, number);
  if (error != std::errc() || end != last || !std::isfinite(number)) {
    return std::nullopt;
  }
  return number;
}

std::optional<double> json_number(const nlohmann::json& value) {
  if (value.is_number()) {
    const double number = value.get<double>();
    return std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
  }
  if (value.is_string()) {
    return parse_number(value.get_ref<const std::string&>());
  }
  return std::nullopt;
}

const nlohmann::json* find_field(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<double> number_field(const nlohmann::json& object, std::string_view key) {
  const auto* field = find_field(object, key);
  return field ? json_number(*field) : std::nullopt;
}

std::optional<double> positive_number_field(const nlohmann::json& object, std::string_view key) {
  const auto number = number_field(object, key);
  if (number && *number > 0) {
    return number;
  }
  return std::nullopt;
}

std::optional<std::string> string_field(const nlohmann::json& object, std::string_view key) {
  const auto* field = find_field(object, key);
  if (field && field->is_string()) {
    return field->get<std::string>();
  }
  return std::nullopt;
}

std::optional<bool> bool_field(const nlohmann::json& object, std::string_view key) {
  const auto* field = find_field(object, key);
  if (field && field->is_boolean()) {
    return field->get<bool>();
  }
  return std::nullopt;
}

std::string server_error_message(std::string_view body) {
  if (find_excess_json_depth(body)) {
    return {};
  }
  const auto document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    return {};
  }
  for (const char* key : {"msg", "message"}) {
    if (auto text = string_field(document, key); text && !text->empty()) {
      return *text;
    }
  }
  if (const auto* error = find_field(document, "error")) {
    if (error->is_string() && !error->get_ref<const std::string&>().empty()) {
      return error->get<std::string>();
    }
    if (auto text = string_field(*error, "message"); text && !text->empty()) {
      return *text;
    }
  }
  if (const auto* errors = find_field(document, "errors");
      errors && errors->is_array() && !errors->empty()) {
    if (auto text = string_field(errors->front(), "message"); text && !text->empty()) {
      return *text;
    }
  }
  return {};
}

std::string
unexpected_response(std::string_view provider, std::string_view source, std::string_view what) {
  return fmt::format("{}: unexpected response from {}: {}", provider, source, what);
}

// ---------------------------------------------------------------------------------------------
// Units

double mb_to_gb(double megabytes) {
  return megabytes / 1000.0;
}

double mib_to_gb(double mebibytes) {
  return mebibytes * 1.048576 / 1000.0;
}

double gib_to_gb(double gibibytes) {
  return gibibytes * 1.073741824;
}

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// ---------------------------------------------------------------------------------------------
// GPU names and warnings

ResolvedGpu resolve_gpu(std::string_view provider,
                        const std::vector<std::string>& candidates,
                        const ParseContext& context,
                        std::vector<std::string>& warnings,
                        std::optional<double> memory_gb,
                        std::string_view unknown_name) {
  if (context.gpus) {
    for (const auto& candidate : candidates) {
      const auto* spec = context.gpus->find(candidate);
      if (!spec) {
        continue;
      }
      if (memory_gb && spec->memory_gb && *spec->memory_gb > 0
          && std::abs(*spec->memory_gb - *memory_gb) > 0.15 * *spec->memory_gb) {
        continue;
      }
      return ResolvedGpu{spec->name, spec};
    }
  }
  std::string kept(trim(unknown_name));
  if (kept.empty() && !candidates.empty()) {
    kept = std::string(trim(candidates[0]));
  }
  if (context.gpus) {
    add_warning(warnings,
                fmt::format("{}: unknown GPU \"{}\" kept as is (add it to data/gpus.json)",
                            provider,
                            kept));
  }
  return ResolvedGpu{kept, nullptr};
}

ResolvedGpu resolve_gpu(std::string_view provider,
                        std::string_view name,
                        const ParseContext& context,
                        std::vector<std::string>& warnings,
                        std::optional<double> memory_gb) {
  return resolve_gpu(
      provider, std::vector<std::string>{std::string(name)}, context, warnings, memory_gb);
}

void add_warning(std::vector<std::string>& warnings, std::string warning) {
  if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) {
    warnings.push_back(std::move(warning));
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') {
    base.remove_suffix(1);
  }
  return std::string(base) + std::string(path);
}

bool looks_like_html(std::string_view body) {
  const auto trimmed = trim(body);
  return !trimmed.empty() && trimmed.front() == '<';
}

std::optional<std::string>
http_failure(const HttpCallInfo& call, const HttpRequest& request, const HttpResponse& response) {
  const std::string url = redact_url(request.url);
  const bool ok = response.status >= 200 && response.status < 300;
  if (looks_like_html(response.body)) {
    return fmt::format("{}: {} {}: expected JSON, got an HTML page (HTTP {})",
                       call.provider,
                       request.method,
                       url,
                       response.status);
  }
  if (ok) {
    return std::nullopt;
  }
  const std::string server = server_error_message(response.body);
  const std::string key_hint =
      call.key_env.empty() ? std::string() : fmt::format(" (set {})", call.key_env);
  std::string reason;
  switch (response.status) {
  case 401:
  case 403:
    reason =
        call.key_env.empty() ? std::string("access denied") : "bad or missing API key" + key_hint;
    break;
  case 404:
    // Vast.ai answers a bad key with 404 {"msg": "Invalid user key"}.
    if (contains_ignoring_case(server, "key") && !call.key_env.empty()) {
      reason = "bad or missing API key" + key_hint;
    } else {
      reason = "not found (check the base URL)";
    }
    break;
  case 429:
    reason = "rate limited; try again later";
    break;
  default:
    if (response.status >= 500 && response.status < 600) {
      reason = "server error; try again later";
    } else {
      reason = "unexpected status";
    }
    break;
  }
  std::string message = fmt::format("{}: {} {} returned HTTP {}: {}",
                                    call.provider,
                                    request.method,
                                    url,
                                    response.status,
                                    reason);
  if (!server.empty()) {
    // Keep a runaway server message from flooding the terminal.
    message += fmt::format(" (server said \"{}\")", server.substr(0, 200));
  }
  return message;
}

Expected<std::string>
send_for_body(HttpClient& http, const HttpCallInfo& call, const HttpRequest& request) {
  auto response = http.send(request);
  if (!response) {
    const std::string url = redact_url(request.url);
    const std::string& what = response.error().message;
    // CurlClient's messages already start with "<METHOD> <url>: "; don't say it twice.
    if (what.find(url) != std::string::npos) {
      return make_error(fmt::format("{}: {}", call.provider, what));
    }
    return make_error(
        fmt::format("{}: {} {} failed: {}", call.provider, request.method, url, what));
  }
  if (auto failure = http_failure(call, request, *response)) {
    return make_error(std::move(*failure));
  }
  return std::move(response->body);
}

void add_bearer(HttpRequest& request, std::string_view api_key) {
  if (!api_key.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + std::string(api_key));
  }
}

} // namespace gpucost
