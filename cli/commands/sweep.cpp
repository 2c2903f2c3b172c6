// `gpucost sweep`: how cost per job and the ranking move over a range of one input.

#include "commands.hpp"
#include "decision_inputs.hpp"
#include "decision_outputs.hpp"

#include <gpucost/model/breakeven.hpp>
#include <gpucost/model/units.hpp>
#include <gpucost/render/csv_util.hpp>
#include <gpucost/render/render_util.hpp>
#include <gpucost/render/svg_chart.hpp>
#include <gpucost/render/table_layout.hpp>
#include <gpucost/util/strings.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <memory>

namespace gpucost::cli {

namespace {

using Json = nlohmann::ordered_json;

struct SweepOptions {
  PricingOptions pricing;
  std::string vary;
  int steps = 7;
  int top = 3;
  std::string chart;
  FormatOptions output;
};

// --vary NAME=FROM..TO; FROM and TO absolute, or percentages of the base ("-30%..+30%").
struct Vary {
  std::string name;     // job-seconds, jobs-per-month, idle-timeout, price
  std::string provider; // price:PROVIDER
  double from = 0;
  double to = 0;
  bool relative = false; // percentages
};

double parse_bound(std::string_view text, bool& percent) {
  text = trim(text);
  percent = !text.empty() && text.back() == '%';
  if (percent) {
    text.remove_suffix(1);
  }
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()
      || !std::isfinite(value)) {
    throw Error(fmt::format("--vary: \"{}\" is not a number", text));
  }
  return value;
}

Vary parse_vary(const std::string& text) {
  const std::size_t equals = text.find('=');
  const std::size_t dots = text.find("..");
  if (equals == std::string::npos || dots == std::string::npos || dots < equals) {
    throw Error(fmt::format("--vary: \"{}\" is not NAME=FROM..TO (job-seconds=-30%..+30%, "
                            "jobs-per-month=10..100000, idle-timeout=0..3600, price=-20%..+20%, "
                            "price:PROVIDER=-20%..+20%)",
                            text));
  }
  Vary vary;
  vary.name = to_lower(trim(text.substr(0, equals)));
  if (vary.name.rfind("price:", 0) == 0) {
    vary.provider = vary.name.substr(6);
    vary.name = "price";
  }
  bool from_percent = false;
  bool to_percent = false;
  vary.from = parse_bound(text.substr(equals + 1, dots - equals - 1), from_percent);
  vary.to = parse_bound(text.substr(dots + 2), to_percent);
  if (from_percent != to_percent) {
    throw Error(fmt::format("--vary: \"{}\": give both bounds as percentages or neither", text));
  }
  vary.relative = from_percent;
  if (vary.name != "job-seconds" && vary.name != "jobs-per-month" && vary.name != "idle-timeout"
      && vary.name != "price") {
    throw Error(fmt::format("--vary: unknown input \"{}\": one of job-seconds, jobs-per-month, "
                            "idle-timeout, price, price:PROVIDER",
                            vary.name));
  }
  if (vary.name == "price" && !vary.relative) {
    throw Error("--vary price: give the change as percentages, e.g. price=-20%..+20%");
  }
  if (!(vary.to > vary.from)) {
    throw Error(fmt::format("--vary: \"{}\": TO must exceed FROM", text));
  }
  return vary;
}

struct Step {
  double value = 0;                  // the varied input's value (percent for price)
  std::vector<RankedOption> options; // the top ones
  std::vector<RankedOption> all;     // every distinct option, for the chart
};

struct WinnerRange {
  double from = 0;
  double to = 0;
  RankedOption winner;
};

void scale_prices(std::vector<Offer>& offers, const std::string& provider, double factor) {
  for (auto& offer : offers) {
    if (!provider.empty() && !equals_ignoring_case(offer.provider, provider)) {
      continue;
    }
    for (auto* price : {&offer.price_per_hour,
                        &offer.spot_price_per_hour,
                        &offer.monthly_price,
                        &offer.always_on_price_per_hour,
                        &offer.per_unit.price_per_unit, // an api offer's price, and its minimum
                        &offer.per_unit.minimum_charge}) {
      if (*price) {
        **price *= factor;
      }
    }
  }
}

std::string axis_label(const Vary& vary) {
  if (vary.name == "price") {
    return vary.provider.empty() ? "change of every price (%)"
                                 : fmt::format("change of {} prices (%)", vary.provider);
  }
  if (vary.name == "job-seconds") {
    return vary.relative ? "change of the job time (%)" : "job seconds (s)";
  }
  if (vary.name == "jobs-per-month") {
    return "jobs a month (log scale)";
  }
  return "idle timeout (s)";
}

// The CSV column of the varied input, its unit in the name like every CSV column's.
std::string csv_value_column(const Vary& vary) {
  if (vary.name == "price") {
    return "price_change_pct";
  }
  if (vary.name == "job-seconds") {
    return vary.relative ? "job_seconds_change_pct" : "job_seconds";
  }
  if (vary.name == "jobs-per-month") {
    return "jobs_per_month";
  }
  return "idle_timeout_s";
}

Json option_json(const RankedOption& option) {
  return {{"rank", option.rank},
          {"option", option_label(option)},
          {"provider", option.offer.provider},
          {"product", to_string(option.offer.product)},
          {"gpu", option.offer.gpu},
          {"mode", to_string(option.estimate.mode)},
          {"pricing", to_string(option.estimate.pricing)},
          {"cost_per_job", option.estimate.cost_per_job},
          {"monthly_cost",
           option.estimate.monthly_cost ? Json(*option.estimate.monthly_cost) : Json(nullptr)}};
}

// Keep-alive rows at the user's idle timeout and at the best (cost-model.md "Choosing the idle
// timeout").
Json idle_timeout_json(const PricedSet& set, std::vector<std::string>& lines) {
  Json out = Json::array();
  const auto distinct = distinct_options(set.result.options, 100);
  for (const auto& row : distinct) {
    if (row.estimate.mode != Mode::keep_alive) {
      continue;
    }
    const ModelOption& option = row.option;
    const double usd_per_second = row.usd_per_hour / 3600.0;
    const std::optional<double> rate =
        set.workload.jobs_per_month
            ? std::optional<double>(*set.workload.jobs_per_month / k_seconds_per_month)
            : std::nullopt;
    const double cold_start_usd =
        option.cold_start_billed ? usd_per_second * option.cold_start_s : 0.0;
    double max_timeout = std::numeric_limits<double>::infinity();
    if (const ProductTraits* traits =
            set.inputs.data.providers.traits(row.offer.provider, row.offer.product);
        traits != nullptr && traits->idle_timeout_range_s) {
      max_timeout = traits->idle_timeout_range_s->second;
    }
    auto choice =
        best_idle_timeout(usd_per_second, rate, cold_start_usd, option.idle_timeout_s, max_timeout);
    if (!choice) {
      continue;
    }
    const auto optional_json = [](std::optional<double> v) { return v ? Json(*v) : Json(nullptr); };
    out.push_back(
        {{"option", option_label(row)},
         {"user_timeout_s", option.idle_timeout_s},
         {"best_timeout_s",
          std::isfinite(choice->best_timeout_s) ? Json(choice->best_timeout_s) : Json("always-on")},
         {"keep_warm", choice->keep_warm},
         {"ski_rental", choice->ski_rental},
         {"usd_per_idle_period_at_user", optional_json(choice->usd_per_idle_period_at_user)},
         {"usd_per_idle_period_at_best", optional_json(choice->usd_per_idle_period_at_best)}});
    lines.push_back(
        fmt::format("{}: idle timeout {} s; best {}{}",
                    option_label(row),
                    render::format_quantity(option.idle_timeout_s),
                    std::isfinite(choice->best_timeout_s)
                        ? fmt::format("{} s", render::format_quantity(choice->best_timeout_s))
                        : std::string("keep warm (always-on)"),
                    choice->usd_per_idle_period_at_user && choice->usd_per_idle_period_at_best
                        ? fmt::format(" (USD {} per idle period at yours, {} at the best)",
                                      render::format_fixed(*choice->usd_per_idle_period_at_user, 6),
                                      render::format_fixed(*choice->usd_per_idle_period_at_best, 6))
                        : std::string(" (ski rental K/r: no volume given)")));
  }
  return out;
}

void run_sweep(const SweepOptions& options, Context& context) {
  if (options.steps < 2 || options.steps > 1000) {
    throw Error(fmt::format("--steps: must be 2 to 1000 (got {})", options.steps));
  }
  if (options.top < 1) {
    throw Error(fmt::format("--top: must be at least 1 (got {})", options.top));
  }
  if (options.vary.empty()) {
    throw Error("sweep: give --vary NAME=FROM..TO, e.g. --vary job-seconds=-30%..+30%");
  }
  const Vary vary = parse_vary(options.vary);
  PricedSet set = price_all(options.pricing, context);
  if (vary.name == "jobs-per-month" && (vary.relative || vary.from <= 0)) {
    throw Error("--vary jobs-per-month: give absolute volumes above 0, e.g. 10..100000");
  }
  if (vary.name == "job-seconds" && !set.workload.job_seconds) {
    throw Error("--vary job-seconds: the workload has no job_seconds to vary");
  }
  if (vary.name == "idle-timeout" && (vary.relative || vary.from < 0)) {
    throw Error("--vary idle-timeout: give absolute seconds of 0 or more, e.g. 0..3600");
  }
  const bool log_steps = vary.name == "jobs-per-month";
  std::vector<Step> steps;
  for (int i = 0; i < options.steps; ++i) {
    const double t = static_cast<double>(i) / (options.steps - 1);
    const double value = log_steps ? vary.from * std::pow(vary.to / vary.from, t)
                                   : vary.from + (vary.to - vary.from) * t;
    Workload workload = set.workload;
    CompareResult ranked;
    if (vary.name == "price") {
      PricedSet scaled{Inputs{set.inputs.data, set.inputs.catalog, set.inputs.now_s, {}},
                       set.workload,
                       set.filters,
                       {}};
      scale_prices(scaled.inputs.catalog.offers, vary.provider, 1 + value / 100);
      ranked = reprice(scaled, workload);
    } else {
      if (vary.name == "job-seconds") {
        workload.job_seconds =
            vary.relative ? *set.workload.job_seconds * (1 + value / 100) : value;
      } else if (vary.name == "jobs-per-month") {
        workload.jobs_per_month = value;
      } else {
        workload.idle_timeout_s = value;
      }
      ranked = reprice(set, workload);
    }
    Step step;
    step.value = value;
    step.all = distinct_options(ranked.options, ranked.options.size());
    step.options.assign(step.all.begin(),
                        step.all.begin()
                            + static_cast<std::ptrdiff_t>(
                                std::min(step.all.size(), static_cast<std::size_t>(options.top))));
    steps.push_back(std::move(step));
  }
  std::vector<WinnerRange> ranges;
  for (const auto& step : steps) {
    if (step.options.empty()) {
      continue;
    }
    if (!ranges.empty() && option_label(ranges.back().winner) == option_label(step.options[0])) {
      ranges.back().to = step.value;
    } else {
      ranges.push_back({step.value, step.value, step.options[0]});
    }
  }
  std::vector<std::string> idle_lines;
  const Json idle = idle_timeout_json(set, idle_lines);
  const std::string unit = vary.relative ? "%" : "";

  if (!options.chart.empty()) {
    LineChart chart;
    chart.title = fmt::format("Cost per job as {} varies", vary.name);
    chart.x_label = axis_label(vary);
    chart.y_label = "USD per job";
    chart.log_x = log_steps;
    std::vector<std::string> names;
    for (const auto& step : steps) {
      for (const auto& option : step.options) {
        if (std::find(names.begin(), names.end(), option_label(option)) == names.end()) {
          names.push_back(option_label(option));
        }
      }
    }
    for (const auto& name : names) {
      ChartSeries series{name, {}};
      for (const auto& step : steps) {
        double y = std::nan("");
        for (const auto& option : step.all) {
          if (option_label(option) == name) {
            y = option.estimate.cost_per_job;
          }
        }
        series.points.emplace_back(step.value, y);
      }
      chart.series.push_back(std::move(series));
    }
    double y_min = std::numeric_limits<double>::infinity();
    double y_max = 0;
    for (const auto& series : chart.series) {
      for (const auto& point : series.points) {
        if (std::isfinite(point.second) && point.second > 0) {
          y_min = std::min(y_min, point.second);
          y_max = std::max(y_max, point.second);
        }
      }
    }
    chart.log_y = std::isfinite(y_min) && y_max / y_min > 100; // two decades or more
    if (chart.log_y) {
      chart.y_label = "USD per job (log scale)";
    }
    write_text_file(options.chart, render_line_chart(chart));
  }

  if (options.output.format == OutputFormat::json) {
    Json steps_json = Json::array();
    for (const auto& step : steps) {
      Json ranked = Json::array();
      for (const auto& option : step.options) {
        ranked.push_back(option_json(option));
      }
      steps_json.push_back({{"value", step.value}, {"options", ranked}});
    }
    Json ranges_json = Json::array();
    for (const auto& range : ranges) {
      ranges_json.push_back({{"from", range.from},
                             {"to", range.to},
                             {"option", option_label(range.winner)},
                             {"provider", range.winner.offer.provider},
                             {"product", to_string(range.winner.offer.product)},
                             {"gpu", range.winner.offer.gpu},
                             {"mode", to_string(range.winner.estimate.mode)}});
    }
    const Json document = {
        {"schema", "gpucost/sweep"},
        {"schemaVersion", 1},
        {"tool_version", GPUCOST_VERSION},
        {"generatedAt", set.result.generated_at},
        {"title", render::describe_workload(set.workload)},
        {"vary",
         {{"input", vary.name},
          {"provider", vary.provider.empty() ? Json(nullptr) : Json(vary.provider)},
          {"from", vary.from},
          {"to", vary.to},
          {"unit", vary.relative ? Json("percent") : Json(nullptr)},
          {"steps", options.steps},
          {"log_steps", log_steps}}},
        {"steps", steps_json},
        {"winner_ranges", ranges_json},
        {"idle_timeout", idle}};
    context.out << document.dump(2) << "\n";
  } else if (options.output.format == OutputFormat::csv) {
    render::CsvWriter csv(
        options.output.csv_dialect,
        {csv_value_column(vary), "rank", "option", "cost_per_job_usd", "monthly_cost_usd"});
    for (const auto& step : steps) {
      for (const auto& option : step.options) {
        csv.add_record({render::csv_number_cell(step.value),
                        render::csv_integer_cell(option.rank),
                        render::csv_text_cell(option_label(option)),
                        render::csv_number_cell(option.estimate.cost_per_job),
                        render::csv_number_cell(option.estimate.monthly_cost)});
      }
    }
    context.out << std::move(csv).text();
  } else {
    using render::Align;
    std::vector<render::Column> columns = {
        {vary.name + (vary.relative ? " (%)" : ""), Align::right, 0, false, {}}};
    for (int r = 0; r < options.top; ++r) {
      columns.push_back({fmt::format("#{} ($/job)", r + 1), Align::left, 0, false, {}});
    }
    for (const auto& step : steps) {
      columns[0].cells.push_back(render::format_quantity(std::round(step.value * 1000) / 1000));
      for (int r = 0; r < options.top; ++r) {
        const auto index = static_cast<std::size_t>(r);
        columns[index + 1].cells.push_back(
            index < step.options.size()
                ? fmt::format("{} ({})",
                              render::printable(option_label(step.options[index])),
                              render::format_fixed(step.options[index].estimate.cost_per_job, 6))
                : "-");
      }
    }
    const bool markdown = options.output.format == OutputFormat::markdown;
    const std::string heading = fmt::format("Sweep of {} from {}{} to {}{}: {}",
                                            vary.name,
                                            render::format_quantity(vary.from),
                                            unit,
                                            render::format_quantity(vary.to),
                                            unit,
                                            render::describe_workload(set.workload));
    if (markdown) {
      context.out << "### " << render::markdown_escape(heading) << "\n\n"
                  << render::markdown_table(columns) << "\n";
    } else {
      context.out << render::printable(heading) << "\n\n"
                  << render::render_rows(columns,
                                         std::vector<bool>(steps.size(), false),
                                         TableStyle{.columns = 0, .color = false});
    }
    context.out << "\nWinner ranges:\n";
    for (const auto& range : ranges) {
      context.out << fmt::format("  {}{} to {}{}: {}\n",
                                 render::format_quantity(std::round(range.from * 1000) / 1000),
                                 unit,
                                 render::format_quantity(std::round(range.to * 1000) / 1000),
                                 unit,
                                 render::printable(option_label(range.winner)));
    }
    if (!idle_lines.empty()) {
      context.out << "\nIdle timeout (keep-alive rows at the base workload):\n";
      for (const auto& line : idle_lines) {
        context.out << "  " << render::printable(line) << "\n";
      }
    }
  }
  print_warnings(context, set.result.warnings);
}

} // namespace

void register_sweep(CLI::App& app, Context& context) {
  auto options = std::make_shared<SweepOptions>();
  CLI::App* command = app.add_subcommand(
      "sweep", "How cost per job and the ranking move over a range of one input");
  add_pricing_options(*command, options->pricing);
  command->add_option("--vary",
                      options->vary,
                      "NAME=FROM..TO: job-seconds, jobs-per-month (log steps), idle-timeout, "
                      "price or price:PROVIDER (percent)");
  command->add_option("--steps", options->steps, "Steps over the range (default 7)");
  command->add_option("--top", options->top, "Options shown per step (default 3)");
  command->add_option("--chart", options->chart, "Write an SVG chart of cost against the input");
  add_format_options(*command, options->output);
  command->callback([options, &context] { run_sweep(*options, context); });
}

} // namespace gpucost::cli
