#pragma once

#include <string>
#include <string_view>

namespace gpucost {

// The SHA-256 digest of `data` as 64 lower-case hex digits: the CPU's SHA instructions where it
// has them, else plain C++ for texts under 1 MiB and OpenSSL's libcrypto (loaded on first use)
// for larger ones.
std::string sha256_hex(std::string_view data);

// sha256_hex by the plain C++ code whatever the CPU has: for tests, which check that every code
// gives the same digests.
std::string sha256_hex_portable(std::string_view data);

// Whether sha256_hex uses the CPU's SHA instructions here.
bool sha256_uses_cpu_instructions();

// A SHA-256 digest fed piece by piece: hex() of the pieces equals sha256_hex of their
// concatenation. Move-only; throws std::runtime_error only when libcrypto (used where the CPU
// has no SHA instructions) cannot allocate.
class Sha256 {
public:
  Sha256();
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256();

  // Adds `data` to the digest.
  void update(std::string_view data);

  // The digest of everything added, as 64 lower-case hex digits; call once.
  std::string hex();

private:
  void* m_context = nullptr; // EVP_MD_CTX
};

} // namespace gpucost
