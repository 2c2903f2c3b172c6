#pragma once

#include "app.hpp"

#include <gpucost/compare.hpp>
#include <gpucost/data_set.hpp>
#include <gpucost/render.hpp>

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpucost::cli {

// The output formats every listing command offers.
enum class OutputFormat { table, csv, json, markdown };

// Adds `--format table|csv|json|markdown`.
void add_format_option(CLI::App& command, OutputFormat& format);

// Filters as typed on the command line, before names are checked.
struct FilterOptions
{
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
struct CatalogOptions
{
  std::vector<std::string> catalogs;   // --catalog: exactly these
  std::vector<std::string> add_offers; // --add-offers: merged over the default catalog
};

// Adds --catalog and --add-offers.
void add_catalog_options(CLI::App& command, CatalogOptions& options);

// Everything a listing command reads: data, offers with provenance, and "now".
struct Inputs
{
  DataSet data;
  LoadedCatalog catalog;
  std::int64_t now_s = 0;
};

// Loads data and the chosen catalog; throws Error with the file, line and field on bad input.
Inputs load_inputs(const CatalogOptions& options, Context& context);

// The table style for this context: width from COLUMNS or the terminal, colour only on a
// terminal without NO_COLOR.
TableStyle table_style(const Context& context);

// One warning counting the sources older than the stated age (30 days) and naming the oldest.
std::vector<std::string> staleness_warnings(const std::vector<CatalogSource>& sources,
                                            std::int64_t now_s);

// Prints "gpucost: warning: ..." lines to the context's error stream.
void print_warnings(Context& context, const std::vector<std::string>& warnings);

} // namespace gpucost::cli
