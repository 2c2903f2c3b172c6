#pragma once

// Helpers shared by the compare renderers (render_{table,csv,json,markdown}.cpp): number, time and
// width formatting, the heading and provenance texts, footnote numbering and the column model of
// the human-readable outputs. Everything here is pure.

#include <gpucost/model/compare_result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost::render {

// What a human-readable cell shows for an unknown value. ASCII so that every terminal, log viewer
// and code page shows it; the GPU count uses "x" for the same reason.
inline constexpr std::string_view k_unknown = "-";

// The shortest text that reads back as exactly `value` ("0.0030833333333333333", "15", "1e-05");
// empty for NaN and infinities, which no output format should carry.
std::string format_shortest(double value);

// `value` with `decimals` digits after the point, never "-0.00"; k_unknown when not finite.
std::string format_fixed(double value, int decimals);

// The decimals that show `significant` significant digits of the smallest non-zero magnitude
// among `values` (unknown and non-finite ones ignored), clamped to [min_decimals, max_decimals].
int decimals_for_significant(const std::vector<std::optional<double>>& values,
                             int significant,
                             int min_decimals,
                             int max_decimals);

// A workload quantity for prose: the shortest exact text, so 1000 stays "1000" and 0.5 "0.5".
std::string format_quantity(double value);

// Terminal columns `text` (UTF-8) takes: combining marks and controls take none, East Asian wide
// characters and emoji two, everything else one; each byte of invalid UTF-8 counts as one.
std::size_t display_width(std::string_view text);

// Whether no code point of `text` takes two columns (display_width's rules).
bool all_narrow(std::string_view text);

// `text` safe to print on a terminal or in one table cell: control characters (C0, DEL and C1,
// line breaks and ESC included) become spaces, so provider data cannot break the layout or send
// escape sequences; everything else is kept byte for byte.
std::string printable(std::string_view text);

// `text` cut to at most `width` display columns, ending in "~" when something was cut.
std::string truncate_to_width(std::string_view text, std::size_t width);

// The parts joined with `separator` between them.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// An api offer's price per unit as tables show it, "$0.003/audio_minute"; empty when the offer
// has no unit price.
std::string format_unit_price(const UnitPrice& terms);

// The one-line description of a workload that heads a table: `Cost per job for "name": 15 s on
// RTX 4090, 1000 jobs/month`.
std::string describe_workload(const Workload& workload);

// Where one catalog source came from and how old it was at `generated_at` (ISO 8601): `bundled
// data/catalog/runpod.json (runpod, 12 offers, fetched 2026-11-20T00:00:00Z, 3d old)`.
std::string describe_source(const CatalogSource& source, std::string_view generated_at);

// The footnote on where the shown rows' job times came from, one part per basis and source with
// its row count: `Job time: measured (job_seconds on L4): 2 rows; spec (FP16 tensor TFLOPS ratio
// (data/gpus.json)): 5 rows.`; empty when there are no rows.
std::string describe_job_time_basis(const std::vector<RankedOption>& options);

// The footnote text for traits that came from built-in defaults; empty when there are none.
std::string defaulted_note(const std::vector<std::string>& traits);

// The footnotes of a result: each distinct text once, numbered from 1 in row order.
struct NoteIndex {
  std::vector<std::string> notes;                    // notes[i] is footnote i + 1
  std::vector<std::vector<std::size_t>> row_numbers; // per option: its footnote numbers
};

// Numbers the notes and defaulted traits of every option, sharing a number between equal texts.
NoteIndex number_notes(const std::vector<RankedOption>& options);

// How a column's cells line up.
enum class Align { left, right };

// One column of the table and markdown outputs, with every cell already formatted.
struct Column {
  std::string header;        // column title, also the markdown header
  Align align = Align::left; // text left, numbers right
  int drop_order = 0;    // 0: always kept; otherwise columns are dropped in increasing drop_order
  bool optional = false; // left out when no cell is known
  std::vector<std::string> cells; // one per option, in rank order; k_unknown where unknown
};

// The human-readable columns of a result, left to right. Optional columns whose every cell is
// unknown (margin without revenue, $/month without volume, ...) are left out.
std::vector<Column> build_columns(const CompareResult& result, const NoteIndex& notes);

} // namespace gpucost::render
