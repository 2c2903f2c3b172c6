#include <gpucost/render/render.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/table_layout.hpp>

#include <fmt/format.h>

#include <string_view>
#include <vector>

namespace gpucost {

namespace {

constexpr std::size_t k_sha256_shown = 12; // hex digits of the catalog hash in the provenance line

std::string provenance(const CompareResult& result) {
  std::vector<std::string> sources;
  for (const auto& source : result.catalog.sources) {
    sources.push_back(
        render::markdown_escape(render::describe_source(source, result.generated_at)));
  }
  std::string line = sources.empty() ? std::string("Prices from: no catalog source recorded")
                                     : "Prices from " + render::join(sources, "; ");
  if (!result.catalog.sha256.empty()) {
    line += fmt::format(". Catalog sha256 {}",
                        render::markdown_escape(result.catalog.sha256.substr(0, k_sha256_shown)));
  }
  return line + ".\n";
}

// How a markdown list marks its items: "1.", "2.", ... or "-".
enum class ListMarks { numbered, bullets };

std::string list(const std::vector<std::string>& items, ListMarks marks) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string bullet =
        marks == ListMarks::numbered ? fmt::format("{}.", i + 1) : std::string("-");
    out += fmt::format("{} {}\n", bullet, render::markdown_escape(items[i]));
  }
  return out;
}

} // namespace

std::string render_compare_markdown(const CompareResult& result) {
  const render::NoteIndex notes = render::number_notes(result.options);
  std::vector<std::string> blocks;
  blocks.push_back("### " + render::markdown_escape(render::describe_workload(result.workload))
                   + '\n');
  blocks.push_back(provenance(result));
  blocks.push_back(result.options.empty()
                       ? std::string("No option can run this workload.\n")
                       : render::markdown_table(render::build_columns(result, notes)));
  if (!notes.notes.empty()) {
    blocks.push_back("Notes:\n\n" + list(notes.notes, ListMarks::numbered));
  }
  if (const std::string basis = render::describe_job_time_basis(result.options); !basis.empty()) {
    blocks.push_back(render::markdown_escape(basis) + '\n');
  }
  if (!result.warnings.empty()) {
    blocks.push_back("Warnings:\n\n" + list(result.warnings, ListMarks::bullets));
  }
  return render::join(blocks, "\n");
}

} // namespace gpucost
