#include <gpucost/render/render_util.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

namespace gpucost::render {

namespace {

// Significant digits every money column shows, so 0.0030833 reads "0.00308", never "0.00".
constexpr int k_money_significant = 3;

using CodeRange = std::pair<char32_t, char32_t>;

// Combining marks, zero-width characters and variation selectors: they take no column.
constexpr std::array<CodeRange, 16> k_zero_width = {{
    {0x0300, 0x036F},
    {0x0483, 0x0489},
    {0x0591, 0x05BD},
    {0x0610, 0x061A},
    {0x064B, 0x065F},
    {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF},
    {0x200B, 0x200F},
    {0x202A, 0x202E},
    {0x2060, 0x2064},
    {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF},
    {0x1F3FB, 0x1F3FF},
    {0xE0100, 0xE01EF},
}};

// East Asian wide and fullwidth blocks and the emoji blocks (the bulk of UAX #11 "W"/"F").
constexpr std::array<CodeRange, 19> k_double_width = {{
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF},
    {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
}};

template<std::size_t N> bool in_ranges(char32_t code, const std::array<CodeRange, N>& ranges) {
  return std::any_of(ranges.begin(), ranges.end(), [code](const CodeRange& range) {
    return code >= range.first && code <= range.second;
  });
}

// One code point read from UTF-8; an invalid byte reads as itself with length 1.
struct CodePoint {
  char32_t code = 0;
  std::size_t length = 1;
  bool valid = true;
};

CodePoint decode_utf8(std::string_view text, std::size_t pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    return {lead, 1, true};
  }
  std::size_t length = 0;
  char32_t code = 0;
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2;
    code = lead & 0x1FU;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3;
    code = lead & 0x0FU;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4;
    code = lead & 0x07U;
  } else {
    return {lead, 1, false};
  }
  if (pos + length > text.size()) {
    return {lead, 1, false};
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0U) != 0x80U) {
      return {lead, 1, false};
    }
    code = (code << 6U) | (next & 0x3FU);
  }
  return {code, length, true};
}

std::size_t code_point_width(const CodePoint& point) {
  if (!point.valid) {
    return 1;
  }
  if (point.code < 0x7F) { // ASCII: printable or a control character, no table needed
    return point.code < 0x20 ? 0 : 1;
  }
  if (point.code < 0xA0) {
    return 0;
  }
  if (in_ranges(point.code, k_zero_width)) {
    return 0;
  }
  return in_ranges(point.code, k_double_width) ? 2 : 1;
}

std::string plural(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string source_age(std::string_view fetched_at, std::string_view generated_at) {
  const auto fetched = parse_iso8601(fetched_at);
  const auto generated = parse_iso8601(generated_at);
  if (!fetched || !generated) {
    return {};
  }
  return format_duration(static_cast<double>(*generated - *fetched), DurationStyle::compact)
         + " old";
}

template<typename CellOf>
std::vector<std::string> cells_of(const std::vector<RankedOption>& options, CellOf cell_of) {
  std::vector<std::string> cells;
  cells.reserve(options.size());
  for (const auto& option : options) {
    cells.push_back(cell_of(option));
  }
  return cells;
}

std::string text_or_unknown(const std::string& text) {
  return text.empty() ? std::string(k_unknown) : text;
}

// Cells of a money column: one number of decimals for the whole column so the points line up.
std::vector<std::string> money_cells(const std::vector<std::optional<double>>& values,
                                     int max_decimals) {
  const int decimals = decimals_for_significant(values, k_money_significant, 2, max_decimals);
  std::vector<std::string> cells;
  cells.reserve(values.size());
  for (const auto& value : values) {
    cells.push_back(value ? format_fixed(*value, decimals) : std::string(k_unknown));
  }
  return cells;
}

template<typename ValueOf>
std::vector<std::optional<double>> values_of(const std::vector<RankedOption>& options,
                                             ValueOf value_of) {
  std::vector<std::optional<double>> values;
  values.reserve(options.size());
  for (const auto& option : options) {
    values.emplace_back(value_of(option));
  }
  return values;
}

// The cold start a job on this row may wait for, as the model resolved it: always-on workers
// never start cold, and the workload's override beats the offer's figure.
std::optional<double> cold_start_s(const RankedOption& option, const Workload& workload) {
  if (option.offer.product == Product::api) {
    return std::nullopt; // none is known, and none is invented
  }
  if (option.estimate.mode == Mode::always_on) {
    return 0.0;
  }
  return workload.cold_start_s ? workload.cold_start_s
                               : std::optional<double>(option.offer.cold_start_s);
}

std::string note_marker(const std::vector<std::size_t>& numbers) {
  if (numbers.empty()) {
    return {};
  }
  std::vector<std::string> parts;
  parts.reserve(numbers.size());
  for (const auto number : numbers) {
    parts.push_back(std::to_string(number));
  }
  return "[" + join(parts, ",") + "]";
}

bool all_unknown(const Column& column) {
  return std::all_of(column.cells.begin(), column.cells.end(), [](const std::string& cell) {
    return cell.empty() || cell == k_unknown;
  });
}

Column
make_column(std::string header, Align align, int drop_order, std::vector<std::string> cells) {
  return Column{.header = std::move(header),
                .align = align,
                .drop_order = drop_order,
                .optional = false,
                .cells = std::move(cells)};
}

// `column`, marked to be left out when nothing in it is known.
Column when_known(Column column) {
  column.optional = true;
  return column;
}

// The mode as a table shows it: "per-job", or "per-job spot" on a spot row.
std::string mode_cell(const RankedOption& option) {
  std::string mode(to_string(option.estimate.mode));
  return option.estimate.pricing == Pricing::spot ? mode + " spot" : mode;
}

std::string margin_cell(const RankedOption& option) {
  const auto& margin = option.estimate.margin;
  return margin ? format_fixed(*margin * 100, 1) + "%" : std::string(k_unknown);
}

std::string price_age_cell(const RankedOption& option) {
  return option.price_age_s ? format_duration(*option.price_age_s, DurationStyle::compact)
                            : std::string(k_unknown);
}

// The columns every result has, left to right; drop_order says which go first on a narrow screen.
std::vector<Column> all_columns(const CompareResult& result, const NoteIndex& notes) {
  const auto& options = result.options;
  const auto& workload = result.workload;
  const auto rank = [](const RankedOption& o) { return std::to_string(o.rank); };
  const auto provider = [](const RankedOption& o) { return text_or_unknown(o.offer.provider); };
  const auto product = [](const RankedOption& o) {
    return std::string(to_string(o.offer.product));
  };
  const auto instance = [](const RankedOption& o) { return text_or_unknown(o.offer.name); };
  const auto is_api = [](const RankedOption& o) { return o.offer.product == Product::api; };
  const auto gpu = [&](const RankedOption& o) {
    return is_api(o) ? std::string("api") : fmt::format("{} x{}", o.offer.gpu, o.offer.gpu_count);
  };
  const auto unit_price = [&](const RankedOption& o) {
    return is_api(o) ? format_unit_price(o.offer.per_unit) : std::string(k_unknown);
  };
  const auto region = [](const RankedOption& o) { return text_or_unknown(o.offer.region); };
  const auto job_time = [&](const RankedOption& o) {
    return is_api(o) ? std::string(k_unknown)
                     : format_duration(o.estimate.job_seconds, DurationStyle::clock);
  };
  const auto cold_start = [&workload](const RankedOption& o) {
    const auto seconds = cold_start_s(o, workload);
    return seconds ? format_duration(*seconds, DurationStyle::clock) : std::string(k_unknown);
  };
  const auto usd_per_hour = [&](const RankedOption& o) {
    return is_api(o) ? std::optional<double>() : std::optional<double>(o.usd_per_hour);
  };
  const auto cost_per_job = [](const RankedOption& o) { return o.estimate.cost_per_job; };
  const auto monthly_cost = [](const RankedOption& o) { return o.estimate.monthly_cost; };
  std::vector<std::string> markers;
  for (const auto& numbers : notes.row_numbers) {
    markers.push_back(note_marker(numbers));
  }

  std::vector<Column> columns;
  columns.push_back(make_column("#", Align::right, 0, cells_of(options, rank)));
  columns.push_back(make_column("provider", Align::left, 0, cells_of(options, provider)));
  columns.push_back(make_column("product", Align::left, 5, cells_of(options, product)));
  columns.push_back(make_column("mode", Align::left, 0, cells_of(options, mode_cell)));
  columns.push_back(
      when_known(make_column("instance", Align::left, 1, cells_of(options, instance))));
  columns.push_back(make_column("gpu", Align::left, 0, cells_of(options, gpu)));
  columns.push_back(when_known(make_column("region", Align::left, 2, cells_of(options, region))));
  columns.push_back(
      make_column("$/hour", Align::right, 7, money_cells(values_of(options, usd_per_hour), 4)));
  columns.push_back(
      when_known(make_column("$/unit", Align::right, 10, cells_of(options, unit_price))));
  columns.push_back(make_column("job time", Align::right, 6, cells_of(options, job_time)));
  columns.push_back(make_column("cold start", Align::right, 3, cells_of(options, cold_start)));
  columns.push_back(
      make_column("$/job", Align::right, 0, money_cells(values_of(options, cost_per_job), 8)));
  columns.push_back(when_known(
      make_column("$/month", Align::right, 9, money_cells(values_of(options, monthly_cost), 4))));
  columns.push_back(
      when_known(make_column("margin", Align::right, 8, cells_of(options, margin_cell))));
  columns.push_back(
      when_known(make_column("price age", Align::right, 4, cells_of(options, price_age_cell))));
  columns.push_back(when_known(make_column("notes", Align::left, 0, std::move(markers))));
  for (auto& column : columns) {
    for (auto& cell : column.cells) {
      cell = printable(cell);
    }
  }
  return columns;
}

} // namespace

std::string format_shortest(double value) {
  if (!std::isfinite(value)) {
    return {};
  }
  return fmt::format("{}", value);
}

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) {
    return std::string(k_unknown);
  }
  std::string text = fmt::format("{:.{}f}", value, decimals);
  const bool is_zero = text.find_first_not_of("-0.") == std::string::npos;
  if (is_zero && text.front() == '-') {
    text.erase(0, 1);
  }
  return text;
}

int decimals_for_significant(const std::vector<std::optional<double>>& values,
                             int significant,
                             int min_decimals,
                             int max_decimals) {
  double smallest = std::numeric_limits<double>::infinity();
  for (const auto& value : values) {
    if (value && std::isfinite(*value) && *value != 0) {
      smallest = std::min(smallest, std::abs(*value));
    }
  }
  if (!std::isfinite(smallest)) {
    return min_decimals;
  }
  const double wanted = significant - 1 - std::floor(std::log10(smallest));
  return static_cast<int>(
      std::clamp(wanted, static_cast<double>(min_decimals), static_cast<double>(max_decimals)));
}

std::string format_quantity(double value) {
  std::string text = format_shortest(value);
  return text.empty() ? std::string(k_unknown) : text;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t pos = 0;
  // Printable ASCII is one column a byte: counted without decoding.
  while (pos < text.size() && text[pos] >= 0x20 && text[pos] < 0x7F) {
    ++pos;
  }
  width = pos;
  while (pos < text.size()) {
    const CodePoint point = decode_utf8(text, pos);
    width += code_point_width(point);
    pos += point.length;
  }
  return width;
}

bool all_narrow(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const CodePoint point = decode_utf8(text, pos);
    if (code_point_width(point) > 1) {
      return false;
    }
    pos += point.length;
  }
  return true;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const CodePoint point = decode_utf8(text, pos);
    const bool control =
        point.valid && (point.code < 0x20 || (point.code >= 0x7F && point.code < 0xA0));
    if (control) {
      out += ' ';
    } else {
      out.append(text.substr(pos, point.length));
    }
    pos += point.length;
  }
  return out;
}

std::string truncate_to_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) {
    return std::string(text);
  }
  if (width == 0) {
    return {};
  }
  std::string kept;
  std::size_t used = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const CodePoint point = decode_utf8(text, pos);
    const std::size_t point_width = code_point_width(point);
    if (used + point_width > width - 1) {
      break;
    }
    kept.append(text.substr(pos, point.length));
    used += point_width;
    pos += point.length;
  }
  return kept + "~";
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) {
      joined += separator;
    }
    joined += parts[i];
  }
  return joined;
}

std::string describe_job_time_basis(const std::vector<RankedOption>& options) {
  std::vector<std::pair<std::string, std::size_t>> parts; // in order of first appearance
  for (const auto& option : options) {
    if (option.job_seconds_basis.empty()) {
      continue; // a row built without a job time basis (tests, other callers)
    }
    const std::string part =
        fmt::format("{} ({})", option.job_seconds_basis, option.job_seconds_source);
    const auto it = std::find_if(
        parts.begin(), parts.end(), [&](const auto& seen) { return seen.first == part; });
    if (it == parts.end()) {
      parts.emplace_back(part, 1);
    } else {
      ++it->second;
    }
  }
  if (parts.empty()) {
    return {};
  }
  std::vector<std::string> texts;
  for (const auto& [part, count] : parts) {
    texts.push_back(fmt::format("{}: {}", part, plural(count, "row")));
  }
  return "Job time: " + join(texts, "; ") + ".";
}

std::string format_unit_price(const UnitPrice& terms) {
  if (!terms.unit || !terms.price_per_unit) {
    return {};
  }
  return fmt::format("${}/{}", format_shortest(*terms.price_per_unit), to_string(*terms.unit));
}

std::string describe_workload(const Workload& workload) {
  std::string title = workload.name.empty() ? std::string("Cost per job")
                                            : fmt::format("Cost per job for \"{}\"", workload.name);
  std::vector<std::string> details;
  if (workload.job_seconds) {
    details.push_back(
        workload.ref_gpu.empty()
            ? fmt::format("{} s per job", format_quantity(*workload.job_seconds))
            : fmt::format("{} s on {}", format_quantity(*workload.job_seconds), workload.ref_gpu));
  }
  if (!workload.measured_seconds.empty()) {
    details.push_back("measured on " + plural(workload.measured_seconds.size(), "GPU"));
  }
  if (workload.workload_class != WorkloadClass::compute) {
    details.push_back(fmt::format("{} scaling", to_string(workload.workload_class)));
  }
  if (workload.gpu_bound_fraction < 1) {
    details.push_back(
        fmt::format("{}% GPU-bound", format_quantity(workload.gpu_bound_fraction * 100)));
  }
  for (const auto& [unit, units] : workload.units_per_job) {
    details.push_back(fmt::format("{} {} per job", format_quantity(units), to_string(unit)));
  }
  if (workload.gpus_per_job != 1) {
    details.push_back(fmt::format("{} GPUs per job", workload.gpus_per_job));
  }
  details.push_back(workload.jobs_per_month
                        ? fmt::format("{} jobs/month", format_quantity(*workload.jobs_per_month))
                        : std::string("no monthly volume"));
  if (workload.traffic == Traffic::sparse) {
    details.emplace_back("sparse traffic");
  }
  if (workload.idle_timeout_s) {
    details.push_back(fmt::format("idle timeout {} s", format_quantity(*workload.idle_timeout_s)));
  }
  if (workload.cold_start_s) {
    details.push_back(fmt::format("cold start {} s", format_quantity(*workload.cold_start_s)));
  }
  if (workload.revenue_per_job) {
    details.push_back(fmt::format("revenue ${}/job", format_quantity(*workload.revenue_per_job)));
  }
  return title + ": " + join(details, ", ");
}

std::string describe_source(const CatalogSource& source, std::string_view generated_at) {
  std::vector<std::string> details;
  if (!source.provider.empty()) {
    details.push_back(source.provider);
  }
  details.push_back(plural(source.offers, "offer"));
  if (source.fetched_at.empty()) {
    details.emplace_back("fetch time unknown");
  } else {
    details.push_back("fetched " + source.fetched_at);
    if (std::string age = source_age(source.fetched_at, generated_at); !age.empty()) {
      details.push_back(std::move(age));
    }
  }
  std::vector<std::string> names = {std::string(to_string(source.origin))};
  if (!source.location.empty()) {
    names.push_back(source.location);
  }
  return join(names, " ") + " (" + join(details, ", ") + ")";
}

std::string defaulted_note(const std::vector<std::string>& traits) {
  if (traits.empty()) {
    return {};
  }
  return "built-in defaults used for " + join(traits, ", ");
}

NoteIndex number_notes(const std::vector<RankedOption>& options) {
  NoteIndex index;
  index.row_numbers.reserve(options.size());
  for (const auto& option : options) {
    std::vector<std::string> texts = option.estimate.notes;
    if (std::string defaulted = defaulted_note(option.defaulted); !defaulted.empty()) {
      texts.push_back(std::move(defaulted));
    }
    std::vector<std::size_t> numbers;
    for (auto& text : texts) {
      auto found = std::find(index.notes.begin(), index.notes.end(), text);
      if (found == index.notes.end()) {
        index.notes.push_back(std::move(text));
        found = std::prev(index.notes.end());
      }
      const auto number = static_cast<std::size_t>(found - index.notes.begin()) + 1;
      if (std::find(numbers.begin(), numbers.end(), number) == numbers.end()) {
        numbers.push_back(number);
      }
    }
    index.row_numbers.push_back(std::move(numbers));
  }
  return index;
}

std::vector<Column> build_columns(const CompareResult& result, const NoteIndex& notes) {
  std::vector<Column> columns = all_columns(result, notes);
  std::erase_if(columns,
                [](const Column& column) { return column.optional && all_unknown(column); });
  return columns;
}

} // namespace gpucost::render
