#include <gpucost/render/table_layout.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost::render {

namespace {

constexpr std::size_t k_gap = 2;                 // spaces between two columns
constexpr std::size_t k_min_truncated_width = 4; // a cut column keeps at least this much
constexpr std::size_t k_sha256_shown = 12;       // hex digits of the catalog hash in the footer
constexpr std::size_t k_sources_listed = 4;      // more sources in one folder are summarized
constexpr std::string_view k_green = "\x1b[32m";
constexpr std::string_view k_yellow = "\x1b[33m";
constexpr std::string_view k_reset = "\x1b[0m";

std::size_t column_width(const Column& column) {
  std::size_t width = display_width(column.header);
  for (const auto& cell : column.cells) {
    width = std::max(width, display_width(cell));
  }
  return width;
}

// The width of the table made of the columns whose `shown` flag is set.
std::size_t shown_width(const std::vector<std::size_t>& widths, const std::vector<bool>& shown) {
  std::size_t width = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (shown[i]) {
      width += widths[i];
      ++count;
    }
  }
  return count == 0 ? 0 : width + k_gap * (count - 1);
}

// Drops the least useful columns (lowest drop_order first) until the table fits `limit`, then
// puts back, most useful first, any dropped column that still fits in the space left over. Returns
// the headers of the columns left out, in table order.
std::vector<std::string> drop_columns_to_fit(std::vector<Column>& columns, std::size_t limit) {
  std::vector<std::size_t> widths;
  std::vector<std::size_t> droppable;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    widths.push_back(column_width(columns[i]));
    if (columns[i].drop_order > 0) {
      droppable.push_back(i);
    }
  }
  std::stable_sort(droppable.begin(), droppable.end(), [&columns](std::size_t a, std::size_t b) {
    return columns[a].drop_order < columns[b].drop_order;
  });
  std::vector<bool> shown(columns.size(), true);
  std::vector<std::size_t> dropped;
  for (const std::size_t i : droppable) {
    if (shown_width(widths, shown) <= limit) {
      break;
    }
    shown[i] = false;
    dropped.push_back(i);
  }
  for (auto it = dropped.rbegin(); it != dropped.rend(); ++it) {
    shown[*it] = true;
    shown[*it] = shown_width(widths, shown) <= limit;
  }
  std::vector<Column> kept;
  std::vector<std::string> hidden;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (shown[i]) {
      kept.push_back(std::move(columns[i]));
    } else {
      hidden.push_back(columns[i].header);
    }
  }
  columns = std::move(kept);
  return hidden;
}

// The width of `column` once its header and cells are cut to `target` columns.
std::size_t truncated_width(const Column& column, std::size_t target) {
  std::size_t width = display_width(render::truncate_to_width(column.header, target));
  for (const auto& cell : column.cells) {
    width = std::max(width, display_width(render::truncate_to_width(cell, target)));
  }
  return width;
}

// The last resort once only essential columns are left: cut the widest text column, one display
// column at a time, until the table fits or every text column is down to its minimum.
//
// Cutting a text to one width and then to a smaller one gives what cutting it to the smaller one
// gives at once, so the cuts are worked out on widths and made once at the end. A column with a
// text of one-column characters wider than the cut is exactly the cut wide afterwards; only other
// columns (wide characters at the cut) are measured again. Linear in the cells' length. Returns
// the headers (as they were before the cut) of the columns cut, in table order.
std::vector<std::string> truncate_columns_to_fit(std::vector<Column>& columns, std::size_t limit) {
  std::vector<std::size_t> widths;
  std::vector<std::size_t> widest_narrow; // widest text of one-column characters, per column
  std::vector<std::size_t> targets(columns.size(), 0); // 0: not cut
  widths.reserve(columns.size());
  widest_narrow.reserve(columns.size());
  for (const auto& column : columns) {
    std::size_t width = 0;
    std::size_t narrow = 0;
    const auto measure = [&](const std::string& text) {
      const std::size_t text_width = display_width(text);
      width = std::max(width, text_width);
      if (text_width > narrow && all_narrow(text)) {
        narrow = text_width;
      }
    };
    measure(column.header);
    for (const auto& cell : column.cells) {
      measure(cell);
    }
    widths.push_back(width);
    widest_narrow.push_back(narrow);
  }
  const auto total = [&] {
    std::size_t width = columns.empty() ? 0 : k_gap * (columns.size() - 1);
    for (const std::size_t column_width : widths) {
      width += column_width;
    }
    return width;
  };
  while (total() > limit) {
    std::size_t widest = columns.size();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const bool cuttable = columns[i].align == Align::left && columns[i].header != "notes"
                            && widths[i] > k_min_truncated_width;
      if (cuttable && (widest == columns.size() || widths[i] > widths[widest])) {
        widest = i;
      }
    }
    if (widest == columns.size()) {
      break;
    }
    const std::size_t target = widths[widest] - 1;
    targets[widest] = target;
    widths[widest] =
        widest_narrow[widest] > target ? target : truncated_width(columns[widest], target);
  }
  std::vector<std::string> cut;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (targets[i] == 0) {
      continue;
    }
    cut.push_back(columns[i].header);
    columns[i].header = render::truncate_to_width(columns[i].header, targets[i]);
    for (auto& cell : columns[i].cells) {
      cell = render::truncate_to_width(cell, targets[i]);
    }
  }
  return cut;
}

std::string pad(const std::string& text, std::size_t width, Align align) {
  const std::string fill(width - std::min(width, display_width(text)), ' ');
  return align == Align::left ? text + fill : fill + text;
}

std::string rstrip(std::string text) {
  text.erase(text.find_last_not_of(' ') + 1);
  return text;
}

} // namespace

// `text` in `colour` when enabled, line by line, so no escape code straddles a line break.
std::string paint(const std::string& text, std::string_view colour, bool enabled) {
  if (!enabled) {
    return text;
  }
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    if (end > pos) {
      out += fmt::format("{}{}{}", colour, text.substr(pos, end - pos), k_reset);
    }
    out += text.substr(end, 1);
    pos = end + 1;
  }
  return out;
}

namespace {

// One line of the table: `cell_of(column)` gives the text of each column on that line.
template<typename CellOf>
std::string table_line(const std::vector<Column>& columns,
                       const std::vector<std::size_t>& widths,
                       CellOf cell_of) {
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      line.append(k_gap, ' ');
    }
    line += pad(cell_of(columns[i]), widths[i], columns[i].align);
  }
  return rstrip(std::move(line));
}

} // namespace

std::string render_rows(const std::vector<Column>& columns,
                        const std::vector<bool>& highlighted,
                        const TableStyle& style) {
  std::vector<std::size_t> widths;
  widths.reserve(columns.size());
  for (const auto& column : columns) {
    widths.push_back(column_width(column));
  }
  std::string out =
      paint(table_line(columns, widths, [](const Column& column) { return column.header; }),
            k_bold,
            style.color);
  out += '\n';
  const std::size_t rows = columns.empty() ? 0 : columns.front().cells.size();
  for (std::size_t row = 0; row < rows; ++row) {
    const std::string line =
        table_line(columns, widths, [row](const Column& column) { return column.cells[row]; });
    out += paint(line, k_green, style.color && row < highlighted.size() && highlighted[row]);
    out += '\n';
  }
  return out;
}

// `raw_text` (made printable) after `first_prefix`, wrapped at spaces to `columns` with
// `rest_prefix` on later lines; one line when columns is not positive. A word longer than a line
// gets a line of its own.
std::string wrap(std::string_view raw_text,
                 std::string_view first_prefix,
                 std::string_view rest_prefix,
                 int columns) {
  const std::string clean = printable(raw_text);
  const std::string_view text = clean;
  std::string out(first_prefix);
  std::size_t used = display_width(first_prefix);
  bool line_empty = true;
  const auto limit = static_cast<std::size_t>(std::max(columns, 0));
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    const std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) {
      continue;
    }
    const std::size_t word_width = display_width(word);
    if (!line_empty && limit > 0 && used + 1 + word_width > limit) {
      out += '\n';
      out += rest_prefix;
      used = display_width(rest_prefix);
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++used;
    }
    out += word;
    used += word_width;
    line_empty = false;
  }
  return out + '\n';
}

std::string render_notes(const NoteIndex& notes, int columns) {
  std::string out;
  for (std::size_t i = 0; i < notes.notes.size(); ++i) {
    const std::string marker = fmt::format("[{}] ", i + 1);
    out += wrap(notes.notes[i], marker, std::string(marker.size(), ' '), columns);
  }
  return out;
}

std::string render_warnings(const std::vector<std::string>& warnings, const TableStyle& style) {
  std::string out;
  for (const auto& warning : warnings) {
    // Wrap first, then colour, so the escape codes never count towards the width.
    std::string text = wrap(warning, "warning: ", "  ", style.columns);
    if (style.color) {
      text = paint("warning:", k_yellow, style.color)
             + text.substr(std::string_view("warning:").size());
    }
    out += text;
  }
  return out;
}

std::string render_sources(const CatalogInfo& catalog, std::string_view generated_at, int columns) {
  std::string out = "Prices from";
  if (!catalog.sha256.empty()) {
    out += fmt::format(" (catalog sha256 {})", catalog.sha256.substr(0, k_sha256_shown));
  }
  if (catalog.sources.empty()) {
    return out + ": no catalog source recorded\n";
  }
  out += ":\n";
  // Many files of one origin in one folder (the bundled catalog) read better as one summary.
  std::vector<std::pair<std::string, std::vector<const CatalogSource*>>> groups;
  for (const auto& source : catalog.sources) {
    const std::string folder = std::string(to_string(source.origin)) + " "
                               + std::filesystem::path(source.location).parent_path().string();
    if (groups.empty() || groups.back().first != folder) {
      groups.emplace_back(folder, std::vector<const CatalogSource*>{});
    }
    groups.back().second.push_back(&source);
  }
  const auto now = parse_iso8601(generated_at);
  for (const auto& [folder, sources] : groups) {
    if (sources.size() <= k_sources_listed || !now) {
      for (const auto* source : sources) {
        out += wrap(describe_source(*source, generated_at), "  ", "    ", columns);
      }
      continue;
    }
    std::size_t offers = 0;
    std::vector<std::string> ages;
    // A provider bundled in two files (runpod.json, runpod-pages.json) is named by file.
    std::map<std::string, int> per_provider;
    for (const auto* source : sources) {
      ++per_provider[source->provider];
    }
    for (const auto* source : sources) {
      offers += source->offers;
      const auto age = cache_age_s(source->fetched_at, *now);
      const std::string name = source->provider.empty() || per_provider[source->provider] > 1
                                   ? std::filesystem::path(source->location).stem().string()
                                   : source->provider;
      ages.push_back(
          fmt::format("{} {}", name, age ? format_duration(*age, DurationStyle::compact) : "-"));
    }
    out += wrap(fmt::format("{}/ ({} files, {} offers; price age: {})",
                            folder,
                            sources.size(),
                            offers,
                            join(ages, ", ")),
                "  ",
                "    ",
                columns);
  }
  return out;
}

TableFit fit_columns(std::vector<Column>& columns, const TableStyle& style) {
  TableFit fit;
  fit.columns = style.columns;
  for (const auto& column : columns) {
    fit.full_width += column_width(column);
  }
  fit.full_width += columns.empty() ? 0 : k_gap * (columns.size() - 1);
  if (style.columns > 0 && !style.wide) {
    const auto limit = static_cast<std::size_t>(style.columns);
    fit.hidden = drop_columns_to_fit(columns, limit);
    fit.cut = truncate_columns_to_fit(columns, limit);
  }
  return fit;
}

std::string describe_fit(const TableFit& fit) {
  if (fit.hidden.empty() && fit.cut.empty()) {
    return {};
  }
  std::string what;
  if (!fit.hidden.empty()) {
    what = fmt::format("Hidden to fit {} columns: {}", fit.columns, join(fit.hidden, ", "));
  }
  if (!fit.cut.empty()) {
    what += what.empty() ? fmt::format("Cut short to fit {} columns: ", fit.columns)
                         : std::string("; cut short: ");
    what += join(fit.cut, ", ");
  }
  // COLUMNS counts only up to k_max_table_columns; a wider table needs --wide.
  const std::string how =
      fit.full_width <= static_cast<std::size_t>(k_max_table_columns)
          ? fmt::format("--wide shows every column, or COLUMNS={} fits them", fit.full_width)
          : std::string("--wide shows every column");
  return wrap(fmt::format("{}. {}.", what, how), "", "  ", fit.columns);
}

// Text made inert for GitHub markdown: `|` would end a table cell, `\ * _ ~ ` [ ] < > & $` would
// start emphasis, strikethrough, code, links, HTML, entities or math; a line break (made a space,
// as every control character is) would end the row.
std::string markdown_escape(std::string_view text) {
  constexpr std::string_view k_special = "\\|*_~`[]<>&$";
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : printable(text)) {
    if (k_special.find(c) != std::string_view::npos) {
      escaped += '\\';
    }
    escaped += c;
  }
  return escaped;
}

namespace {

std::string table_row(const std::vector<std::string>& cells) {
  return "| " + join(cells, " | ") + " |\n";
}

} // namespace

std::string markdown_table(const std::vector<Column>& columns) {
  const std::size_t rows = columns.empty() ? 0 : columns.front().cells.size();
  std::vector<std::string> headers;
  std::vector<std::string> rules;
  for (const auto& column : columns) {
    headers.push_back(markdown_escape(column.header));
    rules.emplace_back(column.align == Align::right ? "--:" : "---");
  }
  std::string out = table_row(headers) + table_row(rules);
  for (std::size_t row = 0; row < rows; ++row) {
    std::vector<std::string> cells;
    cells.reserve(columns.size());
    for (const auto& column : columns) {
      cells.push_back(markdown_escape(column.cells[row]));
    }
    out += table_row(cells);
  }
  return out;
}

} // namespace gpucost::render
