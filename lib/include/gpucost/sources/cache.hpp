#pragma once

#include <gpucost/data/catalog.hpp>
#include <gpucost/model/offer.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/error.hpp>
#include <gpucost/util/time.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gpucost {

// The price cache directory: $GPUCOST_CACHE_DIR when set (tests and scripts pin it), else
// $XDG_CACHE_HOME/gpucost when XDG_CACHE_HOME is an absolute path, else $HOME/.cache/gpucost;
// fails when none of them is usable.
Expected<std::filesystem::path> default_cache_dir(const EnvLookup& env);

// Whether `provider_id` is usable as a cache file name: non-empty, only a-z, 0-9, '-' and '_'.
bool is_valid_provider_id(std::string_view provider_id);

// Where the last good prices of a provider live: `<dir>/<provider_id>.json`.
std::filesystem::path provider_cache_path(const std::filesystem::path& dir,
                                          std::string_view provider_id);

// Where the outcome of the last fetch attempt lives: `<dir>/<provider_id>.status.json`.
std::filesystem::path provider_status_path(const std::filesystem::path& dir,
                                           std::string_view provider_id);

// Replaces `target` with `contents` atomically: writes a uniquely named temporary file in the same
// directory (created if missing), fsyncs it, renames it over `target` and fsyncs the directory;
// on failure `target` is untouched, the temporary file is removed and the error names `target`.
// Returns `target`.
Expected<std::filesystem::path> write_file_atomic(const std::filesystem::path& target,
                                                  std::string_view contents);

// The offers of a fetch that the cache reader (parse_catalog) will read back, text fields made
// valid UTF-8 (bad bytes become U+FFFD); each offer it would refuse (a count past 2^31, a memory
// size that rounds to 0, a price that overflowed) is dropped and its reason appended to
// `rejections`.
std::vector<Offer> readable_offers(std::vector<Offer> offers, std::vector<std::string>& rejections);

// Removes the temporary files (".NAME.tmp.PID.RANDOM") that writes of processes no longer running
// left in `dir` (a kill -9, a crash); returns how many. Another live process's are left alone.
std::size_t remove_stale_temporaries(const std::filesystem::path& dir);

// One refresh at a time per cache directory: holds an exclusive flock on `<dir>/.update.lock`
// (creating the directory), waiting while another process holds it (at most `wait_s` seconds when
// given), and writes its process id into the file; released when destroyed. Best effort: when the
// lock file cannot be opened, nothing is locked and held() is true.
class CacheLock {
public:
  explicit CacheLock(const std::filesystem::path& dir, std::optional<double> wait_s = std::nullopt);
  ~CacheLock();
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;

  // Whether the lock was taken (false only when wait_s passed first).
  bool held() const { return m_held; }
  // When not held: "another gpucost (process 123) is updating DIR" (the id from the lock file).
  std::string holder() const { return m_holder; }

private:
  int m_fd = -1;
  bool m_held = true;
  std::string m_holder;
};

// One provider's cached catalog as read back.
struct ProviderCache {
  std::filesystem::path path; // the file read
  std::string text;       // the whole file: a catalog (docs/catalog-format.md) parse_catalog reads
  std::string provider;   // "provider" field, equal to the id asked for
  std::string fetched_at; // ISO 8601 UTC time of the fetch
  std::string source_url; // endpoint the prices came from, without secrets
  std::string content_sha256; // SHA-256 hex of the compact dump of the offers array
  nlohmann::json offers;      // the "offers" array, rows as written by offer_to_json
};

// Writes `<dir>/<provider_id>.json` atomically: a catalog (schema "gpucost/catalog",
// schemaVersion 1) with "provider", "fetched_at", "source_url" (query secrets redacted) and
// "content_sha256" (sha256_hex of offers_to_json(offers).dump()) before "offers"; fails on an
// invalid id, an I/O error, or a text parse_catalog would refuse to read back, leaving any
// previous file intact. Returns the path written.
Expected<std::filesystem::path> write_provider_cache(const std::filesystem::path& dir,
                                                     std::string_view provider_id,
                                                     const std::vector<Offer>& offers,
                                                     std::string_view fetched_at,
                                                     std::string_view source_url);

// Reads `<dir>/<provider_id>.json`; fails, naming the file, when it is missing, not JSON, not a
// catalog of a version this program reads, for another provider, or when content_sha256 does not
// match the offers (the file was damaged or edited).
Expected<ProviderCache> read_provider_cache(const std::filesystem::path& dir,
                                            std::string_view provider_id);

// One provider's cached catalog, read for use: its offers and what identifies the file.
struct CachedCatalog {
  std::filesystem::path path; // the file read
  std::string fetched_at;     // ISO 8601 UTC time of the fetch
  std::string source_url;     // endpoint the prices came from, without secrets
  std::vector<Offer> offers;  // as parse_catalog reads the file
  std::string file_sha256;    // SHA-256 hex of the whole file
};

// Reads `<dir>/<provider_id>.json` for use: the same checks and messages as
// read_provider_cache, then the offers as parse_catalog reads them (its messages on failure).
// The file is read once, with the one-pass reader; content_sha256 is checked over the offers'
// bytes with JSON whitespace left out (what the compact dump hashed is the file's indented text
// without its indentation). Only a file that this does not settle (not what write_provider_cache
// writes, or a mismatch) is read again through read_provider_cache, for its verdict and message.
Expected<CachedCatalog> read_provider_catalog(const std::filesystem::path& dir,
                                              std::string_view provider_id,
                                              const std::vector<FxRate>& fx);

// The outcome of the last fetch attempt of one provider (`<id>.status.json`).
struct CacheStatus {
  std::string provider;              // provider id
  std::string attempted_at;          // ISO 8601 UTC time of the attempt
  bool ok = false;                   // whether fresh prices were written to `<id>.json`
  bool skipped = false;              // not attempted, e.g. its API key is not set
  std::string error;                 // why it failed or was skipped, redacted; empty when ok
  std::size_t offers = 0;            // offers written when ok
  std::vector<std::string> warnings; // the fetch's warnings, redacted
  double duration_s = 0;             // wall time of the attempt, seconds
};

// Writes `<dir>/<status.provider>.status.json` atomically; the caller has already redacted the
// text fields. Returns the path written.
Expected<std::filesystem::path> write_provider_status(const std::filesystem::path& dir,
                                                      const CacheStatus& status);

// Reads `<dir>/<provider_id>.status.json`; fails, naming the file, when it is missing or malformed.
Expected<CacheStatus> read_provider_status(const std::filesystem::path& dir,
                                           std::string_view provider_id);

} // namespace gpucost
