#include <gpucost/util/sha256.hpp>

#include <array>
#include <openssl/evp.h>
#include <stdexcept>

namespace gpucost {

namespace {

std::string to_hex(const unsigned char* digest, unsigned int length) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += k_hex[digest[i] >> 4];
    hex += k_hex[digest[i] & 0xF];
  }
  return hex;
}

EVP_MD_CTX* context_of(void* context) {
  return static_cast<EVP_MD_CTX*>(context);
}

} // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // EVP_Digest only fails when the library cannot allocate; that is not a recoverable error.
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256: EVP_Digest failed");
  }
  return to_hex(digest.data(), length);
}

Sha256::Sha256() : m_context(EVP_MD_CTX_new()) {
  if (m_context == nullptr
      || EVP_DigestInit_ex(context_of(m_context), EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(context_of(m_context));
    throw std::runtime_error("sha256: EVP_DigestInit_ex failed");
  }
}

Sha256::Sha256(Sha256&& other) noexcept : m_context(other.m_context) {
  other.m_context = nullptr;
}

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(context_of(m_context));
    m_context = other.m_context;
    other.m_context = nullptr;
  }
  return *this;
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(context_of(m_context));
}

void Sha256::update(std::string_view data) {
  if (EVP_DigestUpdate(context_of(m_context), data.data(), data.size()) != 1) {
    throw std::runtime_error("sha256: EVP_DigestUpdate failed");
  }
}

std::string Sha256::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_of(m_context), digest.data(), &length) != 1) {
    throw std::runtime_error("sha256: EVP_DigestFinal_ex failed");
  }
  return to_hex(digest.data(), length);
}

} // namespace gpucost
