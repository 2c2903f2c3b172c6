#include <gpucost/util/file_identity.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace gpucost {

namespace {

constexpr std::string_view k_tag = "gpucost-verified-1";
constexpr std::int64_t k_racy_ns = 2'000'000'000;

std::int64_t nanoseconds(const timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::string record_line(const FileIdentity& identity, std::string_view sha256_hex) {
  return fmt::format("{} {} {} {} {} {} {}\n",
                     k_tag,
                     identity.device,
                     identity.inode,
                     identity.size,
                     identity.mtime_ns,
                     identity.ctime_ns,
                     sha256_hex);
}

} // namespace

std::optional<FileIdentity> file_identity(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return std::nullopt;
  }
  return FileIdentity{static_cast<std::uint64_t>(info.st_dev),
                      static_cast<std::uint64_t>(info.st_ino),
                      static_cast<std::uint64_t>(info.st_size),
                      nanoseconds(info.st_mtim),
                      nanoseconds(info.st_ctim)};
}

std::optional<std::string> read_digest_record(const std::filesystem::path& record,
                                              const FileIdentity& identity) {
  std::ifstream in(record, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) {
    return std::nullopt;
  }
  line += '\n';
  if (line.size() < 65) {
    return std::nullopt;
  }
  std::string digest = line.substr(line.size() - 65, 64);
  if (digest.find_first_not_of("0123456789abcdef") != std::string::npos
      || line != record_line(identity, digest)) {
    return std::nullopt;
  }
  return digest;
}

void write_digest_record(const std::filesystem::path& record,
                         const FileIdentity& identity,
                         std::string_view sha256_hex) {
  timespec now{};
  if (::clock_gettime(CLOCK_REALTIME, &now) != 0
      || nanoseconds(now) - identity.ctime_ns < k_racy_ns) {
    return;
  }
  thread_local std::mt19937_64 generator{std::random_device{}()};
  const auto temporary =
      record.parent_path()
      / fmt::format(".{}.tmp.{}.{:016x}", record.filename().string(), getpid(), generator());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return;
  }
  const std::string line = record_line(identity, sha256_hex);
  bool written = true;
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t count = ::write(fd, rest.data(), rest.size());
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count <= 0) {
      written = false;
      break;
    }
    rest.remove_prefix(static_cast<std::size_t>(count));
  }
  if (::close(fd) != 0 || !written || ::rename(temporary.c_str(), record.c_str()) != 0) {
    ::unlink(temporary.c_str());
  }
}

} // namespace gpucost
