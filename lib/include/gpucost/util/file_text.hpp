#pragma once

// The text of a file for reading in place: mapped into memory when it is a regular file, read into
// a string otherwise (a pipe, /dev/stdin). Mapping spares a 44 MB catalog a copy and the zeroing of
// fresh pages.

#include <gpucost/util/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace gpucost {

// A file's whole text, valid while the object lives. Move-only.
class FileText {
public:
  // Reads or maps `path`; fails with "cannot read PATH: reason".
  static Expected<FileText> open(const std::string& path);

  FileText(FileText&& other) noexcept;
  FileText& operator=(FileText&& other) noexcept;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText();

  // The file's bytes.
  std::string_view view() const;

private:
  FileText() = default;
  void release() noexcept;

  void* m_map = nullptr; // the mapping, or nullptr when the text was read into m_text
  std::size_t m_map_size = 0;
  std::string m_text;
};

} // namespace gpucost
