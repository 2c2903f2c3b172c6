#pragma once

// Helpers shared by the provider adapters (lib/src/providers/*.cpp): JSON reading that never
// throws, GPU name resolution, unit conversions and the mapping of HTTP answers to error text.
// Private to gpucost_core; tests include it through lib/src.

#include <gpucost/model/gpu.hpp>
#include <gpucost/sources/http/http_client.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/error.hpp>
#include <gpucost/util/redact.hpp> // redact_url, for every URL put in a message
#include <gpucost/util/strings.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gpucost {

// What a pure parser needs besides the response text.
struct ParseContext {
  const GpuDatabase* gpus = nullptr; // resolves provider GPU names; null keeps every name as is
  std::string now;                   // ISO 8601 UTC, written as each offer's fetched_at
  std::string source_url;            // the endpoint read, without secrets, written as source
};

// Builds the ParseContext of a fetch from its options and the URL it read.
ParseContext make_parse_context(const FetchOptions& options, std::string source_url);

// ---------------------------------------------------------------------------------------------
// JSON

// Parses a whole response body; fails with "<provider>: malformed JSON in <source> at line L,
// column C (<reason>)", "<provider>: truncated JSON in <source>: it ends at line L, column C
// (<reason>)", "<provider>: empty answer from <source> where JSON was expected" or
// "<provider>: expected JSON, got an HTML page from <source>". Never throws.
Expected<nlohmann::json>
parse_json_body(std::string_view provider, std::string_view body, std::string_view source);

// The 1-based line and column of the byte at 1-based position `byte` of `text` (nlohmann's
// parse_error::byte); a position past the end is reported as one column after the last byte.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t byte);

// The number `text` holds ("2.50", " 149 ", "+1e3"); nullopt for anything else or non-finite.
std::optional<double> parse_number(std::string_view text);

// A number, or a string holding one ("2.50", " 149 "); nullopt for null, booleans, other
// strings, non-finite values and anything else.
std::optional<double> json_number(const nlohmann::json& value);

// json_number of object[key]; nullopt when `object` is not an object or lacks the key.
std::optional<double> number_field(const nlohmann::json& object, std::string_view key);

// A number field that means a price or an amount: nullopt also when it is zero or negative
// (zero means "not offered" in every API this project reads, never "free").
std::optional<double> positive_number_field(const nlohmann::json& object, std::string_view key);

// object[key] when it is a string; nullopt otherwise (missing, null, number, ...).
std::optional<std::string> string_field(const nlohmann::json& object, std::string_view key);

// object[key] when it is a boolean; nullopt otherwise.
std::optional<bool> bool_field(const nlohmann::json& object, std::string_view key);

// object[key] when `object` is an object holding that key, else nullptr (never throws).
const nlohmann::json* find_field(const nlohmann::json& object, std::string_view key);

// The human-readable error a JSON error answer carries, tried in this order: "msg",
// "message", "error" (a string, or an object with "message"), "errors"[0]."message"; empty
// when there is none or the body is not JSON.
std::string server_error_message(std::string_view body);

// "<provider>: unexpected response from <source>: <what>", e.g. what = "missing field
// \"offers\"".
std::string
unexpected_response(std::string_view provider, std::string_view source, std::string_view what);

// ---------------------------------------------------------------------------------------------
// Units

// Megabytes (10^6 bytes) to gigabytes (10^9 bytes).
double mb_to_gb(double megabytes);
// Mebibytes (2^20 bytes) to gigabytes (10^9 bytes).
double mib_to_gb(double mebibytes);
// Gibibytes (2^30 bytes) to gigabytes (10^9 bytes): 1 GiB = 1.073741824 GB.
double gib_to_gb(double gibibytes);
// Rounds to `decimals` decimal places (for derived figures such as 214.75 GB of RAM).
double round_to(double value, int decimals);

// ---------------------------------------------------------------------------------------------
// GPU names and warnings

// A provider's GPU name resolved against the GPU table.
struct ResolvedGpu {
  std::string name;              // canonical name, or the provider's name (trimmed) if unknown
  const GpuSpec* spec = nullptr; // the table entry; null when unknown
};

// Resolves the first of `candidates` the GPU table knows (most specific first, e.g. "H100
// SXM5", "H100 SXM", "H100"); when `memory_gb` (per GPU, as the provider states it) is given, a
// match whose marketed memory differs from it by more than 15% is passed over (an "A100 SXM4"
// alias must not turn a 40 GB card into the 80 GB one). When none matches, keeps `unknown_name`
// (candidates[0] when empty) as is and adds the warning "<provider>: unknown GPU \"<name>\" kept
// as is (add it to data/gpus.json)" once.
ResolvedGpu resolve_gpu(std::string_view provider,
                        const std::vector<std::string>& candidates,
                        const ParseContext& context,
                        std::vector<std::string>& warnings,
                        std::optional<double> memory_gb = std::nullopt,
                        std::string_view unknown_name = {});

// resolve_gpu with a single candidate.
ResolvedGpu resolve_gpu(std::string_view provider,
                        std::string_view name,
                        const ParseContext& context,
                        std::vector<std::string>& warnings,
                        std::optional<double> memory_gb = std::nullopt);

// Appends `warning` unless the same text is already there (warnings are per name, not per row).
void add_warning(std::vector<std::string>& warnings, std::string warning);

// ---------------------------------------------------------------------------------------------
// HTTP

// `base` (scheme://host[:port], trailing slashes ignored) followed by `path` (starting with '/').
std::string join_url(std::string_view base, std::string_view path);

// Whether a body is an HTML page (starts, after white space, with '<').
bool looks_like_html(std::string_view body);

// What a provider call needs to explain a failed answer.
struct HttpCallInfo {
  std::string_view provider; // "vastai"
  std::string_view key_env;  // "VAST_API_KEY"; empty when the API needs no key
};

// nullopt for a 2xx JSON answer; otherwise the error text:
// "<provider>: <METHOD> <url> returned HTTP 401: bad or missing API key (set <KEY_ENV>)",
// "... HTTP 404: ..." (bad key when the server says so, as Vast.ai does, else "not found"),
// "... HTTP 429: rate limited; try again later", "... HTTP 503: server error; try again later",
// and, for HTML bodies at any status, "<provider>: <METHOD> <url>: expected JSON, got an HTML
// page (HTTP 502)". The server's own message is quoted when the body carries one.
std::optional<std::string>
http_failure(const HttpCallInfo& call, const HttpRequest& request, const HttpResponse& response);

// Sends `request` and returns the body of a 2xx non-HTML answer; fails with the http_failure
// text, or "<provider>: <transport error>" (prefixed with "<METHOD> <url> failed: " when the
// client's message does not name the URL).
Expected<std::string>
send_for_body(HttpClient& http, const HttpCallInfo& call, const HttpRequest& request);

// Adds "Authorization: Bearer <key>" to `request` when `api_key` is not empty.
void add_bearer(HttpRequest& request, std::string_view api_key);

} // namespace gpucost
