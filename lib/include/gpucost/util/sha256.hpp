#pragma once

#include <string>
#include <string_view>

namespace gpucost {

// The SHA-256 digest of `data` as 64 lower-case hex digits (OpenSSL libcrypto).
std::string sha256_hex(std::string_view data);

// A SHA-256 digest fed piece by piece: hex() of the pieces equals sha256_hex of their
// concatenation. Move-only; throws std::runtime_error only when libcrypto cannot allocate.
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
