#include <gpucost/data/catalog_fast.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/util/number_text.hpp>
#include <gpucost/util/suggest.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace gpucost {

namespace {

// An offer's fields, in documented order (the order of k_field_names).
enum class Field : std::uint8_t {
  provider,
  product,
  name,
  gpu,
  gpu_count,
  gpu_memory_gb,
  vcpus,
  ram_gb,
  region,
  price_per_hour,
  spot_price_per_hour,
  monthly_price,
  always_on_price_per_hour,
  currency,
  billing_granularity_s,
  billing_minimum_s,
  cold_start_s,
  cold_start_billed,
  idle_timeout_s,
  interruptions_per_hour,
  egress_per_gb,
  reliability,
  source,
  fetched_at,
  notes,
  unit,
  price_per_unit,
  minimum_charge,
  unit_increment,
  max_units_per_call,
  rate_limit_per_minute,
  unknown,
};

constexpr std::size_t k_field_count = static_cast<std::size_t>(Field::unknown);

constexpr std::array<std::string_view, k_field_count> k_field_names = {"provider",
                                                                       "product",
                                                                       "name",
                                                                       "gpu",
                                                                       "gpu_count",
                                                                       "gpu_memory_gb",
                                                                       "vcpus",
                                                                       "ram_gb",
                                                                       "region",
                                                                       "price_per_hour",
                                                                       "spot_price_per_hour",
                                                                       "monthly_price",
                                                                       "always_on_price_per_hour",
                                                                       "currency",
                                                                       "billing_granularity_s",
                                                                       "billing_minimum_s",
                                                                       "cold_start_s",
                                                                       "cold_start_billed",
                                                                       "idle_timeout_s",
                                                                       "interruptions_per_hour",
                                                                       "egress_per_gb",
                                                                       "reliability",
                                                                       "source",
                                                                       "fetched_at",
                                                                       "notes",
                                                                       "unit",
                                                                       "price_per_unit",
                                                                       "minimum_charge",
                                                                       "unit_increment",
                                                                       "max_units_per_call",
                                                                       "rate_limit_per_minute"};

// The range a number field must be in: > `minimum` when `exclusive`, else >= it; at most
// `maximum`. The value goes to `member` of the offer, or to `unit_member` of its per_unit price.
struct NumberRule {
  OptionalNumber Offer::*member = nullptr;
  bool exclusive = false;
  double maximum = std::numeric_limits<double>::max();
  double minimum = 0;
  OptionalNumber UnitPrice::*unit_member = nullptr;

  // Whether the field is a number field at all.
  bool known() const { return member != nullptr || unit_member != nullptr; }

  // The value the field sets in `offer`.
  OptionalNumber& in(Offer& offer) const {
    return member != nullptr ? offer.*member : offer.per_unit.*unit_member;
  }
};

constexpr double k_max_monthly_price = k_max_price_per_hour * k_hours_per_month;
constexpr double k_min_monthly_price = k_min_price_per_hour * k_hours_per_month;

// The same ranges as read_offer in catalog.cpp gives JsonReader::number_field.
constexpr NumberRule field_number_rule(Field field) {
  switch (field) {
  case Field::gpu_memory_gb:
    return {&Offer::gpu_memory_gb, true};
  case Field::vcpus:
    return {&Offer::vcpus, true};
  case Field::ram_gb:
    return {&Offer::ram_gb, true};
  case Field::price_per_hour:
    return {&Offer::price_per_hour, false, k_max_price_per_hour, k_min_price_per_hour};
  case Field::spot_price_per_hour:
    return {&Offer::spot_price_per_hour, false, k_max_price_per_hour, k_min_price_per_hour};
  case Field::monthly_price:
    return {&Offer::monthly_price, false, k_max_monthly_price, k_min_monthly_price};
  case Field::always_on_price_per_hour:
    return {&Offer::always_on_price_per_hour, false, k_max_price_per_hour, k_min_price_per_hour};
  case Field::billing_granularity_s:
    return {&Offer::billing_granularity_s, true, k_max_billing_granularity_s};
  case Field::billing_minimum_s:
    return {&Offer::billing_minimum_s};
  case Field::cold_start_s:
    return {&Offer::cold_start_s};
  case Field::idle_timeout_s:
    return {&Offer::idle_timeout_s};
  case Field::interruptions_per_hour:
    return {&Offer::interruptions_per_hour};
  case Field::egress_per_gb:
    return {&Offer::egress_per_gb};
  case Field::reliability:
    return {&Offer::reliability, false, 1.0};
  case Field::price_per_unit:
    return {nullptr, true, std::numeric_limits<double>::max(), 0, &UnitPrice::price_per_unit};
  case Field::minimum_charge:
    return {nullptr, false, std::numeric_limits<double>::max(), 0, &UnitPrice::minimum_charge};
  case Field::unit_increment:
    return {nullptr, true, std::numeric_limits<double>::max(), 0, &UnitPrice::unit_increment};
  case Field::max_units_per_call:
    return {nullptr, true, std::numeric_limits<double>::max(), 0, &UnitPrice::max_units_per_call};
  case Field::rate_limit_per_minute:
    return {
        nullptr, true, std::numeric_limits<double>::max(), 0, &UnitPrice::rate_limit_per_minute};
  default:
    return {};
  }
}

// field_number_rule of every field, Field::unknown included, looked up rather than switched on for
// each number read.
constexpr std::array<NumberRule, k_field_count + 1> k_number_rules = [] {
  std::array<NumberRule, k_field_count + 1> rules{};
  for (std::size_t i = 0; i <= k_field_count; ++i) {
    rules[i] = field_number_rule(static_cast<Field>(i));
  }
  return rules;
}();

// The rule of a field's numbers.
const NumberRule& number_rule(Field field) {
  return k_number_rules[static_cast<std::size_t>(field)];
}

// Fills one Offer from the fields of a catalog row as read_offer would, field by field. A key
// given twice is an error of the checked reader, so it is handed over. Each method returns false
// where read_offer would fail (or might: when in doubt, false), and then the checked reader has
// the last word.
class OfferBuilder {
public:
  explicit OfferBuilder(const std::vector<FxRate>& rates) : m_rates(rates) {}

  // Starts filling `offer`, a default-constructed Offer that must outlive the builder's use.
  void start(Offer& offer) {
    m_offer = &offer;
    m_has_product = false;
    m_gpu_count.reset();
    m_in_usd = true;
    m_field = Field::unknown;
    m_next = 0;
    m_seen = 0;
    m_unknown_keys.clear();
  }

  // The field most likely to come next: catalogs are written in documented order.
  std::size_t next_field() const { return m_next; }

  // Selects the known field the next value goes to; false when the offer gave it already.
  bool select(Field field) {
    const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(field);
    if ((m_seen & bit) != 0) {
      return false;
    }
    m_seen |= bit;
    m_field = field;
    m_next = static_cast<std::size_t>(field) + 1;
    return true;
  }

  // Selects the field called `name`; false for a likely misspelling of a known field, or a key
  // the offer gave already.
  bool key(std::string_view name) {
    for (std::size_t i = 0; i < k_field_count; ++i) {
      if (k_field_names[i] == name) {
        return select(static_cast<Field>(i));
      }
    }
    m_field = Field::unknown;
    if (std::find(m_unknown_keys.begin(), m_unknown_keys.end(), name) != m_unknown_keys.end()) {
      return false;
    }
    m_unknown_keys.emplace_back(name);
    return closest_match(name, offer_field_names()).empty();
  }

  // The selected field is null: unknown, so empty, unless the field is required.
  bool null_value() {
    switch (m_field) {
    case Field::name:
      m_offer->name.clear();
      return true;
    case Field::region:
      m_offer->region.clear();
      return true;
    case Field::notes:
      m_offer->notes.clear();
      return true;
    case Field::currency:
      m_in_usd = true;
      return true;
    case Field::cold_start_billed:
      m_offer->cold_start_billed.reset();
      return true;
    case Field::gpu: // required of a GPU offer: finish() checks
      m_offer->gpu.clear();
      return true;
    case Field::gpu_count:
      m_gpu_count.reset();
      return true;
    case Field::unit:
      m_offer->per_unit.unit.reset();
      return true;
    case Field::unknown:
      return true;
    default:
      if (const NumberRule& rule = number_rule(m_field); rule.known()) {
        rule.in(*m_offer).reset();
        return true;
      }
      return false; // a required field
    }
  }

  // The selected field is true or false: only cold_start_billed (or an unknown field) may be.
  bool boolean(bool value) {
    if (m_field == Field::cold_start_billed) {
      m_offer->cold_start_billed = value;
      return true;
    }
    return m_field == Field::unknown;
  }

  // The selected field is a number: checked against the field's range as read_offer checks it.
  bool number(const JsonNumber& number) {
    if (m_field == Field::gpu_count) {
      if (!number.integer || *number.integer < 1
          || *number.integer > std::numeric_limits<int>::max()) {
        return false;
      }
      m_gpu_count = static_cast<int>(*number.integer);
      return true;
    }
    const NumberRule& rule = number_rule(m_field);
    if (!rule.known()) {
      return m_field == Field::unknown;
    }
    const double value = number.value;
    const bool in_range =
        (rule.exclusive ? value > rule.minimum : value >= rule.minimum) && value <= rule.maximum;
    if (!in_range || !std::isfinite(value)) {
      return false;
    }
    rule.in(*m_offer) = value;
    return true;
  }

  // The selected field is a string: copied, and checked where read_offer checks it (product,
  // fetched_at).
  bool string(std::string_view text) {
    switch (m_field) {
    case Field::provider:
      m_offer->provider.assign(text);
      return true;
    case Field::product: {
      const auto product = parse_product(text);
      m_offer->product = product.value_or(Product::vm);
      m_has_product = product.has_value();
      return m_has_product;
    }
    case Field::name:
      m_offer->name.assign(text);
      return true;
    case Field::gpu:
      m_offer->gpu.assign(text);
      return true;
    case Field::region:
      m_offer->region.assign(text);
      return true;
    case Field::currency:
      m_in_usd = text == "USD";
      if (!m_in_usd) {
        m_currency.assign(text);
      }
      return true;
    case Field::source:
      m_offer->source.assign(text);
      return true;
    case Field::fetched_at:
      m_offer->fetched_at.assign(text);
      // Most offers of a file share one time: parse each distinct one once.
      if (text != m_last_valid_time) {
        if (!parse_iso8601(text)) {
          return false;
        }
        m_last_valid_time.assign(text);
      }
      return true;
    case Field::notes:
      m_offer->notes.assign(text);
      return true;
    case Field::unit:
      m_offer->per_unit.unit = parse_work_unit(text);
      return m_offer->per_unit.unit.has_value();
    case Field::unknown:
      return true;
    default:
      return false;
    }
  }

  // Whether an object or array may be the value: only of an unknown field, which is then skipped.
  bool nested() const { return m_field == Field::unknown; }

  // Completes the offer; false when it lacks a required field or a price, or its currency has no
  // rate.
  bool finish() {
    if (m_offer->provider.empty() || !m_has_product || m_offer->source.empty()
        || m_offer->fetched_at.empty()) {
      return false;
    }
    const bool api = m_offer->product == Product::api;
    if ((api || has_unit_terms(m_offer->per_unit))
        && misplaced_offer_field(*m_offer, m_gpu_count.has_value())) {
      return false;
    }
    if (api) {
      m_offer->gpu_count = 0;
    } else {
      if (m_offer->gpu.empty() || !m_gpu_count || !has_price(*m_offer)) {
        return false;
      }
      m_offer->gpu_count = *m_gpu_count;
    }
    m_converted = !m_in_usd;
    if (m_converted) {
      const FxRate* rate = find_rate(m_rates, m_currency);
      if (rate == nullptr) {
        return false;
      }
      convert_to_usd(*m_offer, *rate);
    }
    return true;
  }

  // Whether finish() converted the offer's prices to USD (and said so in its notes).
  bool converted() const { return m_converted; }

private:
  const std::vector<FxRate>& m_rates;
  Offer* m_offer = nullptr;
  bool m_has_product = false;
  bool m_converted = false;
  std::optional<int> m_gpu_count;
  bool m_in_usd = true;   // the offer's currency is USD (given or not): no conversion
  std::string m_currency; // else its currency (set every time m_in_usd is false)
  std::string m_last_valid_time;
  Field m_field = Field::unknown;
  std::size_t m_next = 0;                  // the field expected next
  std::uint64_t m_seen = 0;                // the known fields this offer gave, one bit each
  std::vector<std::string> m_unknown_keys; // the other keys it gave (rare)
};
static_assert(k_field_count <= 64, "OfferBuilder::m_seen has a bit per field");

// Asks Linux to back the `size` bytes at `data` with 2 MB pages where it can: filling 100k offers
// (47 MB) then takes a few dozen page faults instead of 12,000: 66 ms became 50 (see
// docs/performance.md). Only a hint: elsewhere, or when it fails, nothing changes.
void advise_huge_pages([[maybe_unused]] void* data, [[maybe_unused]] std::size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::size_t k_huge_page = std::size_t{2} << 20;
  const auto address = reinterpret_cast<std::uintptr_t>(data);
  const std::size_t skip = (k_huge_page - address % k_huge_page) % k_huge_page; // to a boundary
  if (size > skip + k_huge_page) {
    const std::size_t whole_pages = (size - skip) / k_huge_page * k_huge_page;
    madvise(static_cast<char*>(data) + skip, whole_pages, MADV_HUGEPAGE);
  }
#endif
}

// Whether the `size` bytes at `a` and `b` are equal: for keys, which are so short that a call to
// memcmp costs more than the comparison.
bool equal_bytes(const char* a, const char* b, std::size_t size) {
  for (; size >= 8; a += 8, b += 8, size -= 8) {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) {
      return false;
    }
  }
  for (; size > 0; ++a, ++b, --size) {
    if (*a != *b) {
      return false;
    }
  }
  return true;
}

// A field's key as it stands in the text after its opening quote, `name"`, as 8-byte words to
// compare with a load each (the bytes past its end masked off): comparing a key with the one
// expected next was a third of the reader's own time byte by byte.
struct KeyWords {
  std::array<std::uint64_t, 4> words{};
  std::array<std::uint64_t, 4> masks{};
  std::size_t count = 0; // words used
};

// The longest key, its closing quote included, that KeyWords holds: 4 words.
constexpr std::size_t k_key_word_bytes = 32;

constexpr std::array<KeyWords, k_field_count> k_key_words = [] {
  std::array<KeyWords, k_field_count> all{};
  for (std::size_t i = 0; i < k_field_count; ++i) {
    const std::string_view name = k_field_names[i];
    const std::size_t size = name.size() + 1;
    all[i].count = (size + 7) / 8;
    for (std::size_t w = 0; w < all[i].count; ++w) {
      std::array<char, 8> bytes{};
      std::array<unsigned char, 8> mask{};
      for (std::size_t b = 0; b < 8 && w * 8 + b < size; ++b) {
        const std::size_t at = w * 8 + b;
        bytes[b] = at < name.size() ? name[at] : '"';
        mask[b] = 0xFF;
      }
      all[i].words[w] = std::bit_cast<std::uint64_t>(bytes);
      all[i].masks[w] = std::bit_cast<std::uint64_t>(mask);
    }
  }
  return all;
}();
static_assert(std::all_of(k_field_names.begin(),
                          k_field_names.end(),
                          [](std::string_view name) { return name.size() < k_key_word_bytes; }),
              "every key fits in KeyWords");

// Whether the text at `p`, which has at least k_key_word_bytes bytes, starts with `key`.
bool starts_with_key(const char* p, const KeyWords& key) {
  for (std::size_t w = 0; w < key.count; ++w) {
    std::uint64_t word = 0;
    std::memcpy(&word, p + w * 8, 8);
    if ((word & key.masks[w]) != key.words[w]) {
      return false;
    }
  }
  return true;
}

// 1 for the bytes a JSON string holds as they are that are printable ASCII: 0x20 to 0x7E, other
// than '"' and '\'. (DEL, 0x7F, is held as it is too, but is not printable: read_string marks it.)
constexpr std::array<std::uint8_t, 256> k_plain_byte = [] {
  std::array<std::uint8_t, 256> table{};
  for (std::size_t c = 0x20; c < 0x7F; ++c) {
    table[c] = c == '"' || c == '\\' ? 0 : 1;
  }
  return table;
}();

// What an offer not kept is reset to before the next is read into its place.
const Offer k_empty_offer{};

// A strict one-pass JSON reader for catalogs, accepting exactly what nlohmann accepts or less:
// RFC 8259 with a leading UTF-8 byte-order mark allowed; strings must be well-formed UTF-8 (RFC
// 3629) and may not hold control characters; no comments. Whatever it does not accept, the
// checked reader reads again.
class CatalogScanner {
public:
  CatalogScanner(std::string_view text,
                 const std::vector<FxRate>& rates,
                 CatalogEnvelope* envelope,
                 const ReadProgress& progress,
                 const KeepOffer& keep)
      : m_begin(text.data()), m_pos(text.data()), m_end(text.data() + text.size()),
        m_builder(rates), m_size_hint(text.size()), m_envelope(envelope), m_progress(progress),
        m_keep(keep), m_reported(text.data()) {}

  // Reads the whole text: the offers, or nullopt for anything but a valid catalog.
  std::optional<std::vector<Offer>> read() {
    if (m_end - m_pos >= 3 && std::memcmp(m_pos, "\xEF\xBB\xBF", 3) == 0) {
      m_pos += 3;
    }
    std::string schema;
    bool version_ok = false;
    bool has_offers = false;
    std::vector<Offer> offers;
    std::vector<std::string> keys; // the top-level keys read: one given twice is handed over
    const auto read_member = [&] {
      std::string_view key;
      if (!read_key(key)) {
        return false;
      }
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        return false;
      }
      keys.emplace_back(key);
      if (key == "schema") {
        std::string_view value;
        if (!at('"') || !read_string(value)) {
          return false;
        }
        schema.assign(value);
        return true;
      }
      if (key == "schemaVersion") {
        JsonNumber version;
        version_ok = read_number(version) && version.integer == 1;
        return version_ok;
      }
      if (key == "offers") {
        // A second "offers" would replace the first in the DOM: leave that to the DOM.
        const bool first = !has_offers;
        has_offers = true;
        const char* const begin = m_pos;
        if (!first || !read_offers(offers)) {
          return false;
        }
        if (m_envelope != nullptr) {
          m_envelope->offers_text =
              std::string_view(begin, static_cast<std::size_t>(m_pos - begin));
        }
        return true;
      }
      if (std::string_view* field = envelope_field(key)) {
        if (at('"')) {
          return read_string(*field);
        }
      }
      return skip_value(0);
    };
    if (!consume('{') || !read_items('}', read_member)) {
      return std::nullopt;
    }
    skip_space();
    if (m_pos != m_end || schema != "gpucost/catalog" || !version_ok || !has_offers) {
      return std::nullopt;
    }
    return offers;
  }

private:
  // Nesting deeper than this in unknown fields is left to nlohmann, which has no such limit.
  static constexpr int k_max_depth = 256;

  // Whether `c` is the next byte.
  bool at(char c) const { return m_pos != m_end && *m_pos == c; }

  // Skips JSON whitespace: space, tab, line feed, carriage return. Inlined: called several times a
  // field, the calls showed in profiles (5% of a 100k run).
  [[gnu::always_inline]] void skip_space() {
    // Every JSON space is below '!': most calls find none, with one comparison.
    while (m_pos != m_end && static_cast<unsigned char>(*m_pos) <= ' '
           && (*m_pos == ' ' || *m_pos == '\n' || *m_pos == '\r' || *m_pos == '\t')) {
      ++m_pos;
    }
  }

  // Skips space and `c`; false when `c` is not next.
  [[gnu::always_inline]] bool consume(char c) {
    skip_space();
    if (!at(c)) {
      return false;
    }
    ++m_pos;
    return true;
  }

  // Just after a '{' or '[': calls `read_item` for each member or element up to `close` and moves
  // past it; false when `read_item` fails or what separates the items is not JSON.
  template<typename ReadItem> bool read_items(char close, ReadItem read_item) {
    if (consume(close)) {
      return true; // empty
    }
    while (true) {
      if (!read_item()) {
        return false;
      }
      skip_space();
      if (!at(',')) {
        return consume(close);
      }
      ++m_pos;
    }
  }

  // Reads `"key"` and the ':' after it, leaving space skipped before the value.
  bool read_key(std::string_view& key) {
    skip_space();
    if (!at('"') || !read_string(key) || !consume(':')) {
      return false;
    }
    skip_space();
    return true;
  }

  // The length of the well-formed UTF-8 sequence at `p` (a byte >= 0x80), or 0 when it is not
  // one: the table of RFC 3629, section 4, which nlohmann's lexer checks too.
  std::size_t utf8_length(const char* p) const {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(p[i]); };
    const auto left = static_cast<std::size_t>(m_end - p);
    const auto in = [](unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
    const unsigned char lead = byte(0);
    if (in(lead, 0xC2, 0xDF)) {
      return left >= 2 && in(byte(1), 0x80, 0xBF) ? 2 : 0;
    }
    if (in(lead, 0xE0, 0xEF)) {
      const unsigned lo = lead == 0xE0 ? 0xA0 : 0x80;
      const unsigned hi = lead == 0xED ? 0x9F : 0xBF;
      return left >= 3 && in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) ? 3 : 0;
    }
    if (in(lead, 0xF0, 0xF4)) {
      const unsigned lo = lead == 0xF0 ? 0x90 : 0x80;
      const unsigned hi = lead == 0xF4 ? 0x8F : 0xBF;
      return left >= 4 && in(byte(1), lo, hi) && in(byte(2), 0x80, 0xBF) && in(byte(3), 0x80, 0xBF)
                 ? 4
                 : 0;
    }
    return 0;
  }

  // Moves `p` past printable ASCII bytes that a string holds as they are (k_plain_byte), eight at
  // a time where it can.
  const char* skip_plain(const char* p) const {
    if constexpr (std::endian::native == std::endian::little) {
      constexpr std::uint64_t k_ones = 0x0101010101010101U;
      constexpr std::uint64_t k_highs = 0x8080808080808080U;
      // Flags bytes below `n` (n <= 0x80); a false flag can only follow a true one.
      const auto below = [](std::uint64_t word, std::uint64_t n) {
        return (word - k_ones * n) & ~word & k_highs;
      };
      while (m_end - p >= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, sizeof word);
        const std::uint64_t special =
            below(word ^ (k_ones * '"'), 1) | below(word ^ (k_ones * '\\'), 1)
            | below(word ^ (k_ones * 0x7F), 1) | below(word, 0x20) | (word & k_highs);
        if (special != 0) {
          return p + std::countr_zero(special) / 8;
        }
        p += 8;
      }
    }
    while (p != m_end && k_plain_byte[static_cast<unsigned char>(*p)] != 0) {
      ++p;
    }
    return p;
  }

  // Four hex digits at `p`, or -1.
  long hex4(const char* p) const {
    if (m_end - p < 4) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = p[i];
      long digit = 0;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        digit = c - 'A' + 10;
      } else {
        return -1;
      }
      value = value * 16 + digit;
    }
    return value;
  }

  // At a '\' inside a string: appends the character it stands for to m_scratch and moves `p`
  // past it; false for an invalid escape or a lone surrogate (as nlohmann).
  bool read_escape(const char*& p) {
    if (m_end - p < 2) {
      return false;
    }
    const char kind = p[1];
    p += 2;
    switch (kind) {
    case '"':
    case '\\':
    case '/':
      m_scratch += kind;
      return true;
    case 'b':
      m_scratch += '\b';
      return true;
    case 'f':
      m_scratch += '\f';
      return true;
    case 'n':
      m_scratch += '\n';
      return true;
    case 'r':
      m_scratch += '\r';
      return true;
    case 't':
      m_scratch += '\t';
      return true;
    case 'u':
      break;
    default:
      return false;
    }
    long code = hex4(p);
    if (code < 0 || (code >= 0xDC00 && code <= 0xDFFF)) {
      return false;
    }
    p += 4;
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (m_end - p < 6 || p[0] != '\\' || p[1] != 'u') {
        return false;
      }
      const long low = hex4(p + 2);
      if (low < 0xDC00 || low > 0xDFFF) {
        return false;
      }
      p += 6;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    const auto put = [&](long byte) { m_scratch += static_cast<char>(byte); };
    if (code < 0x80) {
      put(code);
    } else if (code < 0x800) {
      put(0xC0 | (code >> 6));
      put(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      put(0xE0 | (code >> 12));
      put(0x80 | ((code >> 6) & 0x3F));
      put(0x80 | (code & 0x3F));
    } else {
      put(0xF0 | (code >> 18));
      put(0x80 | ((code >> 12) & 0x3F));
      put(0x80 | ((code >> 6) & 0x3F));
      put(0x80 | (code & 0x3F));
    }
    return true;
  }

  // At a '"': reads the string into `out`, which points into the text when it has no escapes and
  // into m_scratch (valid until the next string) when it has.
  bool read_string(std::string_view& out) {
    const char* const start = m_pos + 1;
    const char* p = start;
    while (true) {
      p = skip_plain(p);
      if (p == m_end) {
        return false;
      }
      const auto c = static_cast<unsigned char>(*p);
      if (c == '"') {
        out = std::string_view(start, static_cast<std::size_t>(p - start));
        m_pos = p + 1;
        return true;
      }
      if (c == '\\') {
        break;
      }
      m_printable = false;
      // DEL is held as it is; any other byte < 0x80 here is a control character.
      const std::size_t length = c == 0x7F ? 1 : c < 0x80 ? 0 : utf8_length(p);
      if (length == 0) {
        return false;
      }
      p += length;
    }
    m_printable = false;
    m_scratch.assign(start, p);
    while (true) {
      const char* const run = p;
      p = skip_plain(p);
      m_scratch.append(run, p);
      if (p == m_end) {
        return false;
      }
      const auto c = static_cast<unsigned char>(*p);
      if (c == '"') {
        out = m_scratch;
        m_pos = p + 1;
        return true;
      }
      if (c == '\\') {
        if (!read_escape(p)) {
          return false;
        }
        continue;
      }
      const std::size_t length = c == 0x7F ? 1 : c < 0x80 ? 0 : utf8_length(p);
      if (length == 0) {
        return false;
      }
      m_scratch.append(p, length);
      p += length;
    }
  }

  // Reads a number as nlohmann would (read_json_number). A number beyond a double's range (1e999,
  // 1e-999) is left to the checked reader, which refuses the first and reads the second as 0.
  bool read_number(JsonNumber& out) {
    const char* const end = read_json_number(m_pos, m_end, out);
    if (end == nullptr) {
      return false;
    }
    m_pos = end;
    return true;
  }

  // Reads `true`, `false` or `null`, whichever `literal` is; false when something else is next.
  bool read_literal(std::string_view literal) {
    if (static_cast<std::size_t>(m_end - m_pos) < literal.size()
        || std::memcmp(m_pos, literal.data(), literal.size()) != 0) {
      return false;
    }
    m_pos += literal.size();
    return true;
  }

  // Skips one value of any kind, checking that it is valid JSON.
  bool skip_value(int depth) {
    if (depth > k_max_depth) {
      return false;
    }
    skip_space();
    if (m_pos == m_end) {
      return false;
    }
    switch (*m_pos) {
    case '"': {
      std::string_view ignored;
      return read_string(ignored);
    }
    case '{': {
      ++m_pos;
      // A key given twice is the checked reader's error: handed over.
      std::vector<std::string> keys;
      return read_items('}', [&] {
        std::string_view key;
        if (!read_key(key) || std::find(keys.begin(), keys.end(), key) != keys.end()) {
          return false;
        }
        keys.emplace_back(key);
        return skip_value(depth + 1);
      });
    }
    case '[':
      ++m_pos;
      return read_items(']', [&] { return skip_value(depth + 1); });
    case 't':
      return read_literal("true");
    case 'f':
      return read_literal("false");
    case 'n':
      return read_literal("null");
    default: {
      JsonNumber ignored;
      return read_number(ignored);
    }
    }
  }

  // Reads an offer's key and the ':' after it into the builder; false on a likely misspelling.
  bool read_offer_key() {
    skip_space();
    if (!at('"')) {
      return false;
    }
    // Most keys are a known name as it is, and the expected one or soon after it: compare the
    // text with those before reading a string.
    const auto left = static_cast<std::size_t>(m_end - m_pos);
    const bool by_words = left > k_key_word_bytes; // all but the text's last bytes
    const std::size_t next = m_builder.next_field();
    for (std::size_t k = 0; k < k_field_count; ++k) {
      const std::size_t i = next + k < k_field_count ? next + k : next + k - k_field_count;
      const std::string_view name = k_field_names[i];
      if (by_words ? starts_with_key(m_pos + 1, k_key_words[i])
                   : left > name.size() + 1 && equal_bytes(m_pos + 1, name.data(), name.size())
                         && m_pos[name.size() + 1] == '"') {
        m_pos += name.size() + 2;
        if (!m_builder.select(static_cast<Field>(i)) || !consume(':')) {
          return false;
        }
        skip_space();
        return true;
      }
    }
    std::string_view key;
    return read_key(key) && m_builder.key(key);
  }

  // Reads one offer field's value (space already skipped) into the builder.
  bool read_field_value() {
    if (m_pos == m_end) {
      return false;
    }
    switch (*m_pos) {
    case '"': {
      std::string_view text;
      return read_string(text) && m_builder.string(text);
    }
    case '{':
    case '[':
      return m_builder.nested() && skip_value(1);
    case 't':
      return read_literal("true") && m_builder.boolean(true);
    case 'f':
      return read_literal("false") && m_builder.boolean(false);
    case 'n':
      return read_literal("null") && m_builder.null_value();
    default: {
      JsonNumber number;
      return read_number(number) && m_builder.number(number);
    }
    }
  }

  // At the "offers" value: reads the array of offers.
  bool read_offers(std::vector<Offer>& offers) {
    if (!at('[')) {
      return false;
    }
    ++m_pos;
    // Rows take 300 bytes or more: reserve so that the vector need not grow. Pages of the
    // reservation that no offer fills are never touched, so they cost no memory.
    offers.reserve(m_size_hint / 256);
    advise_huge_pages(offers.data(), offers.capacity() * sizeof(Offer));
    std::size_t index = 0;
    bool reuse = false; // the last offer was not kept: its place takes the next one
    const bool read = read_items(']', [&] {
      if (!consume('{')) {
        return false;
      }
      if (!reuse) {
        offers.emplace_back();
      }
      Offer& offer = offers.back();
      m_builder.start(offer);
      m_printable = true;
      if (!read_items('}', [&] { return read_offer_key() && read_field_value(); })
          || !m_builder.finish()) {
        return false;
      }
      // A price converted has a note made from data/fx.json: not checked here.
      reuse = m_keep && !m_keep(offer, {index, m_printable && !m_builder.converted()});
      if (reuse) {
        offer = k_empty_offer; // copied: the strings keep their buffers for the next offer
      }
      ++index;
      if (m_progress && m_pos - m_reported >= k_progress_bytes) {
        m_progress(static_cast<std::size_t>(m_pos - m_begin));
        m_reported = m_pos;
      }
      return true;
    });
    if (reuse) {
      offers.pop_back();
    }
    return read;
  }

  // The envelope member that records top-level string `key`, or nullptr.
  std::string_view* envelope_field(std::string_view key) const {
    if (m_envelope == nullptr) {
      return nullptr;
    }
    if (key == "provider") {
      return &m_envelope->provider;
    }
    if (key == "fetched_at") {
      return &m_envelope->fetched_at;
    }
    if (key == "source_url") {
      return &m_envelope->source_url;
    }
    if (key == "content_sha256") {
      return &m_envelope->content_sha256;
    }
    return nullptr;
  }

  // How often `progress` hears of the reader: every 4 MB read, about 10,000 offers.
  static constexpr std::ptrdiff_t k_progress_bytes = std::ptrdiff_t{4} << 20;

  const char* m_begin;
  const char* m_pos;
  const char* m_end;
  OfferBuilder m_builder;
  std::size_t m_size_hint;
  CatalogEnvelope* m_envelope;
  const ReadProgress& m_progress;
  const KeepOffer& m_keep;
  bool m_printable = false; // no string of the offer read so far held anything but printable ASCII
  const char* m_reported;   // where `progress` was last told of
  std::string m_scratch;
};

} // namespace

const std::vector<std::string>& offer_field_names() {
  static const std::vector<std::string> names(k_field_names.begin(), k_field_names.end());
  return names;
}

const FxRate* find_rate(const std::vector<FxRate>& rates, std::string_view currency) {
  for (const auto& rate : rates) {
    if (rate.currency == currency) {
      return &rate;
    }
  }
  return nullptr;
}

void convert_to_usd(Offer& offer, const FxRate& rate) {
  for (auto* price : {&offer.price_per_hour,
                      &offer.spot_price_per_hour,
                      &offer.monthly_price,
                      &offer.always_on_price_per_hour,
                      &offer.egress_per_gb,
                      &offer.per_unit.price_per_unit,
                      &offer.per_unit.minimum_charge}) {
    if (*price) {
      **price *= rate.usd_per_unit;
    }
  }
  const std::string conversion = fmt::format("prices converted from {} at {} USD/{} ({}, {})",
                                             rate.currency,
                                             rate.usd_per_unit,
                                             rate.currency,
                                             rate.as_of,
                                             rate.source);
  offer.notes = offer.notes.empty() ? conversion : offer.notes + "; " + conversion;
}

bool has_price(const Offer& offer) {
  return offer.price_per_hour || offer.spot_price_per_hour || offer.monthly_price
         || offer.always_on_price_per_hour;
}

bool has_unit_terms(const UnitPrice& terms) {
  return terms.unit || terms.price_per_unit || terms.minimum_charge || terms.unit_increment
         || terms.max_units_per_call || terms.rate_limit_per_minute;
}

std::optional<MisplacedField> misplaced_offer_field(const Offer& offer, bool has_gpu_count) {
  const UnitPrice& terms = offer.per_unit;
  if (offer.product != Product::api) {
    constexpr std::string_view k_api_only = "applies only to an offer of product \"api\"";
    const std::array<std::pair<std::string_view, bool>, 6> api_fields = {{
        {"unit", terms.unit.has_value()},
        {"price_per_unit", terms.price_per_unit.has_value()},
        {"minimum_charge", terms.minimum_charge.has_value()},
        {"unit_increment", terms.unit_increment.has_value()},
        {"max_units_per_call", terms.max_units_per_call.has_value()},
        {"rate_limit_per_minute", terms.rate_limit_per_minute.has_value()},
    }};
    for (const auto& [field, given] : api_fields) {
      if (given) {
        return MisplacedField{field, k_api_only};
      }
    }
    return std::nullopt;
  }
  if (!terms.unit) {
    return MisplacedField{"unit",
                          "is required for an api offer (audio_minute, character_1k, token_1m, "
                          "image, output_second or call)"};
  }
  if (!terms.price_per_unit) {
    return MisplacedField{"price_per_unit", "is required for an api offer (USD per unit)"};
  }
  constexpr std::string_view k_no_gpu = "an api offer has no GPU: leave the field out (or null)";
  if (!offer.gpu.empty()) {
    return MisplacedField{"gpu", k_no_gpu};
  }
  if (has_gpu_count) {
    return MisplacedField{"gpu_count", k_no_gpu};
  }
  constexpr std::string_view k_hourly =
      "does not apply to an api offer, which is priced per unit (price_per_unit, minimum_charge, "
      "unit_increment)";
  const std::array<std::pair<std::string_view, bool>, 13> gpu_fields = {{
      {"gpu_memory_gb", offer.gpu_memory_gb.has_value()},
      {"vcpus", offer.vcpus.has_value()},
      {"ram_gb", offer.ram_gb.has_value()},
      {"price_per_hour", offer.price_per_hour.has_value()},
      {"spot_price_per_hour", offer.spot_price_per_hour.has_value()},
      {"monthly_price", offer.monthly_price.has_value()},
      {"always_on_price_per_hour", offer.always_on_price_per_hour.has_value()},
      {"billing_granularity_s", offer.billing_granularity_s.has_value()},
      {"billing_minimum_s", offer.billing_minimum_s.has_value()},
      {"cold_start_s", offer.cold_start_s.has_value()},
      {"cold_start_billed", offer.cold_start_billed.has_value()},
      {"idle_timeout_s", offer.idle_timeout_s.has_value()},
      {"interruptions_per_hour", offer.interruptions_per_hour.has_value()},
  }};
  for (const auto& [field, given] : gpu_fields) {
    if (given) {
      return MisplacedField{field, k_hourly};
    }
  }
  return std::nullopt;
}

std::optional<std::vector<Offer>> parse_catalog_fast(std::string_view json_text,
                                                     const std::vector<FxRate>& rates,
                                                     CatalogEnvelope* envelope,
                                                     const ReadProgress& progress,
                                                     const KeepOffer& keep) {
  return CatalogScanner(json_text, rates, envelope, progress, keep).read();
}

} // namespace gpucost
