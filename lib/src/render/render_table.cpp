#include <gpucost/render/render.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/table_layout.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace gpucost {

std::string render_compare_table(const CompareResult& result, const TableStyle& style) {
  const render::NoteIndex notes = render::number_notes(result.options);
  std::vector<render::Column> columns = render::build_columns(result, notes);
  const render::TableFit fit = render::fit_columns(columns, style);
  std::vector<bool> highlighted;
  for (const auto& option : result.options) {
    highlighted.push_back(option.rank == 1);
  }

  std::vector<std::string> blocks;
  blocks.push_back(render::paint(
      render::wrap(render::describe_workload(result.workload), "", "  ", style.columns),
      render::k_bold,
      style.color));
  blocks.push_back(result.options.empty() ? std::string("No option can run this workload.\n")
                                          : render::render_rows(columns, highlighted, style));
  if (const std::string hidden = render::describe_fit(fit); !hidden.empty()) {
    blocks.push_back(hidden);
  }
  if (!notes.notes.empty()) {
    blocks.push_back(render::render_notes(notes, style.columns));
  }
  if (const std::string basis = render::describe_job_time_basis(result.options); !basis.empty()) {
    blocks.push_back(render::wrap(basis, "", "  ", style.columns));
  }
  if (!result.warnings.empty()) {
    blocks.push_back(render::render_warnings(result.warnings, style));
  }
  blocks.push_back(render::render_sources(result.catalog, result.generated_at, style.columns));
  return render::join(blocks, "\n");
}

} // namespace gpucost
