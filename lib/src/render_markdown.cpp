#include "render_util.hpp"

#include <gpucost/render.hpp>

#include <fmt/format.h>

#include <string_view>
#include <vector>

namespace gpucost {

namespace {

constexpr std::size_t k_sha256_shown = 12; // hex digits of the catalog hash in the provenance line

// Text made inert for GitHub markdown: `|` would end a table cell, `\ * _ ~ ` [ ] < > & $` would
// start emphasis, strikethrough, code, links, HTML, entities or math; a line break would end the row.
std::string escape(std::string_view text)
{
  constexpr std::string_view k_special = "\\|*_~`[]<>&$";
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    if (c == '\r' || c == '\n') {
      escaped += ' ';
      continue;
    }
    if (k_special.find(c) != std::string_view::npos) {
      escaped += '\\';
    }
    escaped += c;
  }
  return escaped;
}

std::string table_row(const std::vector<std::string>& cells)
{
  return "| " + render::join(cells, " | ") + " |\n";
}

std::string render_table(const std::vector<render::Column>& columns, std::size_t rows)
{
  std::vector<std::string> headers;
  std::vector<std::string> rules;
  for (const auto& column : columns) {
    headers.push_back(escape(column.header));
    rules.emplace_back(column.align == render::Align::right ? "--:" : "---");
  }
  std::string out = table_row(headers) + table_row(rules);
  for (std::size_t row = 0; row < rows; ++row) {
    std::vector<std::string> cells;
    cells.reserve(columns.size());
    for (const auto& column : columns) {
      cells.push_back(escape(column.cells[row]));
    }
    out += table_row(cells);
  }
  return out;
}

std::string provenance(const CompareResult& result)
{
  std::vector<std::string> sources;
  for (const auto& source : result.catalog.sources) {
    sources.push_back(escape(render::describe_source(source, result.generated_at)));
  }
  std::string line = sources.empty() ? std::string("Prices from: no catalog source recorded")
                                     : "Prices from " + render::join(sources, "; ");
  if (!result.catalog.sha256.empty()) {
    line += fmt::format(". Catalog sha256 {}", escape(result.catalog.sha256.substr(0, k_sha256_shown)));
  }
  return line + ".\n";
}

std::string list(const std::vector<std::string>& items, bool numbered)
{
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string bullet = numbered ? fmt::format("{}.", i + 1) : std::string("-");
    out += fmt::format("{} {}\n", bullet, escape(items[i]));
  }
  return out;
}

} // namespace

std::string render_compare_markdown(const CompareResult& result)
{
  const render::NoteIndex notes = render::number_notes(result.options);
  std::vector<std::string> blocks;
  blocks.push_back("### " + escape(render::describe_workload(result.workload)) + '\n');
  blocks.push_back(provenance(result));
  blocks.push_back(result.options.empty()
                       ? std::string("No option can run this workload.\n")
                       : render_table(render::build_columns(result, notes), result.options.size()));
  if (!notes.notes.empty()) {
    blocks.push_back("Notes:\n\n" + list(notes.notes, true));
  }
  if (!result.warnings.empty()) {
    blocks.push_back("Warnings:\n\n" + list(result.warnings, false));
  }
  return render::join(blocks, "\n");
}

} // namespace gpucost
