#pragma once

// Reading the project's JSON data files with errors that name the file, line and field.

#include <gpucost/model/optional_number.hpp>
#include <gpucost/util/error.hpp>
#include <gpucost/util/suggest.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gpucost {

// One step of a path into a JSON document: an object key or an array index.
using JsonPathStep = std::variant<std::string, std::size_t>;

// The deepest nesting of arrays and objects any JSON input may have (real catalogs and provider
// answers nest fewer than 10 levels; the fast catalog reader gives up past 256 and hands over).
inline constexpr std::size_t k_max_json_depth = 1000;

// The byte offset of the first '[' or '{' of `text` nested deeper than `max_depth` (strings are
// skipped), or nullopt when the text nests no deeper. Linear, never recursive; text need not be
// valid JSON.
std::optional<std::size_t> find_excess_json_depth(std::string_view text,
                                                  std::size_t max_depth = k_max_json_depth);

// A key given twice in one object of a JSON text.
struct DuplicateJsonKey {
  std::string key;        // as decoded
  std::string parent;     // path of the object holding it, "offers[3]"; empty at the top level
  std::size_t first_line; // 1-based lines of the two places the key is given
  std::size_t second_line;
};

// The first key given twice in one object of `text` (valid JSON: parse it first), or nullopt.
// JSON parsers keep the last value silently, so an invalid first one would never be checked.
// Linear, never recursive.
std::optional<DuplicateJsonKey> find_duplicate_json_key(std::string_view text);

// "ORIGIN:LINE: \"KEY\" is given twice[ in PARENT] (first on line N); give it once".
std::string duplicate_key_message(const DuplicateJsonKey& duplicate, const std::string& origin);

// A short excerpt of a JSON value for messages: its compact text, cut to about `max_chars`
// characters with "..." (nested values are shown only a few levels deep, never recursing far).
std::string json_excerpt(const nlohmann::ordered_json& value, std::size_t max_chars = 40);

// The same for the unordered json type that provider adapters use.
std::string json_excerpt(const nlohmann::json& value, std::size_t max_chars = 40);

// Parses JSON text; nesting deeper than k_max_json_depth, a syntax error, or a number beyond the
// range of a double (1e999), becomes "ORIGIN:LINE:COLUMN: invalid JSON: REASON".
Expected<nlohmann::ordered_json> parse_json_document(std::string_view text,
                                                     const std::string& origin);

// The 1-based line where the value at `path` starts in `text`, or nullopt when it is not there.
std::optional<std::size_t> line_of_json_path(std::string_view text,
                                             const std::vector<JsonPathStep>& path);

// Whether a field must be given: an optional one that is missing or null leaves its value alone.
enum class Presence { optional, required };

// The numbers a number field accepts: at least `minimum` (more than it when `exclusive`) and at
// most `maximum`. Meant for designated initializers: `{.minimum = 0, .exclusive = true}`.
struct NumberRange {
  double minimum = 0;
  bool exclusive = false; // the minimum itself is refused
  double maximum = std::numeric_limits<double>::max();
};

// Reads fields of one JSON object (or array) of a document, producing messages like
// `data/gpus.json:14: gpus[3].memory_gb: must be a number >= 0 (got "x")`.
class JsonReader {
public:
  // `text` and `origin` must outlive the reader: they are used only to locate errors.
  JsonReader(const nlohmann::ordered_json& node,
             std::string_view text,
             const std::string& origin,
             std::vector<JsonPathStep> path = {});

  // Checks the document's "schema" and "schemaVersion" fields.
  Status expect_schema(std::string_view schema, int max_version) const;

  // The elements of the required array `key`, each as a reader.
  Expected<std::vector<JsonReader>> array(std::string_view key) const;

  // The object at `key` as a reader; nullopt when it is missing or null, an error when it is not
  // an object.
  Expected<std::optional<JsonReader>> object(std::string_view key) const;

  // Reads a string; missing or null leaves `out` unchanged when optional, and a required one
  // must also not be empty.
  Status string_field(std::string_view key, std::string& out, Presence presence) const;

  // Reads a number >= `minimum`; missing or null is empty.
  Status number_field(std::string_view key, std::optional<double>& out, double minimum) const;

  // Reads a number within `range`; missing or null is empty.
  Status
  number_field(std::string_view key, std::optional<double>& out, const NumberRange& range) const;
  // The same two, into an OptionalNumber (an Offer's number fields).
  Status number_field(std::string_view key, OptionalNumber& out, double minimum) const;
  Status number_field(std::string_view key, OptionalNumber& out, const NumberRange& range) const;

  // Reads a whole number >= `minimum`; missing or null is empty.
  Status int_field(std::string_view key, std::optional<int>& out, int minimum) const;

  // Reads true or false; missing or null is empty.
  Status bool_field(std::string_view key, std::optional<bool>& out) const;

  // Reads an array of strings; missing or null leaves `out` unchanged.
  Status string_list_field(std::string_view key, std::vector<std::string>& out) const;

  // Fails on a key that is not in `known` but is within two edits of one (a likely misspelling).
  Status check_keys(std::initializer_list<std::string_view> known) const;

  // The same, with the known names in a vector (which can be built once).
  Status check_keys(const std::vector<std::string>& known) const;

  // An error located at this node's field `key` (or at the node itself when `key` is empty).
  ErrorInfo error(std::string_view key, const std::string& message) const;

  // The wrapped JSON value.
  const nlohmann::ordered_json& node() const { return m_node; }

  // "offers[3]" style path of this node, for messages.
  std::string path_string(std::string_view key = {}) const;

private:
  const nlohmann::ordered_json* find(std::string_view key) const;

  const nlohmann::ordered_json& m_node;
  std::string_view m_text;
  const std::string& m_origin;
  std::vector<JsonPathStep> m_path;
};

} // namespace gpucost
