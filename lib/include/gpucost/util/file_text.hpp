#pragma once

// The text of a file for reading in place: mapped into memory when it is a regular file, read into
// a string otherwise (a pipe, /dev/stdin). Mapping spares a 44 MB catalog a copy and the zeroing of
// fresh pages.

#include <gpucost/util/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace gpucost {

// The largest input file read (a catalog, a workload, data): 512 MiB, over 10 times the largest
// real catalog, so that `--catalog /dev/zero` fails instead of reading until memory runs out.
inline constexpr std::size_t k_max_input_bytes = std::size_t{512} << 20;

// A file's whole text, valid while the object lives. Move-only.
class FileText {
public:
  // Reads or maps `path`; fails with "cannot read PATH: reason", also when it holds more than
  // `max_bytes` ("larger than N MiB (the limit for an input file)").
  static Expected<FileText> open(const std::string& path,
                                 std::size_t max_bytes = k_max_input_bytes);

  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&& other) noexcept;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText();

  // The file's bytes.
  std::string_view view() const;

  // Says that bytes [begin, end) of view() have been read and will not be read again soon: a
  // mapped file's pages that lie wholly before `end`, from the one holding `begin` on, leave the
  // process's memory (its resident size), and are read from the file again if they are touched;
  // text read into memory stays. Safe from several threads. A reader that calls it with each
  // range it has read in turn drops every page it read but the last.
  void drop(std::size_t begin, std::size_t end) const noexcept;

  // Says that bytes [begin, end) of view() will be read soon: a mapped file's pages there are
  // mapped now (MADV_POPULATE_READ), so that reading them takes no page faults; from a second
  // thread, ahead of the reader, that work leaves the reader's core. Nothing for text read into
  // memory, or where the system cannot. Safe from several threads.
  void populate(std::size_t begin, std::size_t end) const noexcept;

  // Whether the text is a mapped file (drop and populate act on it).
  bool mapped() const { return m_map != nullptr; }

private:
  FileText() = default;
  void release() noexcept;

  void* m_map = nullptr; // the mapping, or nullptr when the text was read into m_text
  std::size_t m_map_size = 0;
  std::string m_text;
};

} // namespace gpucost
