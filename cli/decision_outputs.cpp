#include "decision_outputs.hpp"

#include <gpucost/render/svg_chart.hpp>

#include <fmt/format.h>

#include <cmath>
#include <fstream>

namespace gpucost::cli {

namespace {

std::string grouped(double whole) {
  std::string digits = fmt::format("{:.0f}", whole);
  std::string out;
  const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i >= lead && (i - lead) % 3 == 0 && digits[i - 1] != '-') {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

} // namespace

std::string format_count_up(double value) {
  return std::isfinite(value) ? grouped(std::ceil(value - 1e-9)) : "-";
}

std::string format_count_down(double value) {
  return std::isfinite(value) ? grouped(std::floor(value + 1e-9)) : "-";
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    throw Error(
        fmt::format("cannot write \"{}\": check the directory exists and is writable", path));
  }
}

std::string compare_chart(const CompareResult& result, std::size_t rows) {
  StackedBarChart chart;
  chart.title = "Cost per job of the cheapest options, by where the money goes";
  chart.y_label = "USD per job";
  chart.parts = {"execution", "cold start", "idle", "rounding", "rerun", "egress"};
  chart.values.assign(chart.parts.size(), {});
  for (std::size_t i = 0; i < result.options.size() && i < rows; ++i) {
    const auto& option = result.options[i];
    const CostSplit& split = option.estimate.split;
    chart.categories.push_back(option_label(option));
    const double parts[] = {
        split.execution, split.cold_start, split.idle, split.rounding, split.rerun, split.egress};
    for (std::size_t p = 0; p < chart.parts.size(); ++p) {
      chart.values[p].push_back(parts[p]);
    }
  }
  return render_stacked_bars(chart);
}

std::string breakeven_chart(const BreakevenResult& result, const PricedSet& set) {
  LineChart chart;
  chart.title = "Monthly cost against volume";
  chart.x_label = "jobs a month (log scale)";
  chart.y_label = "USD a month";
  chart.log_x = true;
  const double lo = result.search.min_jobs_per_month;
  double hi = result.search.max_jobs_per_month;
  for (const auto& pair : result.pairs) {
    if (pair.jobs_per_month) {
      hi = std::min(hi, std::max(100 * *pair.jobs_per_month, 100 * lo));
    }
  }
  const int points = 120;
  double y_min = std::numeric_limits<double>::infinity();
  double y_max = 0;
  for (const auto& option : result.options) {
    ChartSeries series{option.label, {}};
    for (int i = 0; i <= points; ++i) {
      const double x = lo * std::pow(hi / lo, static_cast<double>(i) / points);
      const auto y = monthly_cost(option, set.workload, x);
      series.points.emplace_back(x, y ? *y : std::nan(""));
      if (y && *y > 0) {
        y_min = std::min(y_min, *y);
        y_max = std::max(y_max, *y);
      }
    }
    chart.series.push_back(std::move(series));
  }
  // A range of more than two decades reads better on a log axis.
  chart.log_y = std::isfinite(y_min) && y_max / y_min > 100;
  if (chart.log_y) {
    chart.y_label = "USD a month (log scale)";
  }
  // The first crossing of each pair, where the cheaper option changes; later always-on steps
  // are in the JSON.
  for (const auto& pair : result.pairs) {
    if (pair.crossings.empty() || pair.crossings.front().jobs_per_month > hi) {
      continue;
    }
    const auto& crossing = pair.crossings.front();
    chart.markers.push_back({crossing.jobs_per_month,
                             crossing.first_monthly_usd,
                             format_count_up(crossing.jobs_per_month)});
  }
  return render_line_chart(chart);
}

std::string matrix_chart(const MatrixResult& result) {
  StackedBarChart chart;
  chart.title = "Decision matrix: each option's total out of 100 by criterion";
  chart.y_label = "points of 100";
  chart.parts = result.criteria;
  chart.values.assign(chart.parts.size(), {});
  for (const auto& row : result.rows) {
    chart.categories.push_back(row.option);
    for (std::size_t c = 0; c < chart.parts.size(); ++c) {
      chart.values[c].push_back(row.contributions[c]);
    }
  }
  return render_stacked_bars(chart);
}

} // namespace gpucost::cli
