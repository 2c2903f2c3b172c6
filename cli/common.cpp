#include "common.hpp"

#include <gpucost/data/catalog.hpp>
#include <gpucost/sources/cache.hpp>
#include <gpucost/sources/providers/provider.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/suggest.hpp>
#include <gpucost/util/text_safety.hpp>
#include <gpucost/util/time.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <set>
#include <sys/ioctl.h>
#include <unistd.h>

namespace gpucost::cli {

namespace {

constexpr double k_stale_after_s = 30.0 * 24 * 3600;

std::string did_you_mean(const std::vector<std::string>& suggestions) {
  if (suggestions.empty()) {
    return "";
  }
  return fmt::format(" (did you mean \"{}\"?)", suggestions.front());
}

std::string_view format_name(OutputFormat format) {
  switch (format) {
  case OutputFormat::table:
    return "table";
  case OutputFormat::csv:
    return "csv";
  case OutputFormat::json:
    return "json";
  case OutputFormat::markdown:
    return "markdown";
  case OutputFormat::github:
    return "github";
  }
  return "table";
}

// "table, csv or json"
std::string list_names(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      text += i + 1 == names.size() ? " or " : ", ";
    }
    text += names[i];
  }
  return text;
}

} // namespace

void add_format_options(CLI::App& command,
                        FormatOptions& options,
                        const std::vector<OutputFormat>& formats,
                        std::string_view help) {
  std::vector<std::string> names;
  for (const OutputFormat format : formats) {
    names.emplace_back(format_name(format));
  }
  const std::string choices = list_names(names);
  command
      .add_option_function<std::string>(
          "--format",
          [&options, formats, choices](const std::string& name) {
            const auto it = std::find_if(formats.begin(), formats.end(), [&](OutputFormat format) {
              return format_name(format) == name;
            });
            if (it == formats.end()) {
              throw CLI::ValidationError(
                  "--format", fmt::format("unknown format \"{}\" (expected {})", name, choices));
            }
            options.format = *it;
          },
          help.empty() ? "Output format: " + choices : std::string(help))
      ->default_str(names.front());
  options.format = formats.front();
  if (std::find(formats.begin(), formats.end(), OutputFormat::csv) == formats.end()) {
    return;
  }
  // One registration for every command that writes CSV, so the dialects and their wording
  // cannot drift apart between commands.
  command
      .add_option_function<std::string>(
          "--csv-dialect",
          [&options](const std::string& name) {
            const auto parsed = render::parse_csv_dialect(name);
            if (!parsed) {
              throw CLI::ValidationError(
                  "--csv-dialect",
                  fmt::format("unknown dialect \"{}\" (expected rfc4180, excel or excel-eu)",
                              name));
            }
            options.csv_dialect = *parsed;
          },
          "CSV for: rfc4180 (default), excel (UTF-8 BOM) or excel-eu (BOM, ';' and decimal commas)")
      ->type_name("DIALECT");
}

DataSet load_reference_data(Context& context) {
  const std::string dir = value_or_throw(find_data_dir(context.env, context.executable));
  return value_or_throw(load_data_set(dir));
}

void add_filter_options(CLI::App& command, FilterOptions& options, RowFilters row_filters) {
  command.add_option("--gpu", options.gpus, "Only these GPU models (repeatable, aliases allowed)");
  command.add_option("--provider", options.providers, "Only these providers (repeatable)");
  command.add_option("--product",
                     options.products,
                     "Only pod, vm, serverless, dedicated, training, prediction or api");
  command.add_option("--region", options.regions, "Only regions starting with this (repeatable)");
  command.add_option("--min-vram", options.min_vram_gb, "At least this much memory per GPU, GB");
  command.add_option("--max-price", options.max_price, "At most this many USD per hour");
  if (row_filters == RowFilters::included) {
    command.add_option("--mode", options.mode, "Only per-job, keep-alive or always-on rows");
    command.add_option("--pricing", options.pricing, "Only on-demand or spot rows");
  }
}

OfferFilters resolve_filters(const FilterOptions& options,
                             const DataSet& data,
                             const std::vector<Offer>& offers,
                             std::ostream* err) {
  OfferFilters filters;
  for (const auto& name : options.gpus) {
    if (const GpuSpec* gpu = data.gpus.find(name); gpu != nullptr) {
      filters.gpus.push_back(gpu->name); // an exact name or alias: that model alone
      continue;
    }
    const auto family = data.gpus.match_family(name);
    if (family.empty()) {
      throw Error(fmt::format(
          "--gpu: unknown GPU model \"{}\"{}", name, did_you_mean(data.gpus.suggest(name))));
    }
    std::vector<std::string> names;
    for (const GpuSpec* gpu : family) {
      filters.gpus.push_back(gpu->name);
      names.push_back(gpu->name);
    }
    if (err != nullptr) {
      fmt::print(*err, "gpucost: --gpu {} matches {}\n", name, fmt::join(names, ", "));
    }
  }
  std::set<std::string> known; // every provider id, collected only when --provider is given
  if (!options.providers.empty()) {
    for (const auto& provider : data.providers.all()) {
      known.insert(provider.id);
    }
    for (const auto& offer : offers) {
      known.insert(offer.provider);
    }
  }
  const std::vector<std::string> known_list(known.begin(), known.end());
  for (const auto& name : options.providers) {
    if (known.count(name) == 0) {
      const std::string near = closest_match(name, known_list);
      throw Error(fmt::format("--provider: unknown provider \"{}\"{}",
                              name,
                              near.empty() ? std::string(" (see 'gpucost offers' for the list)")
                                           : fmt::format(" (did you mean \"{}\"?)", near)));
    }
    filters.providers.push_back(name);
  }
  for (const auto& name : options.products) {
    const auto product = parse_product(name);
    if (!product) {
      throw Error(fmt::format("--product: unknown product \"{}\" (expected pod, vm, serverless, "
                              "dedicated, training, prediction or api)",
                              name));
    }
    filters.products.push_back(*product);
  }
  filters.regions = options.regions;
  if (options.min_vram_gb && !(*options.min_vram_gb >= 0 && *options.min_vram_gb < 1e6)) {
    throw Error(
        fmt::format("--min-vram: must be a number of GB >= 0 (got {})", *options.min_vram_gb));
  }
  filters.min_vram_gb = options.min_vram_gb;
  if (options.max_price && !(*options.max_price > 0 && *options.max_price < 1e9)) {
    throw Error(
        fmt::format("--max-price: must be a positive USD amount (got {})", *options.max_price));
  }
  filters.max_price_per_hour = options.max_price;
  if (!options.mode.empty()) {
    filters.mode = parse_mode(options.mode);
    if (!filters.mode) {
      throw Error(fmt::format(
          "--mode: unknown mode \"{}\" (expected per-job, keep-alive or always-on)", options.mode));
    }
  }
  if (!options.pricing.empty()) {
    filters.pricing = parse_pricing(options.pricing);
    if (!filters.pricing) {
      throw Error(fmt::format("--pricing: unknown pricing \"{}\" (expected on-demand or spot)",
                              options.pricing));
    }
  }
  return filters;
}

void add_catalog_options(CLI::App& command, CatalogOptions& options) {
  command.add_option("--catalog", options.catalogs, "Use exactly these catalog files (repeatable)");
  command.add_option(
      "--add-offers", options.add_offers, "Merge these offers over the catalog (repeatable)");
  command.add_flag("--offline", options.offline, "Never fetch: use the cache and bundled prices");
  command.add_flag("--refresh", options.refresh, "Fetch live prices even when the cache is fresh");
  command.add_option("--max-age", options.max_age, "Oldest cache used without refreshing (6h)");
  command.add_option("--timeout",
                     options.timeout_s,
                     "Seconds per request attempt when fetching (60); a streamed AWS price list "
                     "may take longer, but not pause longer");
  command.add_option("--deadline",
                     options.deadline_s,
                     "Seconds a refresh may take in all, retries included (30); then the cache "
                     "(even stale) or bundled prices are used");
}

void check_fetch_limits(const FetchLimits& limits) {
  if (!(limits.timeout_s > 0 && limits.timeout_s <= 3600)) {
    throw Error(
        fmt::format("--timeout: must be between 0 and 3600 seconds (got {})", limits.timeout_s));
  }
  if (!(limits.deadline_s > 0 && limits.deadline_s <= 86400)) {
    throw Error(
        fmt::format("--deadline: must be between 0 and 86400 seconds (got {})", limits.deadline_s));
  }
}

CLI::Validator decimal_whole_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::size_t start = text.empty() || (text[0] != '-' && text[0] != '+') ? 0 : 1;
        if (start == text.size()) {
          return fmt::format("must be a decimal whole number (got \"{}\")", text);
        }
        for (std::size_t i = start; i < text.size(); ++i) {
          if (text[i] < '0' || text[i] > '9') {
            return fmt::format("must be a decimal whole number (got \"{}\")", text);
          }
        }
        const std::string sign = text[0] == '-' ? "-" : "";
        while (start + 1 < text.size() && text[start] == '0') {
          ++start;
        }
        const std::string digits = text.substr(start);
        constexpr std::size_t k_max_digits = 10;
        if (digits.size() > k_max_digits
            || (digits.size() == k_max_digits && digits > "1000000000")) {
          return fmt::format("must be at most 1000000000 (got \"{}\")", text);
        }
        text = sign + digits;
        return {};
      },
      "INT",
      "decimal");
}

std::filesystem::path cache_dir(const Context& context) {
  return value_or_throw(default_cache_dir(context.env));
}

std::vector<RefreshStatus> refresh_live_providers(const std::vector<std::string>& ids,
                                                  const DataSet& data,
                                                  std::int64_t now_s,
                                                  const FetchLimits& limits,
                                                  const std::filesystem::path& dir,
                                                  Context& context) {
  const auto all = make_providers();
  std::vector<const Provider*> chosen;
  for (const auto& provider : all) {
    if (std::find(ids.begin(), ids.end(), provider->id()) != ids.end()) {
      chosen.push_back(provider.get());
    }
  }
  RefreshOptions options;
  options.cache_dir = dir;
  options.now = format_iso8601(now_s);
  options.env = context.env;
  options.gpus = &data.gpus;
  options.data_dir = data.dir;
  for (const auto& provider : data.providers.all()) {
    options.display_names[provider.id] = provider.display_name;
  }
  if (context.err_is_terminal) {
    fmt::print(context.err, "gpucost: fetching prices from {}...\n", fmt::join(ids, ", "));
    options.on_done = [&context](const RefreshStatus& status) {
      if (status.ok) {
        fmt::print(context.err,
                   "gpucost: {}: {} offers in {:.1f} s\n",
                   status.id,
                   status.offers,
                   status.duration_s);
      } else {
        fmt::print(context.err, "gpucost: {}: {}\n", status.id, terminal_safe(status.error));
      }
    };
  }
  options.lock_wait_s = limits.lock_wait_s;
  options.on_lock_wait = [&context](const std::string& holder) {
    fmt::print(context.err, "gpucost: waiting: {}\n", terminal_safe(holder));
  };
  HttpOptions http;
  http.timeout_s = limits.timeout_s;
  http.deadline_s = limits.deadline_s;
  const auto set_variable = [&](std::string_view name) -> std::string {
    const auto value = context.env(std::string(name));
    return value ? *value : std::string();
  };
  http.ca_file = set_variable("CURL_CA_BUNDLE");
  if (http.ca_file.empty()) {
    http.ca_file = set_variable("SSL_CERT_FILE");
  }
  http.ca_dir = set_variable("SSL_CERT_DIR");
  // With a bounded lock wait (compare, offers...), the deadline is for the refresh in all: a
  // wait for another process's update is taken from it. catalog update waits for the lock as long
  // as it takes, and gives each provider its whole deadline.
  const auto started = std::chrono::steady_clock::now();
  const bool deadline_in_all = limits.lock_wait_s.has_value();
  return refresh_providers(
      chosen,
      [http, started, deadline_in_all] {
        HttpOptions client = http;
        if (deadline_in_all) {
          const double waited =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          client.deadline_spent_s = waited;
        }
        return make_curl_client(client);
      },
      options);
}

// Where the SHA-256 of --catalog files is remembered between runs (<cache>/digests), or empty
// when there is no cache directory (then every run hashes the files).
std::filesystem::path digest_dir(const Context& context) {
  const auto dir = default_cache_dir(context.env);
  return dir ? *dir / "digests" : std::filesystem::path();
}

namespace {

// Text from outside (provider names, regions, notes) reaches tables and messages escaped: an ESC
// or CR in a catalog can neither drive the terminal nor forge a line.
void make_terminal_safe(Offer& offer) {
  for (auto* text : {&offer.provider, &offer.name, &offer.gpu, &offer.region, &offer.notes}) {
    if (!is_terminal_safe(*text)) {
      *text = terminal_safe(*text);
    }
  }
}

// GPU specs by the names offers give, each name looked up in the database once: an open-addressing
// table of a power of two slots, hashed 8 bytes at a time. A catalog repeats a few names over 100k
// offers, and a std::unordered_map's bucket division and hashing were 5% of the 100k run.
class GpuNameCache {
public:
  explicit GpuNameCache(const GpuDatabase& gpus) : m_gpus(gpus), m_slots(16) {}

  // The spec of the GPU called `name` (gpus.find), or nullptr.
  const GpuSpec* find(const std::string& name) {
    for (std::size_t i = hash(name);; ++i) {
      Slot& slot = m_slots[i & (m_slots.size() - 1)];
      if (!slot.used) {
        slot = {true, name, m_gpus.find(name)};
        const GpuSpec* spec = slot.spec;
        if (++m_used * 2 > m_slots.size()) {
          grow();
        }
        return spec;
      }
      if (slot.name == name) {
        return slot.spec;
      }
    }
  }

private:
  struct Slot {
    bool used = false;
    std::string name;
    const GpuSpec* spec = nullptr;
  };

  // Every byte of `name`, mixed 8 at a time.
  static std::size_t hash(std::string_view name) {
    constexpr std::uint64_t k_mix = 0x9E3779B97F4A7C15U;
    std::uint64_t hash = name.size() * k_mix;
    for (std::size_t at = 0; at < name.size(); at += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, name.data() + at, std::min<std::size_t>(8, name.size() - at));
      hash = (hash ^ word) * k_mix;
      hash ^= hash >> 29;
    }
    return static_cast<std::size_t>(hash);
  }

  // Doubles the table, keeping it at most half full.
  void grow() {
    std::vector<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    for (Slot& slot : old) {
      if (!slot.used) {
        continue;
      }
      for (std::size_t i = hash(slot.name);; ++i) {
        Slot& into = m_slots[i & (m_slots.size() - 1)];
        if (!into.used) {
          into = std::move(slot);
          break;
        }
      }
    }
  }

  const GpuDatabase& m_gpus;
  std::vector<Slot> m_slots; // a power of two of them
  std::size_t m_used = 0;
};

} // namespace

Inputs load_inputs(const CatalogOptions& options,
                   Context& context,
                   const std::vector<std::string>& shown_providers,
                   const FilterOptions* shown) {
  Inputs inputs;
  inputs.now_s = value_or_throw(current_time(context.env));
  const std::string dir = value_or_throw(find_data_dir(context.env, context.executable));
  inputs.data = value_or_throw(load_data_set(dir));
  // The filters resolved early, when offers they leave out need not be kept (see common.hpp).
  std::optional<OfferFilters> early;
  if (shown != nullptr && !options.catalogs.empty() && options.add_offers.empty()
      && shown->providers.empty()) {
    try {
      early = resolve_filters(*shown, inputs.data, {}, nullptr);
    } catch (const std::exception&) {
      // The command resolves them again once the catalog is read, and says what is wrong.
    }
  }
  if (!options.catalogs.empty()) {
    // An offer is made safe before it is matched, as rank_options would see it.
    GpuNameCache specs(inputs.data.gpus);
    const auto keep = [&](Offer& offer, const OfferRead& read) {
      if (!read.printable_ascii) {
        make_terminal_safe(offer);
      }
      const GpuSpec* spec = offer.product == Product::api ? nullptr : specs.find(offer.gpu);
      return offer_matches(offer, spec, *early);
    };
    inputs.catalog = value_or_throw(load_catalog_files(options.catalogs,
                                                       PriceOrigin::file,
                                                       inputs.data.fx,
                                                       digest_dir(context),
                                                       early ? KeepOffer(keep) : KeepOffer()));
  } else {
    PriceSourcePolicy policy;
    const auto offline_env = context.env("GPUCOST_OFFLINE");
    policy.offline =
        options.offline || (offline_env && !offline_env->empty() && *offline_env != "0");
    policy.refresh = options.refresh;
    if (!options.max_age.empty()) {
      policy.max_age_s = value_or_throw(parse_duration_s(options.max_age));
    }
    if (policy.offline && policy.refresh) {
      throw Error("--offline and --refresh contradict each other: choose one");
    }
    // A command waits at most its deadline for a refresh, another process's included.
    const FetchLimits limits{options.timeout_s, options.deadline_s, options.deadline_s};
    check_fetch_limits(limits);
    policy.providers = shown_providers;
    std::vector<std::string> live_ids;
    for (const auto& provider : make_providers()) {
      live_ids.emplace_back(provider->id());
    }
    const auto dir_of_cache = cache_dir(context);
    inputs.catalog = assemble_price_sources(
        value_or_throw(load_bundled_catalog(dir, inputs.data.fx)),
        inputs.data.fx,
        live_ids,
        dir_of_cache,
        policy,
        inputs.now_s,
        [&](const std::vector<std::string>& ids) {
          return refresh_live_providers(
              ids, inputs.data, inputs.now_s, limits, dir_of_cache, context);
        },
        inputs.live);
    print_price_origins(context, inputs.live, policy.offline);
  }
  if (!options.add_offers.empty()) {
    auto added =
        value_or_throw(load_catalog_files(options.add_offers, PriceOrigin::file, inputs.data.fx));
    inputs.catalog.offers = merge_offers(std::move(inputs.catalog.offers), added.offers);
    inputs.catalog.sources.insert(
        inputs.catalog.sources.end(), added.sources.begin(), added.sources.end());
    inputs.catalog.file_sha256.insert(
        inputs.catalog.file_sha256.end(), added.file_sha256.begin(), added.file_sha256.end());
  }
  if (!early) { // the offers kept were made safe as they were read
    for (auto& offer : inputs.catalog.offers) {
      make_terminal_safe(offer);
    }
  }
  return inputs;
}

void add_wide_option(CLI::App& command, FormatOptions& options) {
  command.add_flag("--wide",
                   options.wide,
                   "Table: show every column, however wide (otherwise the least useful are "
                   "hidden or cut to fit COLUMNS or the terminal)");
}

TableStyle table_style(const Context& context, const FormatOptions& output) {
  TableStyle style;
  style.columns = 120;
  style.wide = output.wide;
  if (const auto columns = context.env("COLUMNS"); columns && !columns->empty()) {
    try {
      style.columns = std::clamp(std::stoi(*columns), k_min_table_columns, k_max_table_columns);
    } catch (const std::exception&) {
      // An unparsable COLUMNS is ignored, like ls does.
    }
  } else if (context.out_is_terminal) {
    winsize size{};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
      style.columns = std::max(k_min_table_columns, static_cast<int>(size.ws_col));
    }
  }
  const auto no_color = context.env("NO_COLOR");
  style.color = context.out_is_terminal && !(no_color && !no_color->empty());
  return style;
}

std::vector<std::string> staleness_warnings(const std::vector<CatalogSource>& sources,
                                            std::int64_t now_s) {
  std::size_t stale = 0;
  double oldest_age = 0;
  std::string oldest;
  for (const auto& source : sources) {
    const auto age = cache_age_s(source.fetched_at, now_s);
    if (age && *age > k_stale_after_s) {
      ++stale;
      if (*age > oldest_age) {
        oldest_age = *age;
        oldest = source.location;
      }
    }
  }
  if (stale == 0) {
    return {};
  }
  return {fmt::format("{} of {} price source{} older than 30 days (oldest: {}, {}); check "
                      "prices against the providers before deciding",
                      stale,
                      sources.size(),
                      sources.size() == 1 ? " is" : "s are",
                      oldest,
                      format_duration(oldest_age, DurationStyle::words))};
}

void print_price_origins(Context& context,
                         const std::vector<ProviderPriceState>& states,
                         bool offline) {
  std::map<PriceOrigin, std::vector<std::string>> by_origin;
  for (const auto& state : states) {
    std::string text = state.id;
    if (state.age_s) {
      text += " " + format_duration(*state.age_s, DurationStyle::words);
    }
    if (!state.problem.empty() && state.origin != PriceOrigin::live) {
      text += " (" + terminal_safe(state.problem) + ")";
    }
    by_origin[state.origin].push_back(text);
  }
  std::vector<std::string> parts;
  for (const auto origin :
       {PriceOrigin::live, PriceOrigin::cache, PriceOrigin::bundled, PriceOrigin::none}) {
    if (const auto it = by_origin.find(origin); it != by_origin.end()) {
      parts.push_back(fmt::format("{}: {}", to_string(origin), fmt::join(it->second, ", ")));
    }
  }
  fmt::print(
      context.err, "gpucost: prices{}: {}\n", offline ? " (offline)" : "", fmt::join(parts, "; "));
}

void print_warnings(Context& context, const std::vector<std::string>& warnings) {
  for (const auto& warning : warnings) {
    fmt::print(context.err, "gpucost: warning: {}\n", terminal_safe(warning));
  }
}

} // namespace gpucost::cli
