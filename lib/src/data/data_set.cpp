#include <gpucost/data/benchmark_file.hpp>
#include <gpucost/data/data_set.hpp>
#include <gpucost/data/gpu_file.hpp>
#include <gpucost/data/provider_file.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/file_identity.hpp>
#include <gpucost/util/file_text.hpp>
#include <gpucost/util/sha256.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <limits>
#include <optional>
#include <thread>

namespace gpucost {

namespace fs = std::filesystem;

namespace {

// Files at least this large are hashed on a second thread while they are parsed.
constexpr std::size_t k_hash_in_parallel_bytes = 1U << 20;

} // namespace

Expected<std::string> read_text_file(const std::string& path) {
  GPUCOST_TRY_ASSIGN(const auto file, FileText::open(path));
  return std::string(file.view());
}

Expected<std::string> find_data_dir(const EnvLookup& env, const std::string& executable_path) {
  if (const auto dir = env("GPUCOST_DATA_DIR"); dir && !dir->empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(fs::path(*dir) / "gpus.json", ec)) {
      return make_error(
          fmt::format("GPUCOST_DATA_DIR is \"{}\", which has no gpus.json (unset it to use the "
                      "bundled data)",
                      *dir));
    }
    return *dir;
  }
  std::vector<fs::path> candidates;
  if (!executable_path.empty()) {
    std::error_code ec;
    const fs::path exe = fs::weakly_canonical(fs::path(executable_path), ec);
    const fs::path bin = exe.parent_path();
    candidates.push_back(bin / "data");
    candidates.push_back(bin.parent_path() / "share" / "gpucost");
  }
#ifdef GPUCOST_SOURCE_DATADIR
  candidates.emplace_back(GPUCOST_SOURCE_DATADIR); // a build tree's own data beats an older install
#endif
  candidates.emplace_back(GPUCOST_INSTALL_DATADIR);
  std::string looked;
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(candidate / "gpus.json", ec)) {
      return candidate.string();
    }
    looked += (looked.empty() ? "" : ", ") + candidate.string();
  }
  return make_error(fmt::format(
      "cannot find gpucost's data directory (looked in {}); set GPUCOST_DATA_DIR", looked));
}

Expected<DataSet> load_data_set(const std::string& dir) {
  DataSet data;
  data.dir = dir;
  const std::string gpus_path = (fs::path(dir) / "gpus.json").string();
  GPUCOST_TRY_ASSIGN(const auto gpus_text, read_text_file(gpus_path));
  GPUCOST_TRY_ASSIGN(data.gpus, parse_gpu_database(gpus_text, gpus_path));

  const std::string providers_path = (fs::path(dir) / "providers.json").string();
  GPUCOST_TRY_ASSIGN(const auto providers_text, read_text_file(providers_path));
  GPUCOST_TRY_ASSIGN(data.providers, parse_provider_table(providers_text, providers_path));

  std::error_code ec;
  const std::string benchmarks_path = (fs::path(dir) / "benchmarks.json").string();
  if (fs::exists(benchmarks_path, ec)) {
    GPUCOST_TRY_ASSIGN(const auto benchmarks_text, read_text_file(benchmarks_path));
    GPUCOST_TRY_ASSIGN(data.benchmarks, parse_benchmark_table(benchmarks_text, benchmarks_path));
  }

  const std::string fx_path = (fs::path(dir) / "fx.json").string();
  if (fs::exists(fx_path, ec)) {
    GPUCOST_TRY_ASSIGN(const auto fx_text, read_text_file(fx_path));
    GPUCOST_TRY_ASSIGN(data.fx, parse_fx_rates(fx_text, fx_path));
  }
  return data;
}

namespace {

// What a file's offers come to in its CatalogSource, whether they are kept or not: how many, the
// oldest fetched_at, and the provider when they all have one.
class SourceTally {
public:
  // Counts `offer`.
  void add(const Offer& offer) {
    if (m_count == 0) {
      m_provider = offer.provider;
    } else if (m_one_provider && offer.provider != m_provider) {
      m_one_provider = false;
    }
    ++m_count;
    // Most offers of a file share one time: parse only when it differs from the previous offer's.
    if (m_count > 1 && offer.fetched_at == m_previous_time) {
      return;
    }
    m_previous_time = offer.fetched_at;
    const auto at = parse_iso8601(offer.fetched_at);
    if (at && (!m_oldest_s || *at < *m_oldest_s)) {
      m_oldest_s = at;
      m_oldest = offer.fetched_at;
    }
  }

  // Sets the count, the oldest time and the one provider of `source`.
  void fill(CatalogSource& source) const {
    source.offers = m_count;
    source.fetched_at = m_oldest;
    if (m_count > 0 && m_one_provider) {
      source.provider = m_provider;
    }
  }

private:
  std::size_t m_count = 0;
  std::string m_provider;
  bool m_one_provider = true;
  std::string m_previous_time;
  std::string m_oldest;
  std::optional<std::int64_t> m_oldest_s;
};

// Maps a file's pages on a thread of its own, at most k_ahead bytes ahead of where its reader says
// it is (reader_at), until the reader is done (the destructor): the page faults of reading a 100k
// catalog were 8% of the run, and they leave the reader's core. Never further ahead, so that with
// the reader letting go of what it has read (FileText::drop) the file is never all in memory.
class AheadOfReader {
public:
  explicit AheadOfReader(const FileText& text)
      : m_thread([this, &text] {
          const std::size_t size = text.view().size();
          for (std::size_t at = 0; at < size; at += k_chunk) {
            std::size_t reader = m_reader.load();
            while (reader != k_done && at >= reader + k_ahead) {
              m_reader.wait(reader);
              reader = m_reader.load();
            }
            if (reader == k_done) {
              return;
            }
            text.populate(at, at + k_chunk);
          }
        }) {}

  AheadOfReader(const AheadOfReader&) = delete;
  AheadOfReader& operator=(const AheadOfReader&) = delete;

  ~AheadOfReader() {
    m_reader.store(k_done);
    m_reader.notify_all();
    m_thread.join();
  }

  // The reader has read the first `read` bytes.
  void reader_at(std::size_t read) {
    m_reader.store(read);
    m_reader.notify_all();
  }

private:
  static constexpr std::size_t k_chunk = std::size_t{1} << 20;
  static constexpr std::size_t k_ahead = std::size_t{12} << 20; // the reader tells every 4 MB
  static constexpr std::size_t k_done = std::numeric_limits<std::size_t>::max();

  std::atomic<std::size_t> m_reader{0};
  std::thread m_thread; // last: it starts once the rest is made
};

} // namespace

Expected<LoadedCatalog> load_catalog_files(const std::vector<std::string>& paths,
                                           PriceOrigin origin,
                                           const std::vector<FxRate>& fx,
                                           const fs::path& digest_dir,
                                           const KeepOffer& keep) {
  LoadedCatalog catalog;
  for (const auto& path : paths) {
    // The identity before and after opening: equal, the text read is that version of the file.
    const auto before = digest_dir.empty() ? std::nullopt : file_identity(path);
    GPUCOST_TRY_ASSIGN(const auto text, FileText::open(path));
    const std::string_view view = text.view();
    std::optional<FileIdentity> identity;
    fs::path record;
    std::optional<std::string> known;
    if (before) {
      if (const auto now = file_identity(path); now && *now == *before) {
        identity = now;
        std::error_code ec;
        record = digest_dir
                 / (sha256_hex(fs::absolute(path, ec).lexically_normal().string()).substr(0, 32)
                    + ".sha256");
        known = read_digest_record(record, *identity);
      }
    }
    // Hash a large file on a second core while this one parses it: at 100k offers (44 MB) the
    // digest alone is a sixth of the whole run.
    // Both let the pages they have read go, so that the file does not stay in memory beside its
    // offers (at 1M offers, 410 MB): a page one of them drops early, the other reads again.
    std::future<std::string> digest;
    if (!known && view.size() >= k_hash_in_parallel_bytes) {
      digest = std::async(std::launch::async, [&text, view] {
        constexpr std::size_t k_chunk = std::size_t{4} << 20;
        Sha256 hash;
        for (std::size_t at = 0; at < view.size(); at += k_chunk) {
          hash.update(view.substr(at, k_chunk));
          text.drop(at, at + k_chunk);
        }
        return hash.hex();
      });
    }
    // Else map a large file's pages on a second core, ahead of the reader (AheadOfReader).
    std::optional<AheadOfReader> ahead;
    if (known && text.mapped() && view.size() >= k_hash_in_parallel_bytes) {
      ahead.emplace(text);
    }
    std::size_t dropped = 0;
    SourceTally tally; // every offer read, kept or not
    auto parsed = parse_catalog(
        view,
        path,
        fx,
        [&](std::size_t read) {
          text.drop(dropped, read);
          dropped = read;
          if (ahead) {
            ahead->reader_at(read);
          }
        },
        [&](Offer& offer, const OfferRead& read) {
          if (read.index == 0) {
            tally = SourceTally(); // read again from the start (parse_catalog)
          }
          tally.add(offer);
          return !keep || keep(offer, read);
        });
    ahead.reset();
    if (known) {
      catalog.file_sha256.push_back(std::move(*known));
    } else {
      catalog.file_sha256.push_back(digest.valid() ? digest.get() : sha256_hex(view));
      if (identity) {
        std::error_code ec;
        fs::create_directories(digest_dir, ec);
        write_digest_record(record, *identity, catalog.file_sha256.back());
      }
    }
    GPUCOST_TRY_ASSIGN(auto offers, std::move(parsed));
    CatalogSource source;
    source.origin = origin;
    source.location = path;
    tally.fill(source);
    catalog.sources.push_back(std::move(source));
    if (catalog.offers.empty()) {
      catalog.offers = std::move(offers);
    } else {
      catalog.offers.insert(catalog.offers.end(),
                            std::make_move_iterator(offers.begin()),
                            std::make_move_iterator(offers.end()));
    }
  }
  return catalog;
}

std::string catalog_sha256(const LoadedCatalog& catalog) {
  if (catalog.file_sha256.size() == 1) {
    return catalog.file_sha256.front();
  }
  std::string digests;
  for (const auto& digest : catalog.file_sha256) {
    digests += digest;
  }
  return sha256_hex(digests);
}

Expected<LoadedCatalog> load_bundled_catalog(const std::string& data_dir,
                                             const std::vector<FxRate>& fx) {
  const fs::path dir = fs::path(data_dir) / "catalog";
  std::error_code ec;
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") {
      paths.push_back(entry.path().string());
    }
  }
  if (ec) {
    return make_error(
        fmt::format("cannot read the bundled catalog in {}: {}", dir.string(), ec.message()));
  }
  std::sort(paths.begin(), paths.end());
  return load_catalog_files(paths, PriceOrigin::bundled, fx);
}

} // namespace gpucost
