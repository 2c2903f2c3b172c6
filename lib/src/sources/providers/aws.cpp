#include <gpucost/data/data_set.hpp>
#include <gpucost/data/json_util.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/sources/providers/aws.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <exception>
#include <optional>
#include <set>
#include <thread>

namespace gpucost {

// ---------------------------------------------------------------------------------------------
// Incremental CSV

namespace {

// The bytes that end an unquoted run: separator, line ends and a (stray) quote.
constexpr std::array<bool, 256> make_special() {
  std::array<bool, 256> special{};
  special[static_cast<unsigned char>(',')] = true;
  special[static_cast<unsigned char>('\n')] = true;
  special[static_cast<unsigned char>('\r')] = true;
  special[static_cast<unsigned char>('"')] = true;
  return special;
}
constexpr std::array<bool, 256> k_special = make_special();

} // namespace

CsvStreamParser::CsvStreamParser(RowHandler handler, std::size_t max_row_bytes)
    : m_handler(std::move(handler)), m_max_row_bytes(max_row_bytes) {}

bool CsvStreamParser::fail(std::string message) {
  m_error = fmt::format("record {}: {}", m_rows + 1, message);
  return false;
}

bool CsvStreamParser::append(const char* begin, const char* end) {
  const auto size = static_cast<std::size_t>(end - begin);
  if (size == 0) {
    return true;
  }
  if (m_buffer.size() + size > m_max_row_bytes) {
    return fail(fmt::format("row longer than {} bytes (an unclosed quote?)", m_max_row_bytes));
  }
  m_buffer.append(begin, size);
  return true;
}

bool CsvStreamParser::end_field() {
  m_field_ends.push_back(m_buffer.size());
  return true;
}

bool CsvStreamParser::end_row() {
  end_field();
  // A blank line is one empty, unquoted field: nothing to deliver.
  const bool blank = m_field_ends.size() == 1 && m_buffer.empty() && !m_field_quoted;
  if (!blank) {
    m_views.clear();
    std::size_t start = 0;
    for (const std::size_t end : m_field_ends) {
      m_views.emplace_back(m_buffer.data() + start, end - start);
      start = end;
    }
    ++m_rows;
    if (!m_handler(std::span<const std::string_view>(m_views))) {
      m_stopped = true;
    }
  }
  m_buffer.clear();
  m_field_ends.clear();
  m_field_quoted = false;
  return !m_stopped;
}

bool CsvStreamParser::feed(std::string_view chunk) {
  if (m_stopped || !m_error.empty()) {
    return false;
  }
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  while (p < end) {
    switch (m_state) {
    case State::after_cr:
      // The '\r' already ended the row; swallow the '\n' of a CRLF.
      m_state = State::field_start;
      if (*p == '\n') {
        ++p;
      }
      break;
    case State::field_start:
      if (*p == '"') {
        ++p;
        m_field_quoted = true;
        m_state = State::quoted;
      } else {
        m_state = State::unquoted;
      }
      break;
    case State::unquoted: {
      const char* run_end = p;
      while (run_end < end && !k_special[static_cast<unsigned char>(*run_end)]) {
        ++run_end;
      }
      if (!append(p, run_end)) {
        return false;
      }
      p = run_end;
      if (p == end) {
        break;
      }
      const char c = *p++;
      if (c == ',') {
        end_field();
        m_state = State::field_start;
      } else if (c == '\n' || c == '\r') {
        if (!end_row()) {
          return false;
        }
        m_state = c == '\r' ? State::after_cr : State::field_start;
      } else if (!append(p - 1, p)) { // a quote inside an unquoted field is kept as text
        return false;
      }
      break;
    }
    case State::quoted: {
      const void* quote = std::memchr(p, '"', static_cast<std::size_t>(end - p));
      const char* run_end = quote == nullptr ? end : static_cast<const char*>(quote);
      if (!append(p, run_end)) {
        return false;
      }
      p = run_end;
      if (p < end) {
        ++p;
        m_state = State::quote_in_quoted;
      }
      break;
    }
    case State::quote_in_quoted: {
      const char c = *p++;
      if (c == '"') {
        if (!append(p - 1, p)) { // "" is one literal quote
          return false;
        }
        m_state = State::quoted;
      } else if (c == ',') {
        end_field();
        m_state = State::field_start;
      } else if (c == '\n' || c == '\r') {
        if (!end_row()) {
          return false;
        }
        m_state = c == '\r' ? State::after_cr : State::field_start;
      } else {
        return fail(fmt::format("unexpected '{}' after a closing quote", c));
      }
      break;
    }
    }
  }
  return true;
}

bool CsvStreamParser::finish() {
  if (m_stopped || !m_error.empty()) {
    return false;
  }
  switch (m_state) {
  case State::quoted:
    return fail("quoted field not closed at the end of the input");
  case State::quote_in_quoted:
  case State::unquoted:
    m_state = State::field_start;
    return end_row();
  case State::field_start:
    // After a separator there is one more (empty) field; at a row start there is nothing.
    if (!m_field_ends.empty()) {
      return end_row();
    }
    return true;
  case State::after_cr:
    m_state = State::field_start;
    return true;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Static tables

namespace {

constexpr std::string_view k_provider = "aws";
constexpr std::string_view k_default_base_url = "https://pricing.us-east-1.amazonaws.com";
constexpr std::string_view k_types_file = "providers/aws-instance-types.json";
constexpr std::string_view k_regions_file = "providers/aws-regions.json";

std::string data_path(const std::string& data_dir, std::string_view file) {
  const std::string dir = data_dir.empty() ? std::string(GPUCOST_INSTALL_DATADIR) : data_dir;
  return dir + "/" + std::string(file);
}

// A number at the start of a CSV field ("0.5260000000", "16 GiB", "1,152 GiB"); nullopt for
// "", "NA" and other text.
std::optional<double> leading_number(std::string_view text) {
  text = trim(text);
  std::string digits;
  for (const char c : text) {
    if ((c >= '0' && c <= '9') || c == '.') {
      digits += c;
    } else if (c != ',') {
      break;
    }
  }
  if (digits.empty()) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

bool valid_region(std::string_view region) {
  return !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

} // namespace

Expected<AwsInstanceTable> parse_aws_instance_table(std::string_view json_text,
                                                    const std::string& origin) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_document(json_text, origin));
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/aws-instance-types", 1));
  GPUCOST_TRY(root.check_keys(
      {"schema", "schemaVersion", "description", "source", "as_of", "families", "ignore"}));
  AwsInstanceTable table;
  GPUCOST_TRY(root.string_field("source", table.source, Presence::required));
  std::string as_of;
  GPUCOST_TRY(root.string_field("as_of", as_of, Presence::required));
  GPUCOST_TRY_ASSIGN(auto families, root.array("families"));
  for (const auto& family : families) {
    GPUCOST_TRY(family.check_keys({"family", "source", "gpu", "gpu_memory_gb", "sizes"}));
    std::string source;
    GPUCOST_TRY(family.string_field("source", source, Presence::required));
    std::vector<std::string> gpu;
    GPUCOST_TRY(family.string_list_field("gpu", gpu));
    if (gpu.empty()) {
      return Unexpected{family.error("gpu", "must list at least one GPU name")};
    }
    std::optional<double> gpu_memory_gb;
    GPUCOST_TRY(
        family.number_field("gpu_memory_gb", gpu_memory_gb, {.minimum = 0, .exclusive = true}));
    GPUCOST_TRY_ASSIGN(auto sizes, family.array("sizes"));
    for (const auto& size : sizes) {
      GPUCOST_TRY(size.check_keys({"name", "vcpus", "ram_gb", "gpu_count"}));
      AwsInstanceType type;
      type.gpu = gpu;
      type.gpu_memory_gb = gpu_memory_gb;
      type.source = source;
      GPUCOST_TRY(size.string_field("name", type.name, Presence::required));
      std::optional<double> vcpus;
      std::optional<double> ram_gb;
      std::optional<int> gpu_count;
      GPUCOST_TRY(size.number_field("vcpus", vcpus, {.minimum = 0, .exclusive = true}));
      GPUCOST_TRY(size.number_field("ram_gb", ram_gb, {.minimum = 0, .exclusive = true}));
      GPUCOST_TRY(size.int_field("gpu_count", gpu_count, 1));
      if (!vcpus || !ram_gb || !gpu_count) {
        return Unexpected{size.error(!vcpus    ? "vcpus"
                                     : !ram_gb ? "ram_gb"
                                               : "gpu_count",
                                     "is required")};
      }
      type.vcpus = *vcpus;
      type.ram_gb = *ram_gb;
      type.gpu_count = *gpu_count;
      if (table.types.count(type.name) != 0) {
        return Unexpected{size.error("name", fmt::format("\"{}\" is listed twice", type.name))};
      }
      table.types.emplace(type.name, std::move(type));
    }
  }
  if (root.node().contains("ignore")) {
    GPUCOST_TRY_ASSIGN(auto ignored, root.array("ignore"));
    for (const auto& entry : ignored) {
      GPUCOST_TRY(entry.check_keys({"prefix", "reason"}));
      std::string prefix;
      std::string reason;
      GPUCOST_TRY(entry.string_field("prefix", prefix, Presence::required));
      GPUCOST_TRY(entry.string_field("reason", reason, Presence::required));
      table.ignored_prefixes.push_back(std::move(prefix));
    }
  }
  return table;
}

Expected<AwsInstanceTable> load_aws_instance_table(const std::string& data_dir) {
  const std::string path = data_path(data_dir, k_types_file);
  GPUCOST_TRY_ASSIGN(auto text, read_text_file(path));
  return parse_aws_instance_table(text, path);
}

Expected<std::vector<std::string>> load_aws_regions(const std::string& data_dir) {
  const std::string path = data_path(data_dir, k_regions_file);
  GPUCOST_TRY_ASSIGN(auto text, read_text_file(path));
  GPUCOST_TRY_ASSIGN(auto document, parse_json_document(text, path));
  const JsonReader root(document, text, path);
  GPUCOST_TRY(root.expect_schema("gpucost/aws-regions", 1));
  std::vector<std::string> regions;
  GPUCOST_TRY(root.string_list_field("regions", regions));
  for (const auto& region : regions) {
    if (!valid_region(region)) {
      return Unexpected{root.error("regions", fmt::format("\"{}\" is not a region code", region))};
    }
  }
  if (regions.empty()) {
    return Unexpected{root.error("regions", "must list at least one region")};
  }
  return regions;
}

// ---------------------------------------------------------------------------------------------
// Bulk price list CSV

std::string aws_offer_csv_url(std::string_view base_url, std::string_view region) {
  return join_url(base_url.empty() ? k_default_base_url : base_url,
                  fmt::format("/offers/v1.0/aws/AmazonEC2/current/{}/index.csv", region));
}

AwsOfferCsvReader::AwsOfferCsvReader(const AwsInstanceTable& table, ParseContext context)
    : m_table(table), m_context(std::move(context)),
      m_parser([this](std::span<const std::string_view> fields) { return on_row(fields); }) {}

bool AwsOfferCsvReader::on_header(std::span<const std::string_view> fields) {
  auto find = [&](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (trim(fields[i]) == name) {
        return i;
      }
    }
    return std::nullopt;
  };
  // The preamble rows (FormatVersion, Disclaimer, ...) hold two fields; the header is the first
  // row naming the price columns.
  if (!find("TermType") || !find("PricePerUnit") || !find("Instance Type")) {
    return true;
  }
  std::vector<std::string_view> missing;
  auto need = [&](std::string_view name) {
    const auto index = find(name);
    if (!index) {
      missing.push_back(name);
    }
    return index.value_or(0);
  };
  Columns columns{};
  columns.term_type = need("TermType");
  columns.unit = need("Unit");
  columns.price = need("PricePerUnit");
  columns.currency = need("Currency");
  columns.product_family = need("Product Family");
  columns.instance_type = need("Instance Type");
  columns.tenancy = need("Tenancy");
  columns.operating_system = need("Operating System");
  columns.capacity_status = need("CapacityStatus");
  columns.pre_installed_sw = need("Pre Installed S/W");
  columns.region_code = need("Region Code");
  columns.market_option = find("MarketOption");
  columns.location_type = find("Location Type");
  columns.gpu = find("GPU");
  columns.vcpu = find("vCPU");
  columns.memory = find("Memory");
  if (!missing.empty()) {
    m_error = unexpected_response(k_provider,
                                  m_context.source_url,
                                  fmt::format("the price list header lacks the column(s) \"{}\"",
                                              fmt::join(missing, "\", \"")));
    return false;
  }
  m_columns = columns;
  m_header_size = fields.size();
  return true;
}

bool AwsOfferCsvReader::on_row(std::span<const std::string_view> fields) {
  if (!m_columns) {
    return on_header(fields);
  }
  if (fields.size() < m_header_size) {
    ++m_short_rows;
    return true;
  }
  const Columns& c = *m_columns;
  // Cheapest and most selective tests first: most of a regional file is Reserved terms, other
  // operating systems and non-GPU instance types.
  if (fields[c.term_type] != "OnDemand" || fields[c.operating_system] != "Linux"
      || fields[c.tenancy] != "Shared" || fields[c.capacity_status] != "Used"
      || fields[c.unit] != "Hrs" || fields[c.currency] != "USD"
      || fields[c.product_family] != "Compute Instance") {
    return true;
  }
  if (const auto sw = fields[c.pre_installed_sw]; !sw.empty() && sw != "NA") {
    return true;
  }
  // Reserved rows also say MarketOption "OnDemand" (TermType tells them apart); Capacity Block
  // and other markets have their own value.
  if (c.market_option && !fields[*c.market_option].empty()
      && fields[*c.market_option] != "OnDemand") {
    return true;
  }
  if (c.location_type && !fields[*c.location_type].empty()
      && fields[*c.location_type] != "AWS Region") {
    return true; // Local Zones, Wavelength Zones, Outposts
  }
  // The GPU column counts accelerators of any kind (Trainium too); -1 when the file has none.
  double listed_gpus = -1;
  if (c.gpu) {
    listed_gpus = leading_number(fields[*c.gpu]).value_or(0);
    if (!(listed_gpus > 0)) {
      return true;
    }
  }
  const std::string type(trim(fields[c.instance_type]));
  const auto entry = m_table.types.find(type);
  if (entry == m_table.types.end()) {
    const bool ignored =
        std::any_of(m_table.ignored_prefixes.begin(),
                    m_table.ignored_prefixes.end(),
                    [&](const std::string& prefix) { return type.rfind(prefix, 0) == 0; });
    if (!ignored && !type.empty()) {
      add_warning(
          m_warnings,
          fmt::format("{}: GPU instance type \"{}\" is not in "
                      "data/providers/aws-instance-types.json; skipped (add its GPU model there)",
                      k_provider,
                      type));
    }
    return true;
  }
  const auto price = leading_number(fields[c.price]);
  const std::string region(trim(fields[c.region_code]));
  if (!price || *price <= 0 || region.empty()) {
    return true; // zero means "not offered", never free
  }
  const AwsInstanceType& known = entry->second;
  if (listed_gpus > 0 && std::lround(listed_gpus) != known.gpu_count) {
    add_warning(
        m_warnings,
        fmt::format("{}: the price list gives {} {} GPU(s), data/providers/aws-instance-types.json "
                    "{}; the table is used",
                    k_provider,
                    type,
                    listed_gpus,
                    known.gpu_count));
  }
  const auto key = std::make_pair(type, region);
  if (const auto it = m_offers.find(key); it != m_offers.end()) {
    if (*price < *it->second.price_per_hour) {
      it->second.price_per_hour = *price;
    }
    return true;
  }
  Offer offer;
  offer.provider = std::string(k_provider);
  offer.product = Product::vm;
  offer.name = type;
  const auto gpu = resolve_gpu(k_provider, known.gpu, m_context, m_warnings, known.gpu_memory_gb);
  offer.gpu = gpu.name;
  offer.gpu_count = known.gpu_count;
  offer.gpu_memory_gb = known.gpu_memory_gb;
  offer.vcpus = (c.vcpu ? leading_number(fields[*c.vcpu]) : std::nullopt).value_or(known.vcpus);
  offer.ram_gb =
      (c.memory ? leading_number(fields[*c.memory]) : std::nullopt).value_or(known.ram_gb);
  offer.region = region;
  offer.price_per_hour = *price;
  offer.source = m_context.source_url;
  offer.fetched_at = m_context.now;
  m_offers.emplace(key, std::move(offer));
  return true;
}

bool AwsOfferCsvReader::feed(std::string_view chunk) {
  return m_error.empty() && m_parser.feed(chunk);
}

Expected<FetchResult> AwsOfferCsvReader::finish() {
  if (m_error.empty()) {
    m_parser.finish();
  }
  if (!m_error.empty()) {
    return make_error(m_error);
  }
  if (!m_parser.error().empty()) {
    return make_error(unexpected_response(
        k_provider, m_context.source_url, fmt::format("malformed CSV: {}", m_parser.error())));
  }
  if (!m_columns) {
    return make_error(
        unexpected_response(k_provider,
                            m_context.source_url,
                            "no header row naming TermType, PricePerUnit and Instance "
                            "Type (is it an EC2 price list?)"));
  }
  FetchResult result;
  result.source_url = m_context.source_url;
  for (auto& [key, offer] : m_offers) {
    result.offers.push_back(std::move(offer));
  }
  m_offers.clear();
  result.warnings = m_warnings;
  if (m_short_rows > 0) {
    result.warnings.push_back(
        fmt::format("{}: {} row(s) of {} had fewer fields than the header; skipped",
                    k_provider,
                    m_short_rows,
                    m_context.source_url));
  }
  return result;
}

Expected<FetchResult> parse_aws_offer_csv(std::string_view csv,
                                          const AwsInstanceTable& table,
                                          const ParseContext& context,
                                          std::size_t chunk_bytes) {
  AwsOfferCsvReader reader(table, context);
  const std::size_t step = chunk_bytes == 0 ? std::max<std::size_t>(csv.size(), 1) : chunk_bytes;
  for (std::size_t at = 0; at < csv.size(); at += step) {
    if (!reader.feed(csv.substr(at, step))) {
      break;
    }
  }
  return reader.finish();
}

// ---------------------------------------------------------------------------------------------
// Spot Instance Advisor

namespace {

// Percent figures of a band label: "<5%" -> (0, 5), "5-10%" -> (5, 10), ">20%" -> (20, none).
std::optional<std::pair<double, std::optional<double>>> label_edges(std::string_view label) {
  label = trim(label);
  if (!label.empty() && label.back() == '%') {
    label.remove_suffix(1);
  }
  if (label.empty()) {
    return std::nullopt;
  }
  if (label.front() == '<') {
    const auto high = leading_number(label.substr(1));
    return high ? std::optional(std::make_pair(0.0, high)) : std::nullopt;
  }
  if (label.front() == '>') {
    const auto low = leading_number(label.substr(1));
    return low ? std::optional(std::make_pair(*low, std::optional<double>())) : std::nullopt;
  }
  const auto dash = label.find('-');
  if (dash == std::string_view::npos) {
    return std::nullopt;
  }
  const auto low = leading_number(label.substr(0, dash));
  const auto high = leading_number(label.substr(dash + 1));
  if (!low || !high) {
    return std::nullopt;
  }
  return std::make_pair(*low, high);
}

} // namespace

Expected<AwsSpotAdvisor> parse_aws_spot_advisor(std::string_view json, std::string_view source) {
  GPUCOST_TRY_ASSIGN(auto document, parse_json_body(k_provider, json, source));
  const auto* ranges = find_field(document, "ranges");
  const auto* advisor = find_field(document, "spot_advisor");
  if (ranges == nullptr || !ranges->is_array()) {
    return make_error(unexpected_response(k_provider, source, "missing array \"ranges\""));
  }
  if (advisor == nullptr || !advisor->is_object()) {
    return make_error(unexpected_response(k_provider, source, "missing object \"spot_advisor\""));
  }
  AwsSpotAdvisor result;
  std::vector<std::pair<int, AwsSpotBand>> bands;
  for (const auto& range : *ranges) {
    const auto index = number_field(range, "index");
    const auto max = number_field(range, "max");
    if (!index || *index < 0 || *index > 100) {
      continue;
    }
    AwsSpotBand band;
    band.label = string_field(range, "label").value_or("");
    bands.emplace_back(static_cast<int>(*index), band);
    if (const auto edges = label_edges(band.label)) {
      bands.back().second.low_percent = edges->first;
      bands.back().second.high_percent = edges->second.value_or(max.value_or(edges->first));
    } else {
      bands.back().second.high_percent = max.value_or(0);
      bands.back().second.low_percent = -1; // filled from the band below, once sorted
    }
  }
  std::sort(
      bands.begin(), bands.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < bands.size(); ++i) {
    auto& band = bands[i].second;
    if (band.low_percent < 0) {
      band.low_percent = i == 0 ? 0 : bands[i - 1].second.high_percent;
    }
    result.bands.resize(static_cast<std::size_t>(bands[i].first) + 1);
    result.bands[static_cast<std::size_t>(bands[i].first)] = band;
  }
  for (const auto& [region, systems] : advisor->items()) {
    const auto* linux_types = find_field(systems, "Linux");
    if (linux_types == nullptr || !linux_types->is_object()) {
      continue;
    }
    for (const auto& [type, figures] : linux_types->items()) {
      const auto savings = number_field(figures, "s");
      const auto band = number_field(figures, "r");
      if (!savings || !band || *band < 0 || *band > 100) {
        continue;
      }
      result.advice.emplace(std::make_pair(region, type),
                            AwsSpotAdvice{*savings, static_cast<int>(*band)});
    }
  }
  return result;
}

std::optional<double> aws_interruptions_per_hour(const AwsSpotAdvisor& advisor, int band) {
  if (band < 0 || static_cast<std::size_t>(band) >= advisor.bands.size()) {
    return std::nullopt;
  }
  const auto& edges = advisor.bands[static_cast<std::size_t>(band)];
  if (edges.label.empty() && edges.high_percent <= 0) {
    return std::nullopt; // a hole in the ranges
  }
  const double monthly_fraction = (edges.low_percent + edges.high_percent) / 2 / 100;
  return monthly_fraction / k_hours_per_month;
}

void apply_aws_spot_advice(std::vector<Offer>& offers, const AwsSpotAdvisor& advisor) {
  for (auto& offer : offers) {
    const auto it = advisor.advice.find(std::make_pair(offer.region, offer.name));
    if (it == advisor.advice.end() || !offer.price_per_hour) {
      continue;
    }
    const auto& advice = it->second;
    if (!(advice.savings_percent > 0 && advice.savings_percent < 100)) {
      continue;
    }
    offer.spot_price_per_hour = *offer.price_per_hour * (1 - advice.savings_percent / 100);
    offer.interruptions_per_hour = aws_interruptions_per_hour(advisor, advice.band);
    std::string note = fmt::format("spot price estimated from the AWS Spot Advisor's average "
                                   "saving of {}% (not a live spot price)",
                                   advice.savings_percent);
    if (offer.interruptions_per_hour) {
      const auto& band = advisor.bands[static_cast<std::size_t>(advice.band)];
      note += fmt::format("; interruption frequency {} a month, taken as {}%",
                          band.label,
                          (band.low_percent + band.high_percent) / 2);
    }
    offer.notes = offer.notes.empty() ? note : offer.notes + "; " + note;
  }
}

// ---------------------------------------------------------------------------------------------
// Provider

namespace {

class AwsProvider final : public Provider {
public:
  std::string_view id() const override { return k_provider; }
  std::string_view api_key_env() const override { return {}; }
  bool key_required() const override { return false; }
  std::string_view default_base_url() const override { return k_default_base_url; }

  Expected<FetchResult> fetch(HttpClient& http, const FetchOptions& options) const override {
    auto table = load_aws_instance_table(options.data_dir);
    if (!table) {
      return make_error(fmt::format("{}: {}", k_provider, table.error().message));
    }
    std::vector<std::string> regions = options.regions;
    if (regions.empty()) {
      auto defaults = load_aws_regions(options.data_dir);
      if (!defaults) {
        return make_error(fmt::format("{}: {}", k_provider, defaults.error().message));
      }
      regions = std::move(*defaults);
    }
    const std::string base =
        options.base_url.empty() ? std::string(k_default_base_url) : options.base_url;
    const HttpCallInfo call{k_provider, {}};
    FetchResult result;
    result.source_url = aws_offer_csv_url(base, regions.front());
    for (const auto& region : regions) {
      if (!valid_region(region)) {
        return make_error(
            fmt::format("{}: \"{}\" is not a region code (e.g. us-east-1)", k_provider, region));
      }
    }
    // The regions' price lists are fetched at once, each on a thread of its own, within the
    // client's one deadline; their results are then taken in the order given.
    std::vector<Expected<FetchResult>> fetched(regions.size(), make_error(""));
    {
      std::vector<std::jthread> threads;
      threads.reserve(regions.size());
      for (std::size_t i = 0; i < regions.size(); ++i) {
        threads.emplace_back([&, i] {
          try {
            fetched[i] = fetch_region(http, options, *table, base, regions[i], call);
          } catch (const std::exception& e) {
            fetched[i] = make_error(
                fmt::format("{}: region {}: internal error: {}", k_provider, regions[i], e.what()));
          }
        });
      }
    }
    std::optional<std::string> first_failure;
    std::size_t failures = 0;
    for (std::size_t i = 0; i < regions.size(); ++i) {
      const std::string& region = regions[i];
      auto& region_result = fetched[i];
      if (!region_result) {
        ++failures;
        result.missing_regions.push_back(region);
        if (!first_failure) {
          first_failure = region_result.error().message;
        }
        result.warnings.push_back(
            fmt::format("{}; region {} skipped", region_result.error().message, region));
        continue;
      }
      std::move(region_result->offers.begin(),
                region_result->offers.end(),
                std::back_inserter(result.offers));
      for (auto& warning : region_result->warnings) {
        add_warning(result.warnings, std::move(warning));
      }
    }
    if (failures == regions.size()) {
      return make_error(*first_failure);
    }
    std::stable_sort(
        result.offers.begin(), result.offers.end(), [](const Offer& a, const Offer& b) {
          return std::tie(a.name, a.region) < std::tie(b.name, b.region);
        });

    HttpRequest spot_request;
    spot_request.url = options.base_url.empty()
                           ? std::string(k_aws_spot_advisor_url)
                           : join_url(options.base_url, "/spot-advisor-data.json");
    auto spot_body = send_for_body(http, call, spot_request);
    if (!spot_body) {
      result.warnings.push_back(spot_body.error().message + "; spot prices left unknown");
      return result;
    }
    auto advisor = parse_aws_spot_advisor(*spot_body, spot_request.url);
    if (!advisor) {
      result.warnings.push_back(advisor.error().message + "; spot prices left unknown");
      return result;
    }
    apply_aws_spot_advice(result.offers, *advisor);
    return result;
  }

private:
  static Expected<FetchResult> fetch_region(HttpClient& http,
                                            const FetchOptions& options,
                                            const AwsInstanceTable& table,
                                            const std::string& base,
                                            const std::string& region,
                                            const HttpCallInfo& call) {
    HttpRequest request;
    request.url = aws_offer_csv_url(base, region);
    AwsOfferCsvReader reader(table, make_parse_context(options, request.url));
    bool reader_failed = false;
    auto response = http.send_streaming(request, [&](std::string_view chunk) {
      if (!reader.feed(chunk)) {
        reader_failed = true;
        return false; // no point downloading the rest of a file that cannot be read
      }
      return true;
    });
    if (reader_failed) {
      auto parsed = reader.finish();
      if (!parsed) {
        return parsed;
      }
    }
    if (!response) {
      // CurlClient's messages already start with "<METHOD> <url>: "; don't say it twice.
      const std::string& what = response.error().message;
      if (what.find(request.url) != std::string::npos) {
        return make_error(fmt::format("{}: {}", k_provider, what));
      }
      return make_error(
          fmt::format("{}: {} {} failed: {}", k_provider, request.method, request.url, what));
    }
    if (auto failure = http_failure(call, request, *response)) {
      return make_error(std::move(*failure));
    }
    return reader.finish();
  }
};

} // namespace

std::unique_ptr<Provider> make_aws_provider() {
  return std::make_unique<AwsProvider>();
}

} // namespace gpucost
