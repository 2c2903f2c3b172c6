#include <gpucost/data/json_util.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace gpucost {

namespace {

using Json = nlohmann::ordered_json;

// A minimal scanner over already-valid JSON, used only to find where a value starts.
class JsonLocator {
public:
  explicit JsonLocator(std::string_view text) : m_text(text) {}

  std::optional<std::size_t> find(const std::vector<JsonPathStep>& path) {
    m_pos = 0;
    return find_from(path, 0);
  }

private:
  void skip_space() {
    while (m_pos < m_text.size()
           && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'
               || m_text[m_pos] == '\t')) {
      ++m_pos;
    }
  }

  // At a '"': returns the raw string content and moves past the closing quote.
  std::string_view read_string() {
    const std::size_t start = ++m_pos;
    while (m_pos < m_text.size() && m_text[m_pos] != '"') {
      m_pos += m_text[m_pos] == '\\' ? 2U : 1U;
    }
    const std::string_view content = m_text.substr(start, std::min(m_pos, m_text.size()) - start);
    ++m_pos;
    return content;
  }

  void skip_value() {
    skip_space();
    if (m_pos >= m_text.size()) {
      return;
    }
    const char c = m_text[m_pos];
    if (c == '"') {
      read_string();
      return;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (m_pos < m_text.size()) {
        const char d = m_text[m_pos];
        if (d == '"') {
          read_string();
          continue;
        }
        if (d == '{' || d == '[') {
          ++depth;
        } else if (d == '}' || d == ']') {
          if (--depth == 0) {
            ++m_pos;
            return;
          }
        }
        ++m_pos;
      }
      return;
    }
    while (m_pos < m_text.size() && m_text[m_pos] != ',' && m_text[m_pos] != '}'
           && m_text[m_pos] != ']') {
      ++m_pos;
    }
  }

  std::optional<std::size_t> find_from(const std::vector<JsonPathStep>& path, std::size_t step) {
    skip_space();
    if (step == path.size()) {
      return m_pos;
    }
    if (m_pos >= m_text.size()) {
      return std::nullopt;
    }
    if (m_text[m_pos] == '{' && std::holds_alternative<std::string>(path[step])) {
      ++m_pos;
      const auto& wanted = std::get<std::string>(path[step]);
      while (true) {
        skip_space();
        if (m_pos >= m_text.size() || m_text[m_pos] != '"') {
          return std::nullopt;
        }
        const std::size_t key_pos = m_pos;
        const std::string_view key = read_string();
        skip_space();
        ++m_pos; // ':'
        if (key == wanted) {
          if (step + 1 == path.size()) {
            return key_pos; // point at the key: that is the line a reader looks for
          }
          return find_from(path, step + 1);
        }
        skip_value();
        skip_space();
        if (m_pos >= m_text.size() || m_text[m_pos] != ',') {
          return std::nullopt;
        }
        ++m_pos;
      }
    }
    if (m_text[m_pos] == '[' && std::holds_alternative<std::size_t>(path[step])) {
      ++m_pos;
      const std::size_t wanted = std::get<std::size_t>(path[step]);
      for (std::size_t index = 0;; ++index) {
        skip_space();
        if (m_pos >= m_text.size() || m_text[m_pos] == ']') {
          return std::nullopt;
        }
        if (index == wanted) {
          return find_from(path, step + 1);
        }
        skip_value();
        skip_space();
        if (m_pos >= m_text.size() || m_text[m_pos] != ',') {
          return std::nullopt;
        }
        ++m_pos;
      }
    }
    return std::nullopt;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// A SAX handler that keeps nothing but where parsing failed: nlohmann's number-overflow error
// ("1e999") is an out_of_range exception, which, unlike parse_error, carries no position.
struct FailureLocator {
  std::size_t token_offset = 0;

  bool null() { return true; }
  bool boolean(bool /*value*/) { return true; }
  bool number_integer(Json::number_integer_t /*value*/) { return true; }
  bool number_unsigned(Json::number_unsigned_t /*value*/) { return true; }
  bool number_float(Json::number_float_t /*value*/, const Json::string_t& /*text*/) { return true; }
  bool string(Json::string_t& /*value*/) { return true; }
  bool binary(Json::binary_t& /*value*/) { return true; }
  bool start_object(std::size_t /*size*/) { return true; }
  bool key(Json::string_t& /*key*/) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t /*size*/) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t position,
                   const std::string& last_token,
                   const nlohmann::json::exception& /*error*/) {
    // `position` is just past the token.
    token_offset = position >= last_token.size() ? position - last_token.size() : 0;
    return false;
  }
};

// Appends a compact rendering of `value` to `out`, stopping once `out` reaches `budget` bytes;
// containers below `levels` more levels are shown as [...] or {...}.
template<typename J>
void append_excerpt(const J& value, std::string& out, std::size_t budget, int levels) {
  if (out.size() >= budget) {
    return;
  }
  if (value.is_array() || value.is_object()) {
    const bool array = value.is_array();
    if (value.empty()) {
      out += array ? "[]" : "{}";
      return;
    }
    if (levels <= 0) {
      out += array ? "[...]" : "{...}";
      return;
    }
    out += array ? '[' : '{';
    bool first = true;
    for (auto it = value.begin(); it != value.end() && out.size() < budget; ++it) {
      if (!first) {
        out += ',';
      }
      first = false;
      if (!array) {
        out += J(it.key()).dump();
        out += ':';
      }
      append_excerpt(*it, out, budget, levels - 1);
    }
    out += array ? ']' : '}';
    return;
  }
  if (value.is_string()) {
    // A long string is cut before it is quoted: dumping a 1 GB string to show 40 bytes of it
    // would cost a copy of it.
    const auto& text = value.template get_ref<const std::string&>();
    out += J(text.substr(0, budget)).dump(-1, ' ', false, J::error_handler_t::replace);
    return;
  }
  out += value.dump();
}

template<typename J> std::string excerpt_of(const J& value, std::size_t max_chars) {
  std::string text;
  append_excerpt(value, text, max_chars + 1, 4);
  if (text.size() > max_chars) {
    text = text.substr(0, max_chars > 3 ? max_chars - 3 : 0) + "...";
  }
  return text;
}

std::string describe(const Json& value) {
  return excerpt_of(value, 40);
}

} // namespace

namespace {

constexpr std::uint64_t k_byte_ones = 0x0101010101010101U;
constexpr std::uint64_t k_byte_highs = 0x8080808080808080U;

// The high bit of each byte of `word` equal to `c`. A false flag can only follow a true one (the
// borrow of the subtraction), so the lowest flag is always right.
constexpr std::uint64_t bytes_equal(std::uint64_t word, unsigned char c) {
  const std::uint64_t x = word ^ (k_byte_ones * c);
  return (x - k_byte_ones) & ~x & k_byte_highs;
}

// The position of the first byte from `i` on for which `flags` (of eight bytes read little-endian)
// is set, eight bytes at a time; `size` when there is none.
template<typename Flags>
std::size_t skip_unflagged(std::string_view text, std::size_t i, Flags flags) {
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (const std::uint64_t found = flags(word); found != 0) {
        return i + static_cast<std::size_t>(std::countr_zero(found)) / 8;
      }
    }
  }
  return i;
}

} // namespace

std::optional<std::size_t> find_excess_json_depth(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  const std::size_t size = text.size();
  // Only quotes and brackets matter outside strings, only quotes and backslashes inside: the
  // runs between them are skipped eight bytes at a time (data files are read on every run).
  const auto structural = [](std::uint64_t word) {
    return bytes_equal(word, '"') | bytes_equal(word, '[') | bytes_equal(word, '{')
           | bytes_equal(word, ']') | bytes_equal(word, '}');
  };
  const auto string_end = [](std::uint64_t word) {
    return bytes_equal(word, '"') | bytes_equal(word, '\\');
  };
  for (std::size_t i = skip_unflagged(text, 0, structural); i < size;
       i = skip_unflagged(text, i + 1, structural)) {
    const char c = text[i];
    if (c == '"') {
      for (i = skip_unflagged(text, i + 1, string_end); i < size && text[i] != '"';
           i = skip_unflagged(text, i + 1, string_end)) {
        if (text[i] == '\\') {
          ++i;
        }
      }
      if (i >= size) {
        break;
      }
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return i;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::optional<DuplicateJsonKey> find_duplicate_json_key(std::string_view text) {
  // One frame per open object or array: the keys seen so far (with their offsets) and the
  // current key or index, for the path.
  struct Frame {
    bool object = false;
    std::size_t index = 0;
    std::string current;
    std::unordered_map<std::string, std::size_t> keys;
  };
  std::vector<Frame> frames;
  bool expect_key = false;
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (c == '"') {
      const std::size_t start = i;
      bool escaped = false;
      for (++i; i < size && text[i] != '"'; ++i) {
        if (text[i] == '\\') {
          escaped = true;
          ++i;
        }
      }
      if (!expect_key || frames.empty() || !frames.back().object) {
        continue;
      }
      expect_key = false;
      const std::string_view raw = text.substr(start, i + 1 - start);
      std::string key(raw.substr(1, raw.size() - 2));
      if (escaped) {
        try {
          key = Json::parse(raw).get<std::string>();
        } catch (const std::exception&) {
          // Not valid JSON after all: the parser reports it; the raw text is as good a key.
        }
      }
      Frame& frame = frames.back();
      const auto [it, inserted] = frame.keys.emplace(key, start);
      if (!inserted) {
        DuplicateJsonKey duplicate;
        for (std::size_t f = 0; f + 1 < frames.size(); ++f) {
          if (frames[f].object) {
            duplicate.parent += (duplicate.parent.empty() ? "" : ".") + frames[f].current;
          } else {
            duplicate.parent += fmt::format("[{}]", frames[f].index);
          }
        }
        duplicate.first_line = line_and_column(text, it->second).first;
        duplicate.second_line = line_and_column(text, start).first;
        duplicate.key = std::move(key);
        return duplicate;
      }
      frame.current = std::move(key);
    } else if (c == '{' || c == '[') {
      frames.emplace_back().object = c == '{';
      expect_key = c == '{';
    } else if ((c == '}' || c == ']') && !frames.empty()) {
      frames.pop_back();
      expect_key = false;
    } else if (c == ',' && !frames.empty()) {
      expect_key = frames.back().object;
      if (!frames.back().object) {
        ++frames.back().index;
      }
    }
  }
  return std::nullopt;
}

std::string duplicate_key_message(const DuplicateJsonKey& duplicate, const std::string& origin) {
  return fmt::format("{}:{}: \"{}\" is given twice{} (first on line {}); give it once",
                     origin,
                     duplicate.second_line,
                     duplicate.key,
                     duplicate.parent.empty() ? std::string() : " in " + duplicate.parent,
                     duplicate.first_line);
}

std::string json_excerpt(const nlohmann::ordered_json& value, std::size_t max_chars) {
  return excerpt_of(value, max_chars);
}

std::string json_excerpt(const nlohmann::json& value, std::size_t max_chars) {
  return excerpt_of(value, max_chars);
}

Expected<Json> parse_json_document(std::string_view text, const std::string& origin) {
  if (const auto deep = find_excess_json_depth(text)) {
    const auto [line, column] = line_and_column(text, *deep);
    return make_error(fmt::format("{}:{}:{}: invalid JSON: nested deeper than {} levels",
                                  origin,
                                  line,
                                  column,
                                  k_max_json_depth));
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann reports the byte after the offending token; point at the token itself.
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    const auto [line, column] = line_and_column(text, offset);
    std::string reason = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    if (const auto colon = reason.find(": ", reason.find("parse error"));
        colon != std::string::npos) {
      reason = reason.substr(colon + 2);
    }
    return make_error(fmt::format("{}:{}:{}: invalid JSON: {}", origin, line, column, reason));
  } catch (const nlohmann::json::out_of_range& e) {
    // A number beyond a double's range: "[json.exception.out_of_range.406] number overflow ...".
    FailureLocator locator;
    Json::sax_parse(text.begin(), text.end(), &locator);
    const auto [line, column] = line_and_column(text, locator.token_offset);
    std::string reason = e.what();
    if (const auto bracket = reason.find("] "); bracket != std::string::npos) {
      reason = reason.substr(bracket + 2);
    }
    return make_error(fmt::format("{}:{}:{}: invalid JSON: {}", origin, line, column, reason));
  }
}

std::optional<std::size_t> line_of_json_path(std::string_view text,
                                             const std::vector<JsonPathStep>& path) {
  JsonLocator locator(text);
  const auto offset = locator.find(path);
  if (!offset) {
    return std::nullopt;
  }
  return line_and_column(text, *offset).first;
}

JsonReader::JsonReader(const Json& node,
                       std::string_view text,
                       const std::string& origin,
                       std::vector<JsonPathStep> path)
    : m_node(node), m_text(text), m_origin(origin), m_path(std::move(path)) {}

std::string JsonReader::path_string(std::string_view key) const {
  std::string out;
  for (const auto& step : m_path) {
    if (const auto* name = std::get_if<std::string>(&step)) {
      if (!out.empty()) {
        out += '.';
      }
      out += *name;
    } else {
      out += fmt::format("[{}]", std::get<std::size_t>(step));
    }
  }
  if (!key.empty()) {
    if (!out.empty()) {
      out += '.';
    }
    out += key;
  }
  return out;
}

ErrorInfo JsonReader::error(std::string_view key, const std::string& message) const {
  auto path = m_path;
  if (!key.empty()) {
    path.emplace_back(std::string(key));
  }
  auto line = line_of_json_path(m_text, path);
  if (!line && !key.empty()) {
    line = line_of_json_path(m_text, m_path); // the field is missing: point at its object
  }
  const std::string where = path_string(key);
  std::string text = line ? fmt::format("{}:{}: ", m_origin, *line) : fmt::format("{}: ", m_origin);
  if (!where.empty()) {
    text += where + ": ";
  }
  return ErrorInfo{text + message};
}

const Json* JsonReader::find(std::string_view key) const {
  if (!m_node.is_object()) {
    return nullptr;
  }
  const auto it = m_node.find(std::string(key));
  return it == m_node.end() ? nullptr : &*it;
}

Status JsonReader::expect_schema(std::string_view schema, int max_version) const {
  if (!m_node.is_object()) {
    return Unexpected{
        error("", fmt::format("expected a JSON object with \"schema\": \"{}\"", schema))};
  }
  const auto* name = find("schema");
  if (name == nullptr || !name->is_string() || name->get<std::string>() != schema) {
    return Unexpected{error("schema",
                            fmt::format("expected \"{}\" (got {})",
                                        schema,
                                        name == nullptr ? "nothing" : describe(*name)))};
  }
  const auto* version = find("schemaVersion");
  if (version == nullptr || !version->is_number_integer()) {
    return Unexpected{error("schemaVersion", "must be a whole number")};
  }
  if (version->get<int>() > max_version || version->get<int>() < 1) {
    return Unexpected{error("schemaVersion",
                            fmt::format("version {} is not supported (this gpucost reads 1 to {})",
                                        version->get<int>(),
                                        max_version))};
  }
  return Ok{};
}

Expected<std::vector<JsonReader>> JsonReader::array(std::string_view key) const {
  const auto* value = find(key);
  if (value == nullptr || !value->is_array()) {
    return Unexpected{error(key, "must be an array")};
  }
  std::vector<JsonReader> items;
  items.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    auto path = m_path;
    path.emplace_back(std::string(key));
    path.emplace_back(i);
    items.emplace_back((*value)[i], m_text, m_origin, std::move(path));
  }
  return items;
}

Expected<std::optional<JsonReader>> JsonReader::object(std::string_view key) const {
  const auto* value = find(key);
  if (value == nullptr || value->is_null()) {
    return std::optional<JsonReader>{};
  }
  if (!value->is_object()) {
    return Unexpected{error(key, fmt::format("must be an object (got {})", describe(*value)))};
  }
  auto path = m_path;
  path.emplace_back(std::string(key));
  return std::optional<JsonReader>(std::in_place, *value, m_text, m_origin, std::move(path));
}

Status JsonReader::string_field(std::string_view key, std::string& out, Presence presence) const {
  const bool required = presence == Presence::required;
  const auto* value = find(key);
  if (value == nullptr || value->is_null()) {
    if (required) {
      return Unexpected{error(key, "is required")};
    }
    return Ok{};
  }
  if (!value->is_string()) {
    return Unexpected{error(key, fmt::format("must be a string (got {})", describe(*value)))};
  }
  out = value->get<std::string>();
  if (required && out.empty()) {
    return Unexpected{error(key, "must not be empty")};
  }
  return Ok{};
}

Status
JsonReader::number_field(std::string_view key, std::optional<double>& out, double minimum) const {
  return number_field(key, out, NumberRange{.minimum = minimum});
}

Status JsonReader::number_field(std::string_view key, OptionalNumber& out, double minimum) const {
  return number_field(key, out, NumberRange{.minimum = minimum});
}

Status JsonReader::number_field(std::string_view key,
                                OptionalNumber& out,
                                const NumberRange& range) const {
  std::optional<double> value = out;
  const Status status = number_field(key, value, range);
  out = value;
  return status;
}

Status JsonReader::number_field(std::string_view key,
                                std::optional<double>& out,
                                const NumberRange& range) const {
  const auto [minimum, exclusive, maximum] = range;
  const auto* value = find(key);
  if (value == nullptr || value->is_null()) {
    out.reset();
    return Ok{};
  }
  if (!value->is_number()) {
    return Unexpected{error(key, fmt::format("must be a number (got {})", describe(*value)))};
  }
  const double number = value->get<double>();
  const bool too_small = exclusive ? !(number > minimum) : !(number >= minimum);
  if (!std::isfinite(number) || too_small || number > maximum) {
    std::string accepted = fmt::format("{} {}", exclusive ? ">" : ">=", minimum);
    if (maximum < std::numeric_limits<double>::max()) {
      accepted += fmt::format(" and <= {}", maximum);
    }
    return Unexpected{error(key, fmt::format("must be {} (got {})", accepted, describe(*value)))};
  }
  out = number;
  return Ok{};
}

Status JsonReader::int_field(std::string_view key, std::optional<int>& out, int minimum) const {
  const auto* value = find(key);
  if (value == nullptr || value->is_null()) {
    out.reset();
    return Ok{};
  }
  if (!value->is_number_integer() || value->get<long long>() < minimum
      || value->get<long long>() > std::numeric_limits<int>::max()) {
    return Unexpected{error(
        key, fmt::format("must be a whole number >= {} (got {})", minimum, describe(*value)))};
  }
  out = value->get<int>();
  return Ok{};
}

Status JsonReader::bool_field(std::string_view key, std::optional<bool>& out) const {
  const auto* value = find(key);
  if (value == nullptr || value->is_null()) {
    out.reset();
    return Ok{};
  }
  if (!value->is_boolean()) {
    return Unexpected{error(key, fmt::format("must be true or false (got {})", describe(*value)))};
  }
  out = value->get<bool>();
  return Ok{};
}

Status JsonReader::string_list_field(std::string_view key, std::vector<std::string>& out) const {
  const auto* value = find(key);
  if (value == nullptr || value->is_null()) {
    return Ok{};
  }
  if (!value->is_array()) {
    return Unexpected{error(key, "must be an array of strings")};
  }
  out.clear();
  for (const auto& item : *value) {
    if (!item.is_string()) {
      return Unexpected{error(key, fmt::format("must hold only strings (got {})", describe(item)))};
    }
    out.push_back(item.get<std::string>());
  }
  return Ok{};
}

Status JsonReader::check_keys(std::initializer_list<std::string_view> known) const {
  return check_keys(std::vector<std::string>(known.begin(), known.end()));
}

Status JsonReader::check_keys(const std::vector<std::string>& known) const {
  if (!m_node.is_object()) {
    return Unexpected{error("", fmt::format("must be a JSON object (got {})", describe(m_node)))};
  }
  for (const auto& item : m_node.items()) {
    const std::string& key = item.key();
    if (std::find(known.begin(), known.end(), key) != known.end()) {
      continue;
    }
    const std::string near = closest_match(key, known);
    if (!near.empty()) {
      return Unexpected{
          error(key, fmt::format("unknown field \"{}\" (did you mean \"{}\"?)", key, near))};
    }
  }
  return Ok{};
}

} // namespace gpucost
