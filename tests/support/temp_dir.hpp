#pragma once

// A fresh directory for one test, removed with everything in it.

#include <filesystem>

namespace gpucost::test {

// A new, empty directory under the system temporary directory (mkdtemp), removed when the object
// goes. Fails the test when it cannot be made.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory.
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

} // namespace gpucost::test
