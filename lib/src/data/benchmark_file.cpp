#include <gpucost/data/benchmark_file.hpp>
#include <gpucost/data/json_util.hpp>

#include <fmt/format.h>

namespace gpucost {

Expected<BenchmarkTable> parse_benchmark_table(std::string_view json_text,
                                               const std::string& origin) {
  GPUCOST_TRY_ASSIGN(const auto document, parse_json_document(json_text, origin));
  const JsonReader root(document, json_text, origin);
  GPUCOST_TRY(root.expect_schema("gpucost/benchmarks", 1));
  const auto classes = document.find("classes");
  if (classes == document.end() || !classes->is_object()) {
    return Unexpected{root.error("classes", "must be an object keyed by workload class")};
  }
  std::map<std::string, BenchmarkClass> table;
  for (const auto& [name, value] : classes->items()) {
    const JsonReader item(value, json_text, origin, {std::string("classes"), name});
    if (!parse_workload_class(name)) {
      return Unexpected{item.error("", fmt::format("unknown workload class \"{}\"", name))};
    }
    BenchmarkClass entry;
    GPUCOST_TRY(item.string_field("metric", entry.metric, Presence::required));
    GPUCOST_TRY(item.string_field("source", entry.source, Presence::required));
    GPUCOST_TRY(item.string_field("as_of", entry.as_of, Presence::optional));
    GPUCOST_TRY(item.string_field("latency_note", entry.latency_note, Presence::optional));
    GPUCOST_TRY_ASSIGN(const auto figures, item.array("figures"));
    for (const auto& row : figures) {
      BenchmarkFigure figure;
      GPUCOST_TRY(row.string_field("gpu", figure.gpu, Presence::required));
      GPUCOST_TRY(row.number_field("value", figure.value, {.minimum = 0, .exclusive = true}));
      GPUCOST_TRY(row.bool_field("nvenc", figure.nvenc));
      std::optional<bool> split_frame;
      GPUCOST_TRY(row.bool_field("split_frame", split_frame));
      figure.split_frame = split_frame.value_or(false);
      GPUCOST_TRY(row.number_field(
          "video_clock_mhz", figure.video_clock_mhz, {.minimum = 0, .exclusive = true}));
      GPUCOST_TRY(row.number_field("reference_video_clock_mhz",
                                   figure.reference_video_clock_mhz,
                                   {.minimum = 0, .exclusive = true}));
      GPUCOST_TRY(row.string_field("source", figure.source, Presence::required));
      GPUCOST_TRY(row.string_field("as_of", figure.as_of, Presence::optional));
      GPUCOST_TRY(row.string_field("source_group", figure.source_group, Presence::optional));
      if (figure.value && figure.source_group.empty()) {
        return Unexpected{row.error("source_group", "is required with a value")};
      }
      entry.figures.push_back(std::move(figure));
    }
    table.emplace(name, std::move(entry));
  }
  return BenchmarkTable(std::move(table));
}

} // namespace gpucost
