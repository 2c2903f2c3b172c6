#include <gpucost/util/file_text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace gpucost {

Expected<FileText> FileText::open(const std::string& path, std::size_t max_bytes) {
  const auto failure = [&](const char* reason) {
    return make_error(fmt::format("cannot read {}: {}", path, reason));
  };
  const auto too_large = [&] {
    return make_error(fmt::format(
        "cannot read {}: larger than {} MiB (the limit for an input file)", path, max_bytes >> 20));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return failure(std::strerror(errno));
  }
  FileText file;
  struct stat status {};
  if (::fstat(fd, &status) != 0) {
    const int error = errno;
    ::close(fd);
    return failure(std::strerror(error));
  }
  if (S_ISDIR(status.st_mode)) {
    ::close(fd);
    return failure("it is a directory");
  }
  if (S_ISREG(status.st_mode) && static_cast<std::uint64_t>(status.st_size) > max_bytes) {
    ::close(fd);
    return too_large();
  }
  if (S_ISREG(status.st_mode) && status.st_size > 0) {
    const auto size = static_cast<std::size_t>(status.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      ::close(fd);
      ::madvise(map, size, MADV_SEQUENTIAL);
      file.m_map = map;
      file.m_map_size = size;
      return file;
    }
  }
  // A pipe, an empty or unmappable file: read from the descriptor already open, to its end.
  char buffer[64 * 1024];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got > 0) {
      if (file.m_text.size() + static_cast<std::size_t>(got) > max_bytes) {
        ::close(fd);
        return too_large();
      }
      file.m_text.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0) {
      break;
    } else if (errno != EINTR) {
      const int error = errno;
      ::close(fd);
      return failure(std::strerror(error));
    }
  }
  ::close(fd);
  return file;
}

FileText::FileText(FileText&& other) noexcept
    : m_map(std::exchange(other.m_map, nullptr)), m_map_size(std::exchange(other.m_map_size, 0)),
      m_text(std::move(other.m_text)) {}

FileText& FileText::operator=(FileText&& other) noexcept {
  if (this != &other) {
    release();
    m_map = std::exchange(other.m_map, nullptr);
    m_map_size = std::exchange(other.m_map_size, 0);
    m_text = std::move(other.m_text);
  }
  return *this;
}

FileText::~FileText() {
  release();
}

void FileText::release() noexcept {
  if (m_map != nullptr) {
    ::munmap(m_map, m_map_size);
    m_map = nullptr;
  }
}

void FileText::drop(std::size_t begin, std::size_t end) const noexcept {
  if (m_map == nullptr) {
    return;
  }
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  // The pages wholly before `end` from the one holding `begin`: the caller read them (a page that
  // `end` cuts stays; the next call, beginning there, drops it).
  begin = begin / page * page;
  end = std::min(end, m_map_size) / page * page;
  if (begin < end) {
    // A private read-only mapping: the pages go back to being the file's, nothing is lost.
    ::madvise(static_cast<char*>(m_map) + begin, end - begin, MADV_DONTNEED);
  }
}

void FileText::populate([[maybe_unused]] std::size_t begin,
                        [[maybe_unused]] std::size_t end) const noexcept {
#if defined(MADV_POPULATE_READ)
  if (m_map == nullptr) {
    return;
  }
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  begin = begin / page * page;
  end = std::min(end, m_map_size);
  if (begin < end) {
    ::madvise(static_cast<char*>(m_map) + begin, end - begin, MADV_POPULATE_READ);
  }
#endif
}

std::string_view FileText::view() const {
  if (m_map != nullptr) {
    return {static_cast<const char*>(m_map), m_map_size};
  }
  return m_text;
}

} // namespace gpucost
