#pragma once

// Self-contained SVG charts (no scripts, fonts or external styles): a line chart and a stacked
// bar chart, with labelled axes, a legend and the Okabe-Ito colour-blind-safe palette. Pure.

#include <string>
#include <utility>
#include <vector>

namespace gpucost {

// One line: points (x, y) in increasing x; a gap where the option cannot carry the volume.
struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;
};

// A point marked on the chart (a break-even), with a short label.
struct ChartMarker {
  double x = 0;
  double y = 0;
  std::string label;
};

// A line chart; axes labels carry their units, e.g. "jobs a month" and "USD a month".
struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false; // decades on the x axis (x > 0)
  bool log_y = false; // decades on the y axis (y > 0)
  std::vector<ChartSeries> series;
  std::vector<ChartMarker> markers;
};

// A stacked bar chart: one bar per category, one stack segment per part.
struct StackedBarChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> categories;     // one bar each, left to right
  std::vector<std::string> parts;          // stack segments, bottom to top
  std::vector<std::vector<double>> values; // [part][category], >= 0
};

// The Okabe-Ito colour of series `index` (cycling through eight).
std::string chart_colour(std::size_t index);

// The SVG document of a line chart; each series is a <g class="series" data-name="...">.
std::string render_line_chart(const LineChart& chart);

// The SVG document of a stacked bar chart; each part is a <g class="series" data-name="...">.
std::string render_stacked_bars(const StackedBarChart& chart);

} // namespace gpucost
