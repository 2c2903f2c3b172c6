#pragma once

#include "app.hpp"

#include <gpucost/data/data_set.hpp>
#include <gpucost/model/rank.hpp>
#include <gpucost/render/render.hpp>
#include <gpucost/sources/price_sources.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost::cli {

// The output formats; each command offers some of them (add_format_options).
enum class OutputFormat { table, csv, json, markdown, github };

// The output flags a command shares: what --format chose and the spreadsheet --csv-dialect
// writes every CSV of the command for (stdout and CSV files such as simulate's --timeline).
struct FormatOptions {
  OutputFormat format = OutputFormat::table;
  render::CsvDialect csv_dialect = render::CsvDialect::rfc4180;
  bool wide = false; // --wide: the table shows every column, however wide
};

// The formats most commands offer.
inline const std::vector<OutputFormat> k_table_csv_json_markdown = {
    OutputFormat::table, OutputFormat::csv, OutputFormat::json, OutputFormat::markdown};

// Adds the shared format flag group: `--format` offering `formats` (at least one; the first is the
// default; an unknown name is a usage error listing them) and, when csv is among them,
// `--csv-dialect rfc4180|excel|excel-eu`. `help` replaces the generated --format help when given.
void add_format_options(CLI::App& command,
                        FormatOptions& options,
                        const std::vector<OutputFormat>& formats = k_table_csv_json_markdown,
                        std::string_view help = {});

// Adds `--wide` to a command whose table is fitted to the terminal: every column is shown, none
// dropped or cut.
void add_wide_option(CLI::App& command, FormatOptions& options);

// A transform for whole-number flags: the text must be decimal digits (a leading '-' or '+'
// allowed), leading zeros dropped, so "010" is 10, never octal 8, and "0x10" is refused; a
// number past 1,000,000,000 is refused with the limit named.
CLI::Validator decimal_whole_number();

// The data directory's reference data (gpus, providers, benchmarks), without any catalog.
DataSet load_reference_data(Context& context);

// Filters as typed on the command line, before names are checked.
struct FilterOptions {
  std::vector<std::string> gpus;
  std::vector<std::string> providers;
  std::vector<std::string> products;
  std::vector<std::string> regions;
  std::optional<double> min_vram_gb;
  std::optional<double> max_price;
  std::string mode;
  std::string pricing;
};

// Whether a command's filters include --mode and --pricing (those that rank priced rows).
enum class RowFilters { excluded, included };

// Adds --gpu, --provider, --product, --region, --min-vram, --max-price (and --mode, --pricing with
// RowFilters::included).
void add_filter_options(CLI::App& command, FilterOptions& options, RowFilters row_filters);

// Checks names against the data and catalog ("did you mean") and builds the filters; throws Error.
// A --gpu that is a model name or alias selects that model; otherwise it selects every model of a
// family holding its words (gpus.hpp match_family), and the models matched are named on `err`.
OfferFilters resolve_filters(const FilterOptions& options,
                             const DataSet& data,
                             const std::vector<Offer>& offers,
                             std::ostream* err = nullptr);

// Which catalog files to read.
struct CatalogOptions {
  std::vector<std::string> catalogs;   // --catalog: exactly these
  std::vector<std::string> add_offers; // --add-offers: merged over the default catalog
  bool offline = false;                // --offline (or GPUCOST_OFFLINE=1): never fetch
  bool refresh = false;                // --refresh: fetch even when the cache is fresh
  std::string max_age;                 // --max-age: how old a cache may be (default 6 h)
  double timeout_s = 60;               // --timeout: per request attempt, when fetching
  double deadline_s = 30;              // --deadline: all of a refresh, before the cache is used
};

// Adds --catalog, --add-offers, --offline, --refresh, --max-age, --timeout and --deadline.
void add_catalog_options(CLI::App& command, CatalogOptions& options);

// How long a refresh may wait: each request attempt (the stall limit of a stream), all of one
// provider's requests together, and another process's update of the cache (unset: until it ends).
struct FetchLimits {
  double timeout_s = 60;
  double deadline_s = 30;
  std::optional<double> lock_wait_s;
};

// Checks --timeout and --deadline (each more than 0 and at most 3600 s; a deadline of at most
// 86400 s); throws Error naming the flag.
void check_fetch_limits(const FetchLimits& limits);

// The live providers' refresh, as compare, offers and `catalog update` run it: concurrent, with a
// progress line per provider on a terminal; CURL_CA_BUNDLE (else SSL_CERT_FILE) and SSL_CERT_DIR
// from the context's environment choose the CA certificates.
std::vector<RefreshStatus> refresh_live_providers(const std::vector<std::string>& ids,
                                                  const DataSet& data,
                                                  std::int64_t now_s,
                                                  const FetchLimits& limits,
                                                  const std::filesystem::path& cache_dir,
                                                  Context& context);

// The cache directory for this context; throws Error when none can be found.
std::filesystem::path cache_dir(const Context& context);

// Everything a listing command reads: data, offers with provenance, and "now".
struct Inputs {
  DataSet data;
  LoadedCatalog catalog;
  std::int64_t now_s = 0;
  std::vector<ProviderPriceState> live; // per live provider, where its prices came from
};

// Loads data and the chosen catalog; throws Error with the file, line and field on bad input.
// A refresh fetches only `shown_providers` (the command's --provider; empty = every live one),
// gives up after --deadline and then uses the cache, stale or not, saying why. `shown`, if given,
// is the filters the command applies to every offer before anything else (compare's): offers of
// --catalog files they leave out are read and checked but not kept, so the catalog's sources count
// more offers than `catalog.offers` holds. Not with --add-offers (an added offer replaces the base
// offers of its key whatever the filters say) nor --provider (its check names every provider
// read), nor when the filters are wrong (the command then says so as before).
Inputs load_inputs(const CatalogOptions& options,
                   Context& context,
                   const std::vector<std::string>& shown_providers = {},
                   const FilterOptions* shown = nullptr);

// The table style for this context: width from COLUMNS or the terminal, colour only on a
// terminal without NO_COLOR, every column when `output` asked for --wide.
TableStyle table_style(const Context& context, const FormatOptions& output);

// One warning counting the sources older than the stated age (30 days) and naming the oldest.
std::vector<std::string> staleness_warnings(const std::vector<CatalogSource>& sources,
                                            std::int64_t now_s);

// Prints one stderr line saying where each live provider's prices came from and how old they are.
void print_price_origins(Context& context,
                         const std::vector<ProviderPriceState>& states,
                         bool offline);

// Prints "gpucost: warning: ..." lines to the context's error stream.
void print_warnings(Context& context, const std::vector<std::string>& warnings);

} // namespace gpucost::cli
