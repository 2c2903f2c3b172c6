#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render.hpp>
#include <gpucost/render/render_util.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

namespace {

// The header row: units in the names (RFC 4180 allows one header; the cells stay bare numbers).
constexpr std::array<std::string_view, 36> k_header = {
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
    "job_seconds_basis",
    "job_seconds_source",
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
    "unit",
    "price_per_unit_usd",
    "units_per_job",
};

std::vector<render::CsvCell> row_cells(const RankedOption& option, const Workload& workload) {
  const Offer& offer = option.offer;
  const Estimate& estimate = option.estimate;
  const CostSplit& split = estimate.split;
  // An api row has no GPU, hourly rate, job time or utilization: those cells are empty.
  const bool api = offer.product == Product::api;
  const auto gpu_only = [api](std::optional<double> value) {
    return api ? std::optional<double>() : value;
  };
  const std::optional<WorkUnit>& unit = offer.per_unit.unit;
  std::optional<double> units;
  if (api && unit) {
    if (const auto found = workload.units_per_job.find(*unit);
        found != workload.units_per_job.end()) {
      units = found->second;
    }
  }
  return {
      render::csv_integer_cell(option.rank),
      render::csv_text_cell(offer.provider),
      render::csv_text_cell(to_string(offer.product)),
      render::csv_text_cell(to_string(estimate.mode)),
      render::csv_text_cell(to_string(estimate.pricing)),
      render::csv_text_cell(offer.name),
      render::csv_text_cell(offer.gpu),
      api ? render::csv_text_cell("") : render::csv_integer_cell(offer.gpu_count),
      render::csv_number_cell(offer.gpu_memory_gb),
      render::csv_number_cell(offer.vcpus),
      render::csv_number_cell(offer.ram_gb),
      render::csv_text_cell(offer.region),
      render::csv_number_cell(gpu_only(option.usd_per_hour)),
      render::csv_number_cell(gpu_only(estimate.job_seconds)),
      render::csv_text_cell(option.job_seconds_basis),
      render::csv_text_cell(option.job_seconds_source),
      render::csv_number_cell(gpu_only(estimate.billed_seconds_per_job)),
      render::csv_number_cell(estimate.cost_per_job),
      render::csv_number_cell(split.execution),
      render::csv_number_cell(split.cold_start),
      render::csv_number_cell(split.idle),
      render::csv_number_cell(split.rounding),
      render::csv_number_cell(split.rerun),
      render::csv_number_cell(split.egress),
      render::csv_number_cell(estimate.monthly_cost),
      render::csv_number_cell(estimate.capacity_jobs_per_month),
      render::csv_number_cell(estimate.p_cold),
      render::csv_number_cell(gpu_only(estimate.utilization)),
      render::csv_number_cell(estimate.margin),
      render::csv_text_cell(render::join(option.defaulted, "; ")),
      render::csv_text_cell(render::join(estimate.notes, "; ")),
      render::csv_text_cell(offer.source),
      render::csv_text_cell(offer.fetched_at),
      render::csv_text_cell(unit ? to_string(*unit) : std::string_view()),
      render::csv_number_cell(offer.per_unit.price_per_unit),
      render::csv_number_cell(units),
  };
}

} // namespace

std::string render_compare_csv(const CompareResult& result, render::CsvDialect dialect) {
  render::CsvWriter csv(dialect, std::vector<std::string>(k_header.begin(), k_header.end()));
  for (const auto& option : result.options) {
    csv.add_record(row_cells(option, result.workload));
  }
  return std::move(csv).text();
}

} // namespace gpucost
