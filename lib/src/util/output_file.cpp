#include <gpucost/util/output_file.hpp>
#include <gpucost/util/temp_cleanup.hpp>

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace gpucost {

namespace {

constexpr int k_max_symlinks = 40; // as the kernel's ELOOP limit

std::string error_text(int error_number) {
  std::string text = std::strerror(error_number);
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// `path` with every symbolic link in its last component followed (a dangling link gives the path
// it points to, which will be created); fails on a loop.
Expected<std::string> follow_links(const std::string& path) {
  std::string current = path;
  for (int hops = 0; hops < k_max_symlinks; ++hops) {
    struct stat status {};
    if (::lstat(current.c_str(), &status) != 0 || !S_ISLNK(status.st_mode)) {
      return current;
    }
    std::string target(static_cast<std::size_t>(status.st_size) + 256, '\0');
    const ssize_t length = ::readlink(current.c_str(), target.data(), target.size());
    if (length < 0) {
      return make_error(error_text(errno));
    }
    target.resize(static_cast<std::size_t>(length));
    if (!target.empty() && target.front() != '/') {
      target = directory_of(current) + "/" + target;
    }
    current = std::move(target);
  }
  return make_error("too many levels of symbolic links");
}

std::string temporary_name(const std::string& target) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return fmt::format(
      "{}/.{}.tmp.{}.{:016x}", directory_of(target), base_name_of(target), getpid(), generator());
}

// Writes a new file beside `target` and renames it over `target`; `existing` is the target's
// status when it is a regular file already (its mode and owner are kept), else nullptr.
Status replace_regular(const std::string& shown,
                       const std::string& target,
                       const struct stat* existing,
                       std::string_view contents) {
  const auto failure = [&](int error_number) {
    return make_error(fmt::format("cannot write {}: {}", shown, error_text(error_number)));
  };
  const std::string temporary = temporary_name(target);
  const mode_t create_mode = existing != nullptr ? 0600 : 0666;
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, create_mode);
  if (fd < 0) {
    return failure(errno);
  }
  const int slot = register_temporary(temporary.c_str());
  struct Unregister {
    int index;
    ~Unregister() { unregister_temporary(index); }
  } const unregister{slot};
  const auto fail = [&](int error_number) {
    ::close(fd);
    ::unlink(temporary.c_str());
    return failure(error_number);
  };
  if (existing != nullptr) {
    if (::fchown(fd, existing->st_uid, existing->st_gid) != 0) {
      // Best effort: only root may give a file away; the mode is what matters.
    }
    if (::fchmod(fd, existing->st_mode & 07777) != 0) {
      return fail(errno);
    }
  }
  if (!write_all_to_fd(fd, contents) || ::fsync(fd) != 0) {
    return fail(errno);
  }
  if (::close(fd) != 0) {
    const int error_number = errno;
    ::unlink(temporary.c_str());
    return failure(error_number);
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    const int error_number = errno;
    ::unlink(temporary.c_str());
    return failure(error_number);
  }
  return Ok{};
}

} // namespace

bool write_all_to_fd(int fd, std::string_view contents) {
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

Status write_output_file(const std::string& path, std::string_view contents) {
  const auto failure = [&](const std::string& reason) {
    return make_error(fmt::format("cannot write {}: {}", path, reason));
  };
  if (path.empty()) {
    return make_error("cannot write an output file with an empty name");
  }
  if (path.back() == '/') {
    return failure("it names a directory");
  }
  const auto target = follow_links(path);
  if (!target) {
    return failure(target.error().message);
  }
  struct stat status {};
  if (::stat(target->c_str(), &status) != 0) {
    if (errno != ENOENT) {
      return failure(error_text(errno));
    }
    // A new file: its directory must exist already.
    const std::string dir = directory_of(*target);
    struct stat dir_status {};
    if (::stat(dir.c_str(), &dir_status) != 0) {
      return failure(fmt::format("directory \"{}\" does not exist (create it first)", dir));
    }
    if (!S_ISDIR(dir_status.st_mode)) {
      return failure(fmt::format("\"{}\" is not a directory", dir));
    }
    return replace_regular(path, *target, nullptr, contents);
  }
  if (S_ISREG(status.st_mode)) {
    return replace_regular(path, *target, &status, contents);
  }
  if (S_ISDIR(status.st_mode)) {
    return failure("it is a directory");
  }
  if (S_ISBLK(status.st_mode)) {
    return failure("it is a block device (refusing to write a catalog over a disk)");
  }
  // A FIFO, a character device (/dev/null, a terminal) or a socket: written to, never replaced.
  const int fd = ::open(target->c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return failure(error_text(errno));
  }
  if (!write_all_to_fd(fd, contents)) {
    const int error_number = errno;
    ::close(fd);
    return failure(error_text(error_number));
  }
  if (::close(fd) != 0) {
    return failure(error_text(errno));
  }
  return Ok{};
}

} // namespace gpucost
