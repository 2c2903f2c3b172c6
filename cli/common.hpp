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
#include <string>
#include <vector>

namespace gpucost::cli {

// The output formats every listing command offers.
enum class OutputFormat { table, csv, json, markdown };

// Adds `--format table|csv|json|markdown`.
void add_format_option(CLI::App& command, OutputFormat& format);

// Adds `--csv-dialect rfc4180|excel|excel-eu` (the spreadsheet a CSV output is for).
void add_csv_dialect_option(CLI::App& command, render::CsvDialect& dialect);

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

// Adds --gpu, --provider, --product, --region, --min-vram, --max-price (and --mode, --pricing when
// `with_modes`).
void add_filter_options(CLI::App& command, FilterOptions& options, bool with_modes);

// Checks names against the data and catalog ("did you mean") and builds the filters; throws Error.
OfferFilters resolve_filters(const FilterOptions& options,
                             const DataSet& data,
                             const std::vector<Offer>& offers);

// Which catalog files to read.
struct CatalogOptions {
  std::vector<std::string> catalogs;   // --catalog: exactly these
  std::vector<std::string> add_offers; // --add-offers: merged over the default catalog
  bool offline = false;                // --offline (or GPUCOST_OFFLINE=1): never fetch
  bool refresh = false;                // --refresh: fetch even when the cache is fresh
  std::string max_age = "6h";          // --max-age: how old a cache may be and still be used
  double timeout_s = 60;               // --timeout: per request, when fetching
};

// Adds --catalog, --add-offers, --offline, --refresh, --max-age and --timeout.
void add_catalog_options(CLI::App& command, CatalogOptions& options);

// The live providers' refresh, as compare, offers and `catalog update` run it: concurrent, with a
// progress line per provider on a terminal.
std::vector<RefreshStatus> refresh_live_providers(const std::vector<std::string>& ids,
                                                  const DataSet& data,
                                                  std::int64_t now_s,
                                                  double timeout_s,
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
Inputs load_inputs(const CatalogOptions& options, Context& context);

// The table style for this context: width from COLUMNS or the terminal, colour only on a
// terminal without NO_COLOR.
TableStyle table_style(const Context& context);

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
