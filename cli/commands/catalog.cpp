// `gpucost catalog update|status|export`: live prices into the cache, where prices come from, and
// one pinned catalog file.

#include "commands.hpp"
#include "common.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/sources/cache.hpp>
#include <gpucost/sources/price_sources.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/output_file.hpp>
#include <gpucost/util/suggest.hpp>
#include <gpucost/util/text_safety.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <sstream>

namespace gpucost::cli {

namespace {

std::vector<std::string> live_provider_ids() {
  std::vector<std::string> ids;
  for (const auto& provider : make_providers()) {
    ids.emplace_back(provider->id());
  }
  return ids;
}

// The providers asked for with --provider (all when none), checked against the live ones.
std::vector<std::string> chosen_providers(const std::vector<std::string>& asked) {
  const auto live = live_provider_ids();
  if (asked.empty()) {
    return live;
  }
  for (const auto& id : asked) {
    if (std::find(live.begin(), live.end(), id) == live.end()) {
      const std::string near = closest_match(id, live);
      throw Error(
          fmt::format("--provider: \"{}\" has no live price API{} (live providers: {})",
                      id,
                      near.empty() ? std::string() : fmt::format(" (did you mean \"{}\"?)", near),
                      fmt::join(live, ", ")));
    }
  }
  return asked;
}

struct UpdateOptions {
  std::vector<std::string> providers;
  double timeout_s = 300;
  double deadline_s = 1800;
};

void run_update(const UpdateOptions& options, Context& context) {
  // An update waits for another one to end (one at a time per cache directory).
  const FetchLimits limits{options.timeout_s, options.deadline_s, std::nullopt};
  check_fetch_limits(limits);
  const auto ids = chosen_providers(options.providers);
  const std::int64_t now_s = value_or_throw(current_time(context.env));
  const DataSet data =
      value_or_throw(load_data_set(value_or_throw(find_data_dir(context.env, context.executable))));
  const auto dir = cache_dir(context);
  const auto outcomes = refresh_live_providers(ids, data, now_s, limits, dir, context);
  // Updated providers on stdout; failures, skips and the summary on stderr. Exit 0 only when every
  // requested provider updated, so that a script can trust the code alone.
  std::vector<std::string> failed;
  std::vector<std::string> skipped;
  for (const auto& status : outcomes) {
    if (status.ok) {
      fmt::print(context.out,
                 "{:<8} ok       {:>6} offers  {:>6.1f} s  {}\n",
                 status.id,
                 status.offers,
                 status.duration_s,
                 terminal_safe(status.source_url));
    } else if (status.skipped) {
      skipped.push_back(status.id);
      fmt::print(
          context.err, "gpucost: {:<8} skipped  {}\n", status.id, terminal_safe(status.error));
    } else {
      failed.push_back(status.id);
      fmt::print(
          context.err, "gpucost: {:<8} failed   {}\n", status.id, terminal_safe(status.error));
    }
    for (const auto& warning : status.warnings) {
      fmt::print(context.err, "gpucost: warning: {}\n", terminal_safe(warning));
    }
  }
  fmt::print(context.out, "cache: {}\n", dir.string());
  if (!failed.empty() || !skipped.empty()) {
    std::string summary = fmt::format("gpucost: error: catalog update: {} of {} providers updated",
                                      outcomes.size() - failed.size() - skipped.size(),
                                      outcomes.size());
    if (!failed.empty()) {
      summary += fmt::format("; failed: {}", fmt::join(failed, ", "));
    }
    if (!skipped.empty()) {
      summary += fmt::format("; skipped: {}", fmt::join(skipped, ", "));
    }
    fmt::print(
        context.err, "{} (the others' caches were updated; a failed one's was kept)\n", summary);
    context.exit_code = 1;
  }
}

struct StatusOptions {
  FormatOptions output;
  std::string max_age; // --max-age: older caches are marked stale
};

void run_status(const StatusOptions& options, Context& context) {
  CatalogOptions offline;
  offline.offline = true;
  offline.max_age = "100000d"; // any cache counts: status reports, it never fetches
  std::ostringstream discard;
  Context silent{
      .out = context.out, .err = discard, .env = context.env, .executable = context.executable};
  Inputs inputs = load_inputs(offline, silent);
  const double max_age_s = options.max_age.empty()
                               ? k_default_max_age_s
                               : value_or_throw(parse_duration_s(options.max_age));
  const auto dir = cache_dir(context);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& state : inputs.live) {
    auto attempt = read_provider_status(dir, state.id);
    nlohmann::ordered_json row;
    row["provider"] = state.id;
    row["origin"] = to_string(state.origin);
    row["fetched_at"] = state.fetched_at.empty() ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json(state.fetched_at);
    row["age_s"] =
        state.age_s ? nlohmann::ordered_json(*state.age_s) : nlohmann::ordered_json(nullptr);
    row["stale"] = state.age_s.has_value() && *state.age_s >= max_age_s;
    row["offers"] = state.offers;
    row["last_attempt"] =
        attempt ? nlohmann::ordered_json(attempt->attempted_at) : nlohmann::ordered_json(nullptr);
    std::string error;
    if (attempt && !attempt->ok) {
      error = attempt->error;
    } else if (!state.problem.empty()) {
      error = state.problem;
    }
    row["last_error"] =
        error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(valid_utf8(error));
    rows.push_back(std::move(row));
  }
  if (options.output.format == OutputFormat::json) {
    nlohmann::ordered_json document;
    document["schema"] = "gpucost/catalog-status";
    document["schemaVersion"] = 1;
    document["generatedAt"] = format_iso8601(inputs.now_s);
    document["cache_dir"] = dir.string();
    document["max_age_s"] = max_age_s;
    document["providers"] = std::move(rows);
    context.out << document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                << "\n";
    return;
  }
  fmt::print(context.out,
             "{:<8}  {:<15}  {:<20}  {:>8}  {:>6}  {}\n",
             "provider",
             "prices",
             "fetched at",
             "age",
             "offers",
             "last error");
  for (const auto& row : rows) {
    const std::string fetched =
        row["fetched_at"].is_null() ? "-" : row["fetched_at"].get<std::string>();
    const std::string age = row["age_s"].is_null()
                                ? "-"
                                : format_duration(row["age_s"].get<double>(), DurationStyle::words);
    const std::string error =
        row["last_error"].is_null() ? "" : row["last_error"].get<std::string>();
    fmt::print(context.out,
               "{:<8}  {:<15}  {:<20}  {:>8}  {:>6}  {}\n",
               row["provider"].get<std::string>(),
               row["origin"].get<std::string>() + (row["stale"].get<bool>() ? " (stale)" : ""),
               fetched,
               age,
               row["offers"].get<std::size_t>(),
               terminal_safe(error));
  }
  fmt::print(context.out,
             "cache: {} (fresh for {}; 'gpucost catalog update' refreshes)\n",
             dir.string(),
             format_duration(max_age_s, DurationStyle::words));
}

struct ExportOptions {
  std::string output;
  CatalogOptions catalog;
};

void run_export(const ExportOptions& options, Context& context) {
  Inputs inputs = load_inputs(options.catalog, context);
  const std::string text = serialize_catalog(inputs.catalog.offers);
  if (options.output == "-") {
    context.out << text;
    return;
  }
  value_or_throw(write_output_file(options.output, text));
  fmt::print(context.err,
             "gpucost: wrote {} offers to {} (use it with --catalog {})\n",
             inputs.catalog.offers.size(),
             options.output,
             options.output);
}

} // namespace

void register_catalog(CLI::App& app, Context& context) {
  CLI::App* catalog =
      app.add_subcommand("catalog", "Live prices: update the cache, show status, export");
  catalog->require_subcommand(1);

  auto update = std::make_shared<UpdateOptions>();
  CLI::App* update_command =
      catalog->add_subcommand("update", "Fetch live prices into the cache (all providers at once)");
  update_command->add_option("--provider", update->providers, "Only these providers (repeatable)");
  update_command->add_option(
      "--timeout",
      update->timeout_s,
      "Seconds per request attempt (300); a streamed AWS price list may take longer, but not "
      "pause longer");
  update_command->add_option("--deadline",
                             update->deadline_s,
                             "Seconds for all of one provider's requests, retries and AWS regions "
                             "included (1800); providers are fetched at once");
  update_command->callback([update, &context] { run_update(*update, context); });

  auto status = std::make_shared<StatusOptions>();
  CLI::App* status_command =
      catalog->add_subcommand("status", "Where each provider's prices come from, and how old");
  add_format_options(*status_command, status->output, {OutputFormat::table, OutputFormat::json});
  status_command->add_option(
      "--max-age", status->max_age, "Mark caches older than this stale (default 6h)");
  status_command->callback([status, &context] { run_status(*status, context); });

  auto exported = std::make_shared<ExportOptions>();
  CLI::App* export_command =
      catalog->add_subcommand("export", "Write the merged catalog to one file for --catalog");
  export_command->add_option("-o,--output", exported->output, "File to write ('-' for stdout)")
      ->required();
  add_catalog_options(*export_command, exported->catalog);
  export_command->callback([exported, &context] { run_export(*exported, context); });
}

} // namespace gpucost::cli
