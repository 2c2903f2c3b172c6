#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <system_error>

namespace gpucost::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "gpucost-test-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

} // namespace gpucost::test
