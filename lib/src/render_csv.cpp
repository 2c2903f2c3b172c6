#include "render_util.hpp"

#include <gpucost/render.hpp>

#include <array>
#include <optional>
#include <string_view>
#include <vector>

namespace gpucost {

namespace {

constexpr std::string_view k_crlf = "\r\n";

// The header row: units in the names (RFC 4180 allows one header; the cells stay bare numbers).
constexpr std::array<std::string_view, 31> k_header = {
    "rank",
    "provider",
    "product",
    "mode",
    "pricing",
    "name",
    "gpu",
    "gpu_count",
    "gpu_memory_gb",
    "vcpus",
    "ram_gb",
    "region",
    "price_per_hour_usd",
    "job_seconds",
    "billed_seconds_per_job",
    "cost_per_job_usd",
    "execution_usd",
    "cold_start_usd",
    "idle_usd",
    "rounding_usd",
    "rerun_usd",
    "egress_usd",
    "monthly_cost_usd",
    "capacity_jobs_per_month",
    "p_cold",
    "utilization",
    "margin",
    "defaulted",
    "notes",
    "source",
    "fetched_at",
};

// Quotes a field holding a separator, a quote or a line break, doubling inner quotes (RFC 4180).
std::string quote(std::string field)
{
  if (field.find_first_of(",\"\r\n") == std::string::npos) {
    return field;
  }
  std::string quoted = "\"";
  for (const char c : field) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + '"';
}

// A text cell: a leading = + - @ TAB or CR would make a spreadsheet run it as a formula (CSV
// injection, OWASP), and quoting does not stop that, so an apostrophe goes in front.
std::string text_cell(std::string_view text)
{
  constexpr std::string_view k_formula_starts = "=+-@\t\r";
  std::string cell(text);
  if (!cell.empty() && k_formula_starts.find(cell.front()) != std::string_view::npos) {
    cell.insert(0, 1, '\'');
  }
  return quote(std::move(cell));
}

// A number cell at full precision; unknown, NaN and infinities are empty. Never prefixed: a
// negative number is data, not a formula.
std::string number_cell(std::optional<double> value)
{
  return value ? render::format_shortest(*value) : std::string();
}

std::vector<std::string> row_cells(const RankedOption& option)
{
  const Offer& offer = option.offer;
  const Estimate& estimate = option.estimate;
  const CostSplit& split = estimate.split;
  return {
      std::to_string(option.rank),
      text_cell(offer.provider),
      text_cell(to_string(offer.product)),
      text_cell(to_string(estimate.mode)),
      text_cell(to_string(estimate.pricing)),
      text_cell(offer.name),
      text_cell(offer.gpu),
      std::to_string(offer.gpu_count),
      number_cell(offer.gpu_memory_gb),
      number_cell(offer.vcpus),
      number_cell(offer.ram_gb),
      text_cell(offer.region),
      number_cell(option.usd_per_hour),
      number_cell(estimate.job_seconds),
      number_cell(estimate.billed_seconds_per_job),
      number_cell(estimate.cost_per_job),
      number_cell(split.execution),
      number_cell(split.cold_start),
      number_cell(split.idle),
      number_cell(split.rounding),
      number_cell(split.rerun),
      number_cell(split.egress),
      number_cell(estimate.monthly_cost),
      number_cell(estimate.capacity_jobs_per_month),
      number_cell(estimate.p_cold),
      number_cell(estimate.utilization),
      number_cell(estimate.margin),
      text_cell(render::join(option.defaulted, "; ")),
      text_cell(render::join(estimate.notes, "; ")),
      text_cell(offer.source),
      text_cell(offer.fetched_at),
  };
}

std::string record(const std::vector<std::string>& cells)
{
  return render::join(cells, ",") + std::string(k_crlf);
}

} // namespace

std::string render_compare_csv(const CompareResult& result)
{
  std::string out = record(std::vector<std::string>(k_header.begin(), k_header.end()));
  for (const auto& option : result.options) {
    out += record(row_cells(option));
  }
  return out;
}

} // namespace gpucost
