#include <gpucost/data/catalog.hpp>
#include <gpucost/data/catalog_fast.hpp>
#include <gpucost/data/json_util.hpp>
#include <gpucost/data/offer_json.hpp>
#include <gpucost/sources/cache.hpp>
#include <gpucost/util/clock.hpp>
#include <gpucost/util/file_identity.hpp>
#include <gpucost/util/file_text.hpp>
#include <gpucost/util/redact.hpp>
#include <gpucost/util/sha256.hpp>
#include <gpucost/util/temp_cleanup.hpp>
#include <gpucost/util/text_safety.hpp>

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <optional>
#include <random>
#include <signal.h>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace gpucost {

namespace {

constexpr std::string_view k_catalog_schema = "gpucost/catalog";
constexpr std::string_view k_status_schema = "gpucost/cache-status";
constexpr int k_schema_version = 1;

// strerror text with a lower-case first letter, as every message here is.
std::string error_text(int error_number) {
  std::string text = std::strerror(error_number);
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

// Unique among processes (pid) and among threads and calls of one process (random).
std::string temporary_name(const std::filesystem::path& target) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format(".{}.tmp.{}.{:016x}", target.filename().string(), getpid(), generator());
}

bool write_all(int fd, std::string_view contents) {
  while (!contents.empty()) {
    const ssize_t written = ::write(fd, contents.data(), contents.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    contents.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

Expected<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return make_error(fmt::format("{}: cannot open: {}", path.string(), error_text(errno)));
  }
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) {
    return make_error(fmt::format("{}: cannot read: {}", path.string(), error_text(errno)));
  }
  return text.str();
}

Unexpected invalid_id(std::string_view provider_id) {
  return make_error(
      fmt::format("invalid provider id \"{}\" (expected lower-case letters, digits, '-' and '_')",
                  provider_id));
}

std::string string_field(const nlohmann::ordered_json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_field(const nlohmann::ordered_json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// Files at least this large have their SHA-256 computed on a second thread while they are read.
constexpr std::size_t k_hash_in_parallel_bytes = 1U << 20;

// SHA-256 hex of `json` with the whitespace outside its strings left out: for text that nlohmann
// wrote with dump(2), the digest of what dump() writes.
std::string compact_json_sha256(std::string_view json) {
  Sha256 digest;
  std::array<char, 1U << 16> buffer{};
  std::size_t used = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : json) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    } else if (c == '"') {
      in_string = true;
    }
    buffer[used++] = c;
    if (used == buffer.size()) {
      digest.update(std::string_view(buffer.data(), used));
      used = 0;
    }
  }
  digest.update(std::string_view(buffer.data(), used));
  return digest.hex();
}

// `<dir>/.<id>.verified`: one line saying that the cache file with this identity passed its
// content_sha256 check, and its SHA-256. Hidden and not .json, so no listing of caches sees it.
std::filesystem::path verified_record_path(const std::filesystem::path& dir,
                                           std::string_view provider_id) {
  return dir / fmt::format(".{}.verified", provider_id);
}

// The pid in a temporary name ".NAME.tmp.PID.RANDOM", or 0 when `name` is not one.
pid_t temporary_owner(const std::string& name) {
  if (name.empty() || name.front() != '.') {
    return 0;
  }
  const auto tmp = name.rfind(".tmp.");
  if (tmp == std::string::npos) {
    return 0;
  }
  const auto dot = name.find('.', tmp + 5);
  if (dot == std::string::npos || dot == tmp + 5) {
    return 0;
  }
  pid_t pid = 0;
  for (std::size_t i = tmp + 5; i < dot; ++i) {
    if (name[i] < '0' || name[i] > '9' || pid > 10000000) {
      return 0;
    }
    pid = pid * 10 + (name[i] - '0');
  }
  return pid;
}

} // namespace

std::size_t remove_stale_temporaries(const std::filesystem::path& dir) {
  std::size_t removed = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const pid_t owner = temporary_owner(it->path().filename().string());
    if (owner <= 0 || owner == getpid()) {
      continue;
    }
    if (::kill(owner, 0) != 0 && errno == ESRCH) {
      std::error_code remove_error;
      if (std::filesystem::remove(it->path(), remove_error)) {
        ++removed;
      }
    }
  }
  return removed;
}

CacheLock::CacheLock(const std::filesystem::path& dir, std::optional<double> wait_s) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto path = dir / ".update.lock";
  m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (m_fd < 0) {
    return;
  }
  if (!wait_s) {
    while (::flock(m_fd, LOCK_EX) != 0 && errno == EINTR) {
    }
  } else {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(*wait_s);
    while (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        return; // cannot lock at all: best effort, as when the file cannot be opened
      }
      if (std::chrono::steady_clock::now() >= until) {
        char text[32] = {};
        const ssize_t got = ::pread(m_fd, text, sizeof text - 1, 0);
        const std::string pid = got > 0 ? std::string(text, static_cast<std::size_t>(got)) : "";
        m_holder =
            fmt::format("another gpucost{} is updating {}",
                        pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos
                            ? std::string()
                            : fmt::format(" (process {})", pid),
                        dir.string());
        m_held = false;
        ::close(m_fd);
        m_fd = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(m_fd, 0) == 0) {
    static_cast<void>(::pwrite(m_fd, pid.data(), pid.size(), 0));
  }
}

CacheLock::~CacheLock() {
  if (m_fd >= 0) {
    ::close(m_fd); // releases the lock
  }
}

std::vector<Offer> readable_offers(std::vector<Offer> offers,
                                   std::vector<std::string>& rejections) {
  for (auto& offer : offers) {
    for (auto* text : {&offer.provider,
                       &offer.name,
                       &offer.gpu,
                       &offer.region,
                       &offer.source,
                       &offer.fetched_at,
                       &offer.notes}) {
      *text = valid_utf8(*text);
    }
  }
  if (parse_catalog(serialize_catalog(offers), "fetched prices", {})) {
    return offers;
  }
  std::vector<Offer> kept;
  kept.reserve(offers.size());
  for (auto& offer : offers) {
    auto read_back = parse_catalog(serialize_catalog({offer}), "fetched prices", {});
    if (read_back && read_back->size() == 1) {
      kept.push_back(std::move(offer));
    } else {
      rejections.push_back(read_back ? std::string("not read back as one offer")
                                     : read_back.error().message);
    }
  }
  return kept;
}

Expected<std::filesystem::path> default_cache_dir(const EnvLookup& env) {
  if (const auto dir = env("GPUCOST_CACHE_DIR"); dir && !dir->empty()) {
    return std::filesystem::path(*dir);
  }
  // The XDG base directory spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  if (const auto xdg = env("XDG_CACHE_HOME"); xdg && !xdg->empty() && xdg->front() == '/') {
    return std::filesystem::path(*xdg) / "gpucost";
  }
  if (const auto home = env("HOME"); home && !home->empty()) {
    return std::filesystem::path(*home) / ".cache" / "gpucost";
  }
  return make_error(
      "cannot find a cache directory: HOME is not set (set XDG_CACHE_HOME or GPUCOST_CACHE_DIR)");
}

bool is_valid_provider_id(std::string_view provider_id) {
  if (provider_id.empty()) {
    return false;
  }
  for (const char c : provider_id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

std::filesystem::path provider_cache_path(const std::filesystem::path& dir,
                                          std::string_view provider_id) {
  return dir / fmt::format("{}.json", provider_id);
}

std::filesystem::path provider_status_path(const std::filesystem::path& dir,
                                           std::string_view provider_id) {
  return dir / fmt::format("{}.status.json", provider_id);
}

Expected<std::filesystem::path> write_file_atomic(const std::filesystem::path& target,
                                                  std::string_view contents) {
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return make_error(
        fmt::format("{}: cannot create directory: {}", dir.string(), error_text(ec.value())));
  }

  const auto temporary = dir / temporary_name(target);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return make_error(fmt::format("{}: cannot write: {}", target.string(), error_text(errno)));
  }
  // Removed if the process is interrupted before the rename (install_temporary_cleanup).
  const int slot = register_temporary(temporary.c_str());
  struct Unregister {
    int index;
    ~Unregister() { unregister_temporary(index); }
  } const unregister{slot};
  const auto fail = [&](int error_number) -> Unexpected {
    ::unlink(temporary.c_str());
    return make_error(
        fmt::format("{}: cannot write: {}", target.string(), error_text(error_number)));
  };
  if (!write_all(fd, contents) || ::fsync(fd) != 0) {
    const int error_number = errno;
    ::close(fd);
    return fail(error_number);
  }
  if (::close(fd) != 0) {
    return fail(errno);
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    return fail(errno);
  }
  // Make the rename itself durable. Best effort: the new file is already in place, and some file
  // systems refuse fsync on a directory.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return target;
}

Expected<std::filesystem::path> write_provider_cache(const std::filesystem::path& dir,
                                                     std::string_view provider_id,
                                                     const std::vector<Offer>& offers,
                                                     std::string_view fetched_at,
                                                     std::string_view source_url) {
  if (!is_valid_provider_id(provider_id)) {
    return invalid_id(provider_id);
  }
  auto offers_json = offers_to_json(offers);
  nlohmann::ordered_json catalog;
  catalog["schema"] = k_catalog_schema;
  catalog["schemaVersion"] = k_schema_version;
  catalog["provider"] = provider_id;
  catalog["fetched_at"] = fetched_at;
  catalog["source_url"] = redact_url(source_url);
  const auto replace = nlohmann::ordered_json::error_handler_t::replace;
  catalog["content_sha256"] = sha256_hex(offers_json.dump(-1, ' ', false, replace));
  catalog["offers"] = std::move(offers_json);
  const auto path = provider_cache_path(dir, provider_id);
  const std::string text = catalog.dump(2, ' ', false, replace) + "\n";
  // The file is read back by parse_catalog: what it would refuse never replaces a good cache.
  if (auto read_back = parse_catalog(text, path.string(), {}); !read_back) {
    return make_error(fmt::format("the fetched prices would not read back ({}); the cache is kept",
                                  read_back.error().message));
  }
  return write_file_atomic(path, text);
}

Expected<ProviderCache> read_provider_cache(const std::filesystem::path& dir,
                                            std::string_view provider_id) {
  if (!is_valid_provider_id(provider_id)) {
    return invalid_id(provider_id);
  }
  ProviderCache cache;
  cache.path = provider_cache_path(dir, provider_id);
  std::error_code ec;
  if (!std::filesystem::exists(cache.path, ec)) {
    return make_error(fmt::format("{}: no cached prices (the provider has not been fetched yet)",
                                  cache.path.string()));
  }
  GPUCOST_TRY_ASSIGN(cache.text, read_text(cache.path));

  const auto where = cache.path.string();
  if (find_excess_json_depth(cache.text)) {
    return make_error(fmt::format(
        "{}: nested deeper than {} levels (damaged cache file)", where, k_max_json_depth));
  }
  // Parsed in file order so that dumping the offers again reproduces what was hashed.
  const auto catalog = nlohmann::ordered_json::parse(cache.text, nullptr, false);
  if (catalog.is_discarded() || !catalog.is_object()) {
    return make_error(fmt::format("{}: not a JSON object (damaged cache file)", where));
  }
  if (string_field(catalog, "schema") != k_catalog_schema) {
    return make_error(fmt::format("{}: schema is not \"{}\"", where, k_catalog_schema));
  }
  const auto version = catalog.find("schemaVersion");
  if (version == catalog.end() || !version->is_number_integer()) {
    return make_error(fmt::format("{}: missing integer \"schemaVersion\"", where));
  }
  if (version->get<std::int64_t>() > k_schema_version) {
    return make_error(fmt::format("{}: schemaVersion {} is newer than this gpucost reads ({})",
                                  where,
                                  version->get<std::int64_t>(),
                                  k_schema_version));
  }
  cache.provider = string_field(catalog, "provider");
  if (cache.provider != provider_id) {
    return make_error(fmt::format(
        "{}: holds prices of provider \"{}\", not \"{}\"", where, cache.provider, provider_id));
  }
  cache.fetched_at = string_field(catalog, "fetched_at");
  cache.source_url = string_field(catalog, "source_url");
  cache.content_sha256 = string_field(catalog, "content_sha256");
  const auto offers = catalog.find("offers");
  if (offers == catalog.end() || !offers->is_array()) {
    return make_error(fmt::format("{}: missing array \"offers\"", where));
  }
  if (const auto actual = sha256_hex(offers->dump()); actual != cache.content_sha256) {
    return make_error(fmt::format(
        "{}: content_sha256 does not match the offers (the file was damaged or edited)", where));
  }
  cache.offers = nlohmann::json(*offers);
  return cache;
}

Expected<CachedCatalog> read_provider_catalog(const std::filesystem::path& dir,
                                              std::string_view provider_id,
                                              const std::vector<FxRate>& fx) {
  if (!is_valid_provider_id(provider_id)) {
    return invalid_id(provider_id);
  }
  CachedCatalog catalog;
  catalog.path = provider_cache_path(dir, provider_id);
  const auto before = file_identity(catalog.path);
  auto text = FileText::open(catalog.path.string());
  if (text) {
    const std::string_view view = text->view();
    // The same file (same inode, size, mtime and ctime, seen before and after it was opened) as
    // the one a record says was checked: its hashes are known.
    const auto now = file_identity(catalog.path);
    std::optional<std::string> known_sha256;
    if (before && now && *before == *now) {
      known_sha256 = read_digest_record(verified_record_path(dir, provider_id), *now);
    }
    std::future<std::string> file_digest;
    if (!known_sha256 && view.size() >= k_hash_in_parallel_bytes) {
      file_digest = std::async(std::launch::async, [view] { return sha256_hex(view); });
    }
    CatalogEnvelope envelope;
    auto offers = parse_catalog_fast(view, fx, &envelope);
    // Escaped text in a field is left to the DOM, which decodes it.
    const auto plain = [](std::string_view field) {
      return field.find('\\') == std::string_view::npos;
    };
    const bool settled =
        offers && envelope.provider == provider_id && plain(envelope.fetched_at)
        && plain(envelope.source_url)
        && (known_sha256 || envelope.content_sha256 == compact_json_sha256(envelope.offers_text));
    std::string file_sha256 = file_digest.valid() ? file_digest.get() : std::string();
    if (settled) {
      catalog.fetched_at.assign(envelope.fetched_at);
      catalog.source_url.assign(envelope.source_url);
      catalog.offers = std::move(*offers);
      if (known_sha256) {
        catalog.file_sha256 = std::move(*known_sha256);
      } else {
        catalog.file_sha256 = file_sha256.empty() ? sha256_hex(view) : std::move(file_sha256);
        if (before && now && *before == *now) {
          write_digest_record(verified_record_path(dir, provider_id), *now, catalog.file_sha256);
        }
      }
      return catalog;
    }
  }
  // The slow path: the DOM read says what is wrong, or accepts what the checks above did not
  // settle (a file written some other way whose compact dump still matches).
  GPUCOST_TRY_ASSIGN(auto cache, read_provider_cache(dir, provider_id));
  GPUCOST_TRY_ASSIGN(catalog.offers, parse_catalog(cache.text, cache.path.string(), fx));
  catalog.fetched_at = std::move(cache.fetched_at);
  catalog.source_url = std::move(cache.source_url);
  catalog.file_sha256 = sha256_hex(cache.text);
  return catalog;
}

Expected<std::filesystem::path> write_provider_status(const std::filesystem::path& dir,
                                                      const CacheStatus& status) {
  if (!is_valid_provider_id(status.provider)) {
    return invalid_id(status.provider);
  }
  nlohmann::ordered_json json;
  json["schema"] = k_status_schema;
  json["schemaVersion"] = k_schema_version;
  json["provider"] = status.provider;
  json["attempted_at"] = status.attempted_at;
  json["ok"] = status.ok;
  json["skipped"] = status.skipped;
  json["error"] =
      status.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(status.error);
  json["offers"] = status.offers;
  json["warnings"] = status.warnings;
  json["duration_s"] = status.duration_s;
  return write_file_atomic(
      provider_status_path(dir, status.provider),
      json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
}

Expected<CacheStatus> read_provider_status(const std::filesystem::path& dir,
                                           std::string_view provider_id) {
  if (!is_valid_provider_id(provider_id)) {
    return invalid_id(provider_id);
  }
  const auto path = provider_status_path(dir, provider_id);
  GPUCOST_TRY_ASSIGN(const auto text, read_text(path));
  const auto json = find_excess_json_depth(text)
                        ? nlohmann::ordered_json(nlohmann::ordered_json::value_t::discarded)
                        : nlohmann::ordered_json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || string_field(json, "schema") != k_status_schema) {
    return make_error(fmt::format("{}: not a gpucost status file", path.string()));
  }
  CacheStatus status;
  status.provider = string_field(json, "provider");
  status.attempted_at = string_field(json, "attempted_at");
  status.error = string_field(json, "error");
  status.ok = bool_field(json, "ok");
  status.skipped = bool_field(json, "skipped");
  if (const auto it = json.find("offers"); it != json.end() && it->is_number_unsigned()) {
    status.offers = it->get<std::size_t>();
  }
  if (const auto it = json.find("duration_s"); it != json.end() && it->is_number()) {
    status.duration_s = it->get<double>();
  }
  if (const auto it = json.find("warnings"); it != json.end() && it->is_array()) {
    for (const auto& warning : *it) {
      if (warning.is_string()) {
        status.warnings.push_back(warning.get<std::string>());
      }
    }
  }
  if (status.provider != provider_id) {
    return make_error(fmt::format(
        "{}: is for provider \"{}\", not \"{}\"", path.string(), status.provider, provider_id));
  }
  return status;
}

} // namespace gpucost
