#pragma once

#include <gpucost/data/catalog.hpp>
#include <gpucost/model/benchmark.hpp>
#include <gpucost/model/compare_result.hpp>
#include <gpucost/model/gpu.hpp>
#include <gpucost/model/provider_info.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/error.hpp>
#include <gpucost/util/time.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace gpucost {

// The bundled reference data: GPUs, provider facts, benchmarks and exchange rates.
struct DataSet {
  std::string dir; // the data directory they were read from
  GpuDatabase gpus;
  ProviderTable providers;
  BenchmarkTable benchmarks; // empty when the directory has no benchmarks.json
  std::vector<FxRate> fx;
};

// Offers and where they came from.
struct LoadedCatalog {
  std::vector<Offer> offers;            // each source's offers, source after source
  std::vector<CatalogSource> sources;   // their `offers` counts add up to offers.size(), unless
                                        // load_catalog_files was given a `keep` that left some out
  std::vector<std::string> file_sha256; // hex SHA-256 of each file read, in order
};

// The catalog's identity: the SHA-256 of the one file read (what `sha256sum` prints), or of the
// concatenated hex digests of several files in order.
std::string catalog_sha256(const LoadedCatalog& catalog);

// Reads a whole file; fails with "cannot read PATH: REASON".
Expected<std::string> read_text_file(const std::string& path);

// Finds the data directory: $GPUCOST_DATA_DIR, else `data/` next to the executable, else
// `../share/gpucost` relative to it, else the source tree it was built from, else the install
// prefix; fails naming the places it looked.
Expected<std::string> find_data_dir(const EnvLookup& env, const std::string& executable_path);

// Reads gpus.json, providers.json, benchmarks.json and fx.json (the last two when present) from
// `dir`.
Expected<DataSet> load_data_set(const std::string& dir);

// Reads catalog files; `origin` (file, bundled, cache) is recorded in each source. Each
// file's SHA-256 goes into `file_sha256`; when `digest_dir` is not empty, a digest record there
// (util/file_identity.hpp, one per file path, the directory created when missing) spares hashing
// a file whose identity (inode, size, mtime, ctime) is that of the last run. `keep`, if given,
// decides which offers are kept (parse_catalog): the sources still count, date and name every
// offer read, so `offers` then holds fewer than the sources count.
Expected<LoadedCatalog> load_catalog_files(const std::vector<std::string>& paths,
                                           PriceOrigin origin,
                                           const std::vector<FxRate>& fx,
                                           const std::filesystem::path& digest_dir = {},
                                           const KeepOffer& keep = {});

// The bundled catalog: every *.json in `data_dir`/catalog, in name order.
Expected<LoadedCatalog> load_bundled_catalog(const std::string& data_dir,
                                             const std::vector<FxRate>& fx);

} // namespace gpucost
