// `gpucost check`: recompute the workloads of baseline compare results against today's catalog,
// apply --fail-on/--warn-on rules, and report in the formats CI reads (docs/ci.md).

#include "commands.hpp"
#include "common.hpp"
#include "workload_options.hpp"

#include <gpucost/data/baseline_file.hpp>
#include <gpucost/data/catalog.hpp>
#include <gpucost/model/check.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/model/reprice.hpp>
#include <gpucost/render/render_check.hpp>
#include <gpucost/util/suggest.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace gpucost::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> baselines;
  std::vector<std::string> workloads;
  std::vector<std::string> fail_on;
  std::vector<std::string> warn_on;
  bool strict = false;
  std::string max_price_age = "7d";
  bool reprice = false;
  std::string comment_tag = k_default_comment_tag;
  std::string junit;
  CatalogOptions catalog;
  FormatOptions output;
};

// One workload to check: its baseline (if any) and today's workload.
struct Pairing {
  std::string name;
  const Baseline* baseline = nullptr;
  Workload workload;
};

std::string label_of(const Workload& workload, const std::string& fallback) {
  if (!workload.name.empty()) {
    return workload.name;
  }
  return std::filesystem::path(fallback).stem().string();
}

// The baseline's workload with its GPU names resolved like a workload file's.
Workload embedded_workload(const Baseline& baseline, const DataSet& data) {
  Workload workload = baseline.result.workload;
  value_or_throw(validate_workload(workload));
  if (!workload.ref_gpu.empty()) {
    const GpuSpec* gpu = data.gpus.find(workload.ref_gpu);
    if (gpu == nullptr) {
      throw Error(fmt::format(
          "{}: workload.ref_gpu: unknown GPU model \"{}\"", baseline.origin, workload.ref_gpu));
    }
    workload.ref_gpu = gpu->name;
  }
  return workload;
}

// Whether write_file replaces a file or adds to its end (GitHub's step summary collects steps).
enum class WriteMode { replace, append };

void write_file(const std::string& path, const std::string& text, WriteMode mode) {
  std::ofstream out(
      path, mode == WriteMode::append ? std::ios::binary | std::ios::app : std::ios::binary);
  out << text;
  out.flush();
  if (!out) {
    throw Error(
        fmt::format("cannot write \"{}\": check the directory exists and is writable", path));
  }
}

void run_check(const CheckOptions& options, Context& context) {
  // Rules first: a rule that cannot be parsed is a usage error before any work.
  std::vector<CheckRule> rules;
  for (const auto& text : options.fail_on) {
    rules.push_back(value_or_throw(parse_check_rule(text, RuleSeverity::fail)));
  }
  for (const auto& text : options.warn_on) {
    rules.push_back(value_or_throw(parse_check_rule(text, RuleSeverity::warn)));
  }
  const auto max_age = parse_duration_s(options.max_price_age);
  if (!max_age) {
    throw Error(fmt::format("--max-price-age: {}", max_age.error().message));
  }

  Inputs inputs = load_inputs(options.catalog, context);
  const std::string catalog_sha = catalog_sha256(inputs.catalog);

  std::vector<Baseline> baselines;
  baselines.reserve(options.baselines.size());
  for (const auto& path : options.baselines) {
    const std::string text = value_or_throw(read_text_file(path));
    baselines.push_back(value_or_throw(parse_baseline(text, path, inputs.data.providers)));
  }

  // Pair today's workloads with baselines: by name, or one with one.
  std::vector<Pairing> pairs;
  std::vector<bool> used(baselines.size(), false);
  for (const auto& path : options.workloads) {
    WorkloadOptions flags;
    flags.workload_file = path;
    Pairing pair;
    pair.workload = build_workload(flags, inputs.data);
    pair.name = label_of(pair.workload, path);
    for (std::size_t i = 0; i < baselines.size(); ++i) {
      if (!used[i] && baselines[i].result.workload.name == pair.workload.name) {
        pair.baseline = &baselines[i];
        used[i] = true;
        break;
      }
    }
    pairs.push_back(std::move(pair));
  }
  if (pairs.size() == 1 && baselines.size() == 1 && pairs.front().baseline == nullptr) {
    pairs.front().baseline = &baselines.front();
    used.front() = true;
  }
  for (std::size_t i = 0; i < baselines.size(); ++i) {
    if (used[i]) {
      continue;
    }
    Pairing pair;
    pair.baseline = &baselines[i];
    pair.workload = embedded_workload(baselines[i], inputs.data);
    pair.name = label_of(pair.workload, baselines[i].origin);
    pairs.push_back(std::move(pair));
  }
  if (pairs.empty()) {
    throw Error("nothing to check: give --baseline FILE (a `gpucost compare --format json` "
                "result) or --workload FILE");
  }
  for (const auto& rule : rules) {
    if (rule.workload.empty()) {
      continue;
    }
    bool found = false;
    std::vector<std::string> names;
    for (const auto& pair : pairs) {
      found = found || pair.name == rule.workload;
      names.push_back(pair.name);
    }
    if (!found) {
      throw Error(fmt::format("rule \"{}\": no workload named \"{}\" (workloads: {})",
                              rule.text,
                              rule.workload,
                              fmt::join(names, ", ")));
    }
  }

  CheckReport report;
  report.tool_version = GPUCOST_VERSION;
  report.generated_at = format_iso8601(inputs.now_s);
  report.strict = options.strict;
  report.attributed = options.reprice;
  report.max_price_age_s = *max_age;
  report.catalog_sha256 = catalog_sha;

  // Every result lives here so the CheckWorkload pointers stay valid.
  std::vector<CompareResult> currents;
  std::vector<std::vector<std::optional<Estimate>>> repriced(pairs.size());
  currents.reserve(pairs.size());
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    const Pairing& pair = pairs[p];
    const OfferFilters filters =
        pair.baseline != nullptr ? pair.baseline->result.filters : OfferFilters{};
    currents.push_back(rank_options(inputs.catalog.offers,
                                    inputs.data.gpus,
                                    inputs.data.providers,
                                    inputs.data.benchmarks,
                                    pair.workload,
                                    filters,
                                    inputs.now_s));
    CheckWorkloadReport part;
    part.name = pair.name;
    if (pair.baseline == nullptr) {
      // Without a baseline every option is new; listing them prints the keys rules can name.
      part.changes = match_options({}, currents.back().options, std::nullopt);
    } else {
      const CompareResult& base = pair.baseline->result;
      part.baseline = pair.baseline->origin;
      part.changes = match_options(base.options, currents.back().options, base.top);
      if (!pair.baseline->has_filters) {
        part.notes.emplace_back(
            "the baseline records no filters (an older document): every option was compared");
      }
      if (!base.catalog.sha256.empty() && base.catalog.sha256 != catalog_sha) {
        report.incomplete.push_back(fmt::format(
            "{}: the baseline was priced from another catalog (sha256 {} today {}): pin one "
            "with --catalog",
            pair.baseline->origin,
            base.catalog.sha256.substr(0, 12),
            catalog_sha.substr(0, 12)));
      }
      if (options.reprice) {
        std::size_t failed = 0;
        for (const auto& row : base.options) {
          auto estimate = reprice_row(row, pair.workload, inputs.data.gpus, inputs.data.benchmarks);
          if (estimate) {
            repriced[p].emplace_back(std::move(*estimate));
          } else {
            repriced[p].emplace_back();
            ++failed;
          }
        }
        if (failed > 0) {
          part.notes.push_back(fmt::format(
              "{} baseline row{} could not be repriced with today's workload: their changes are "
              "not attributed",
              failed,
              failed == 1 ? "" : "s"));
        }
      }
    }
    for (const auto& warning : currents.back().warnings) {
      report.warnings.push_back(fmt::format("{}: {}", pair.name, warning));
    }
    report.workloads.push_back(std::move(part));
  }

  // A key no baseline and no current row has is a typo, not a missing price: say so.
  for (const auto& rule : rules) {
    if (rule.option_key.empty()) {
      continue;
    }
    std::vector<std::string> known;
    bool found = false;
    for (std::size_t p = 0; p < pairs.size() && !found; ++p) {
      if (!rule.workload.empty() && rule.workload != pairs[p].name) {
        continue;
      }
      const auto scan = [&](const std::vector<RankedOption>& rows) {
        for (const auto& row : rows) {
          found = found || row.key == rule.option_key;
          known.push_back(row.key);
        }
      };
      scan(currents[p].options);
      if (pairs[p].baseline != nullptr) {
        scan(pairs[p].baseline->result.options);
      }
    }
    if (!found) {
      const std::string near = closest_match(rule.option_key, known);
      throw Error(fmt::format("rule \"{}\": no baseline or current option has the key \"{}\"{}",
                              rule.text,
                              rule.option_key,
                              near.empty() ? std::string(" (the reports print every key)")
                                           : fmt::format(" (did you mean \"{}\"?)", near)));
    }
  }

  for (const auto& rule : rules) {
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      if (!rule.workload.empty() && rule.workload != pairs[p].name) {
        continue;
      }
      CheckWorkload view;
      view.name = pairs[p].name;
      view.baseline = pairs[p].baseline != nullptr ? &pairs[p].baseline->result.options : nullptr;
      view.current = &currents[p].options;
      view.repriced = options.reprice && pairs[p].baseline != nullptr ? &repriced[p] : nullptr;
      report.checks.push_back(evaluate_rule(rule, view));
    }
  }
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    std::vector<CheckOutcome> own;
    for (const auto& check : report.checks) {
      if (check.workload == pairs[p].name) {
        own.push_back(check);
      }
    }
    report.workloads[p].verdict = overall_verdict(own);
  }
  for (const auto& check : report.checks) {
    if (check.verdict == Verdict::missing) {
      report.incomplete.push_back(
          fmt::format("{}: {}: {}", check.workload, check.rule, check.missing_reason));
    }
    if (check.price_age_s && *check.price_age_s > *max_age) {
      report.incomplete.push_back(fmt::format("{}: {}: the price of {} is {:.1f} days old (over "
                                              "--max-price-age {})",
                                              check.workload,
                                              check.rule,
                                              check.option,
                                              *check.price_age_s / 86400,
                                              options.max_price_age));
    }
  }
  report.verdict = overall_verdict(report.checks);
  ExitCode code = ExitCode::ok;
  if (report.verdict == Verdict::fail) {
    code = ExitCode::breached; // wins over incomplete; both are reported
  } else if (options.strict && !report.incomplete.empty()) {
    code = ExitCode::incomplete;
  }
  report.exit_code = static_cast<int>(code);

  // Every report is written before the exit code is returned.
  if (!options.junit.empty()) {
    write_file(options.junit, render_check_junit(report), WriteMode::replace);
  }
  switch (options.output.format) {
  case OutputFormat::table:
    context.out << render_check_table(report);
    break;
  case OutputFormat::json:
    context.out << render_check_json(report);
    break;
  case OutputFormat::csv:
    context.out << render_check_csv(report, options.output.csv_dialect);
    break;
  case OutputFormat::markdown:
    context.out << render_check_markdown(report, options.comment_tag);
    break;
  case OutputFormat::github: {
    context.out << render_check_annotations(report);
    const auto summary = context.env("GITHUB_STEP_SUMMARY");
    if (summary && !summary->empty()) {
      write_file(*summary, render_check_markdown(report, options.comment_tag), WriteMode::append);
    }
    break;
  }
  }
  if (options.output.format != OutputFormat::table) {
    print_warnings(context, report.warnings);
  }
  if (rules.empty()) {
    print_warnings(context,
                   {"no rules given: options were compared but nothing was judged (add --fail-on "
                    "RULE or --warn-on RULE)"});
  }
  set_exit_code(context, code);
}

} // namespace

void register_check(CLI::App& app, Context& context) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command = app.add_subcommand(
      "check", "Fail CI when a workload's modelled cost regresses against a baseline");
  command
      ->add_option("--baseline",
                   options->baselines,
                   "A `gpucost compare --format json` result to compare with (repeatable)")
      ->type_name("FILE");
  command
      ->add_option("--workload",
                   options->workloads,
                   "Today's workload file (repeatable); default: the baselines' own workloads")
      ->type_name("FILE");
  command
      ->add_option("--fail-on",
                   options->fail_on,
                   "Rule [WORKLOAD:]METRIC:LIMIT that fails the run (exit 2) when breached, "
                   "e.g. cost_per_job:+10% (repeatable)")
      ->type_name("RULE");
  command
      ->add_option("--warn-on", options->warn_on, "Rule that only warns when breached (repeatable)")
      ->type_name("RULE");
  command->add_flag("--strict",
                    options->strict,
                    "Exit 3 when incomplete: a missing or stale price, another catalog");
  command
      ->add_option("--max-price-age",
                   options->max_price_age,
                   "Under --strict, prices older than this are incomplete (e.g. 7d, 12h)")
      ->default_str("7d");
  command->add_flag("--reprice-baseline",
                    options->reprice,
                    "Split each change into workload-driven and price-driven parts");
  command
      ->add_option("--comment-tag",
                   options->comment_tag,
                   "The marker of the markdown comment: <!-- TAG --> on its first line")
      ->default_str(k_default_comment_tag);
  command->add_option("--junit", options->junit, "Also write JUnit XML to FILE")->type_name("FILE");
  add_catalog_options(*command, options->catalog);
  add_format_options(
      *command,
      options->output,
      {OutputFormat::table,
       OutputFormat::json,
       OutputFormat::csv,
       OutputFormat::markdown,
       OutputFormat::github},
      "Output format: table, json, csv, markdown (PR comment) or github (annotations)");
  command->callback([options, &context] { run_check(*options, context); });
}

} // namespace gpucost::cli
