#include <gpucost/render/svg_chart.hpp>
#include <gpucost/render/xml_escape.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace gpucost {

namespace {

using render::xml_escape;

constexpr double k_width = 860;
constexpr double k_height = 500;
constexpr double k_left = 90;
constexpr double k_right = 280; // room for the legend
constexpr double k_top = 50;
constexpr double k_bottom = 70;
constexpr double k_plot_w = k_width - k_left - k_right;
constexpr double k_plot_h = k_height - k_top - k_bottom;

constexpr std::array<const char*, 8> k_palette = {
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
constexpr std::array<const char*, 4> k_dashes = {"", "8 4", "2 3", "10 3 2 3"};

std::string number(double value) {
  const double magnitude = std::abs(value);
  if (magnitude != 0 && (magnitude < 0.01 || magnitude >= 1e7)) {
    return fmt::format("{:.3g}", value);
  }
  std::string text = fmt::format("{:.4f}", value);
  while (!text.empty() && text.back() == '0') {
    text.pop_back();
  }
  if (!text.empty() && text.back() == '.') {
    text.pop_back();
  }
  return text;
}

// An axis: maps data to pixels, and its tick values.
struct Axis {
  double lo = 0;
  double hi = 1;
  bool log = false;
  std::vector<double> ticks;

  double fraction(double value) const {
    if (log) {
      return (std::log10(value) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
    }
    return (value - lo) / (hi - lo);
  }
};

// How an axis spaces its values: evenly, or by powers of ten.
enum class AxisScale { linear, log };

AxisScale scale_of(bool log) {
  return log ? AxisScale::log : AxisScale::linear;
}

Axis make_axis(double lo, double hi, AxisScale scale) {
  Axis axis;
  axis.log = scale == AxisScale::log;
  if (axis.log) {
    axis.lo = std::pow(10.0, std::floor(std::log10(lo)));
    axis.hi = std::pow(10.0, std::ceil(std::log10(hi)));
    if (axis.hi <= axis.lo) {
      axis.hi = axis.lo * 10;
    }
    for (double tick = axis.lo; tick <= axis.hi * 1.0001; tick *= 10) {
      axis.ticks.push_back(tick);
    }
    return axis;
  }
  if (hi <= lo) {
    hi = lo + (lo == 0 ? 1 : std::abs(lo));
  }
  const double raw = (hi - lo) / 5;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double factor : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = factor * power;
    if (step >= raw) {
      break;
    }
  }
  axis.lo = std::floor(lo / step) * step;
  axis.hi = std::ceil(hi / step) * step;
  for (double tick = axis.lo; tick <= axis.hi + step / 2; tick += step) {
    axis.ticks.push_back(std::abs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  return axis;
}

std::string header(const std::string& title) {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n"
      "<title>{2}</title>\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "<text class=\"title\" x=\"{3}\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{2}</text>\n",
      k_width,
      k_height,
      xml_escape(title),
      k_left);
}

// Whether the x axis carries tick marks and values (a bar chart's categories carry none).
enum class XTicks { shown, hidden };

std::string axes(const Axis& x,
                 const Axis& y,
                 const std::string& x_label,
                 const std::string& y_label,
                 XTicks x_ticks) {
  std::string out = "<g class=\"axes\" stroke=\"#444\" fill=\"none\">\n";
  out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>\n",
                     k_left,
                     k_top + k_plot_h,
                     k_left + k_plot_w);
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", k_left, k_top, k_top + k_plot_h);
  out += "</g>\n<g class=\"ticks\" fill=\"#222\">\n";
  for (double tick : y.ticks) {
    const double py = k_top + k_plot_h * (1 - y.fraction(tick));
    out += fmt::format("<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#ddd\"/>"
                       "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
                       k_left,
                       py,
                       k_left + k_plot_w,
                       k_left - 6,
                       py + 4,
                       number(tick));
  }
  if (x_ticks == XTicks::shown) {
    for (double tick : x.ticks) {
      const double px = k_left + k_plot_w * x.fraction(tick);
      out += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" "
                         "stroke=\"#444\"/><text x=\"{0:.1f}\" y=\"{3}\" "
                         "text-anchor=\"middle\">{4}</text>\n",
                         px,
                         k_top + k_plot_h,
                         k_top + k_plot_h + 5,
                         k_top + k_plot_h + 20,
                         number(tick));
    }
  }
  out += "</g>\n";
  out += fmt::format("<text class=\"x-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     k_left + k_plot_w / 2,
                     k_height - 20,
                     xml_escape(x_label));
  out += fmt::format("<text class=\"y-label\" x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" "
                     "transform=\"rotate(-90 {0} {1})\">{2}</text>\n",
                     22,
                     k_top + k_plot_h / 2,
                     xml_escape(y_label));
  return out;
}

// What a legend entry shows next to its name: the series' line, or a filled swatch.
enum class LegendKey { line, swatch };

std::string legend(const std::vector<std::string>& names, LegendKey key) {
  std::string out = "<g class=\"legend\">\n";
  const double x = k_left + k_plot_w + 20;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double y = k_top + 10 + 22.0 * static_cast<double>(i);
    if (key == LegendKey::line) {
      out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
                         "stroke-width=\"3\" stroke-dasharray=\"{}\"/>",
                         x,
                         y,
                         x + 24,
                         y,
                         chart_colour(i),
                         k_dashes[i % k_dashes.size()]);
    } else {
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"16\" height=\"12\" fill=\"{}\"/>",
                         x + 4,
                         y - 6,
                         chart_colour(i));
    }
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", x + 30, y + 4, xml_escape(names[i]));
  }
  return out + "</g>\n";
}

} // namespace

std::string chart_colour(std::size_t index) {
  return k_palette[index % k_palette.size()];
}

std::string render_line_chart(const LineChart& chart) {
  double x_lo = std::numeric_limits<double>::infinity();
  double x_hi = -x_lo;
  double y_lo = x_lo;
  double y_hi = -x_lo;
  for (const auto& series : chart.series) {
    for (const auto& [x, y] : series.points) {
      if (!std::isfinite(x) || !std::isfinite(y) || (chart.log_x && x <= 0)
          || (chart.log_y && y <= 0)) {
        continue;
      }
      x_lo = std::min(x_lo, x);
      x_hi = std::max(x_hi, x);
      y_lo = std::min(y_lo, y);
      y_hi = std::max(y_hi, y);
    }
  }
  if (!std::isfinite(x_lo)) {
    x_lo = 1;
    x_hi = 10;
    y_lo = 1;
    y_hi = 10;
  }
  if (!chart.log_y) {
    y_lo = std::min(0.0, y_lo);
  }
  const Axis x_axis = make_axis(x_lo, x_hi, scale_of(chart.log_x));
  const Axis y_axis = make_axis(y_lo, y_hi, scale_of(chart.log_y));
  const auto px = [&](double x) { return k_left + k_plot_w * x_axis.fraction(x); };
  const auto py = [&](double y) { return k_top + k_plot_h * (1 - y_axis.fraction(y)); };

  std::string out = header(chart.title);
  out += axes(x_axis, y_axis, chart.x_label, chart.y_label, XTicks::shown);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto& series = chart.series[i];
    names.push_back(series.name);
    std::string path;
    bool pen_down = false;
    for (const auto& [x, y] : series.points) {
      if (!std::isfinite(x) || !std::isfinite(y) || (chart.log_x && x <= 0)
          || (chart.log_y && y <= 0)) {
        pen_down = false;
        continue;
      }
      path += fmt::format("{}{:.1f},{:.1f} ", pen_down ? "L" : "M", px(x), py(y));
      pen_down = true;
    }
    out += fmt::format("<g class=\"series\" data-name=\"{}\">\n<path d=\"{}\" fill=\"none\" "
                       "stroke=\"{}\" stroke-width=\"2.5\" stroke-dasharray=\"{}\"/>\n</g>\n",
                       xml_escape(series.name),
                       path,
                       chart_colour(i),
                       k_dashes[i % k_dashes.size()]);
  }
  out += "<g class=\"markers\">\n";
  std::size_t marker_index = 0;
  for (const auto& marker : chart.markers) {
    const double label_dy = -8.0 - 13.0 * static_cast<double>(marker_index++ % 4); // stagger
    if ((chart.log_x && marker.x <= 0) || (chart.log_y && marker.y <= 0)) {
      continue;
    }
    out += fmt::format("<g class=\"marker\" data-x=\"{}\"><circle cx=\"{:.1f}\" cy=\"{:.1f}\" "
                       "r=\"5\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.5\"/>"
                       "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\">{}</text></g>\n",
                       marker.x,
                       px(marker.x),
                       py(marker.y),
                       px(marker.x) + 7,
                       py(marker.y) + label_dy,
                       xml_escape(marker.label));
  }
  out += "</g>\n";
  out += legend(names, LegendKey::line);
  return out + "</svg>\n";
}

std::string render_stacked_bars(const StackedBarChart& chart) {
  const std::size_t n = chart.categories.size();
  double top = 0;
  for (std::size_t c = 0; c < n; ++c) {
    double sum = 0;
    for (const auto& part : chart.values) {
      sum += c < part.size() ? std::max(0.0, part[c]) : 0.0;
    }
    top = std::max(top, sum);
  }
  const Axis x_axis = make_axis(0, 1, AxisScale::linear);
  const Axis y_axis = make_axis(0, top > 0 ? top : 1, AxisScale::linear);
  const auto py = [&](double y) { return k_top + k_plot_h * (1 - y_axis.fraction(y)); };
  std::string out = header(chart.title);
  out += axes(x_axis, y_axis, "", chart.y_label, XTicks::hidden);
  const double slot = n > 0 ? k_plot_w / static_cast<double>(n) : k_plot_w;
  const double bar = slot * 0.6;
  std::vector<double> base(n, 0.0);
  for (std::size_t p = 0; p < chart.parts.size(); ++p) {
    out += fmt::format("<g class=\"series\" data-name=\"{}\" fill=\"{}\">\n",
                       xml_escape(chart.parts[p]),
                       chart_colour(p));
    for (std::size_t c = 0; c < n; ++c) {
      const double value = c < chart.values[p].size() ? std::max(0.0, chart.values[p][c]) : 0.0;
      const double x = k_left + slot * static_cast<double>(c) + (slot - bar) / 2;
      const double y_top = py(base[c] + value);
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                         "data-category=\"{}\" data-value=\"{}\"/>\n",
                         x,
                         y_top,
                         bar,
                         py(base[c]) - y_top,
                         xml_escape(chart.categories[c]),
                         value);
      base[c] += value;
    }
    out += "</g>\n";
  }
  out += "<g class=\"categories\">\n";
  for (std::size_t c = 0; c < n; ++c) {
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n",
                       k_left + slot * (static_cast<double>(c) + 0.5),
                       k_top + k_plot_h + 18,
                       c + 1);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\">{}</text>\n",
                       k_left + k_plot_w + 20,
                       k_top + 30 + 22.0 * static_cast<double>(chart.parts.size())
                           + 14.0 * static_cast<double>(c),
                       xml_escape(fmt::format("{}. {}", c + 1, chart.categories[c])));
  }
  out += "</g>\n";
  out += legend(chart.parts, LegendKey::swatch);
  return out + "</svg>\n";
}

} // namespace gpucost
