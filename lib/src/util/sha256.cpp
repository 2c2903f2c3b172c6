#include <gpucost/util/sha256.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <dlfcn.h>
#include <openssl/evp.h>
#include <stdexcept>

namespace gpucost {

namespace {

// SHA-256 (FIPS 180-4) in plain C++, for the small texts hashed on every run (the bundled
// catalog's files, digest-record names, combined digests): OpenSSL costs about 1 ms of a 5 ms run
// to load and initialize, far more than hashing a few kB. Large texts go to OpenSSL's faster code.
class SmallSha256 {
public:
  void update(const unsigned char* data, std::size_t size) {
    m_total += size;
    if (m_buffered > 0) {
      const std::size_t take = std::min(size, m_buffer.size() - m_buffered);
      std::memcpy(m_buffer.data() + m_buffered, data, take);
      m_buffered += take;
      data += take;
      size -= take;
      if (m_buffered < m_buffer.size()) {
        return;
      }
      block(m_buffer.data());
      m_buffered = 0;
    }
    for (; size >= m_buffer.size(); data += m_buffer.size(), size -= m_buffer.size()) {
      block(data);
    }
    std::memcpy(m_buffer.data(), data, size);
    m_buffered = size;
  }

  std::array<unsigned char, 32> finish() {
    const std::uint64_t bits = m_total * 8;
    const unsigned char one = 0x80;
    update(&one, 1);
    const unsigned char zero = 0;
    while (m_buffered != 56) {
      update(&zero, 1);
    }
    std::array<unsigned char, 8> length{};
    for (int i = 0; i < 8; ++i) {
      length[static_cast<std::size_t>(i)] = static_cast<unsigned char>(bits >> (56 - 8 * i));
    }
    update(length.data(), length.size());
    std::array<unsigned char, 32> digest{};
    for (std::size_t i = 0; i < 8; ++i) {
      for (std::size_t k = 0; k < 4; ++k) {
        digest[4 * i + k] = static_cast<unsigned char>(m_state[i] >> (24 - 8 * k));
      }
    }
    return digest;
  }

private:
  static constexpr std::array<std::uint32_t, 64> k_round = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};

  void block(const unsigned char* p) {
    std::array<std::uint32_t, 64> w{};
    for (std::size_t i = 0; i < 16; ++i) {
      w[i] = static_cast<std::uint32_t>(p[4 * i]) << 24
             | static_cast<std::uint32_t>(p[4 * i + 1]) << 16
             | static_cast<std::uint32_t>(p[4 * i + 2]) << 8
             | static_cast<std::uint32_t>(p[4 * i + 3]);
    }
    for (std::size_t i = 16; i < 64; ++i) {
      const std::uint32_t s0 =
          std::rotr(w[i - 15], 7) ^ std::rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = std::rotr(w[i - 2], 17) ^ std::rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::array<std::uint32_t, 8> v = m_state;
    for (std::size_t i = 0; i < 64; ++i) {
      const std::uint32_t s1 = std::rotr(v[4], 6) ^ std::rotr(v[4], 11) ^ std::rotr(v[4], 25);
      const std::uint32_t choose = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const std::uint32_t t1 = v[7] + s1 + choose + k_round[i] + w[i];
      const std::uint32_t s0 = std::rotr(v[0], 2) ^ std::rotr(v[0], 13) ^ std::rotr(v[0], 22);
      const std::uint32_t majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const std::uint32_t t2 = s0 + majority;
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (std::size_t i = 0; i < 8; ++i) {
      m_state[i] += v[i];
    }
  }

  std::array<std::uint32_t, 8> m_state = {0x6a09e667,
                                          0xbb67ae85,
                                          0x3c6ef372,
                                          0xa54ff53a,
                                          0x510e527f,
                                          0x9b05688c,
                                          0x1f83d9ab,
                                          0x5be0cd19};
  std::array<unsigned char, 64> m_buffer{};
  std::size_t m_buffered = 0;
  std::uint64_t m_total = 0;
};

// Texts from this size on are hashed by OpenSSL (several times faster, with the CPU's SHA
// instructions), below it by SmallSha256.
constexpr std::size_t k_small_text_bytes = std::size_t{1} << 20;

std::string to_hex(const unsigned char* digest, std::size_t length) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (std::size_t i = 0; i < length; ++i) {
    hex += k_hex[digest[i] >> 4];
    hex += k_hex[digest[i] & 0xF];
  }
  return hex;
}

// libcrypto, loaded on first use (dlopen) rather than linked, like libcurl (sources/http): a run
// that hashes only small texts never loads it. The headers come from find_package(OpenSSL).
// Where it cannot be loaded, SmallSha256 hashes everything.
struct CryptoApi {
  bool loaded = false;
  decltype(&EVP_MD_CTX_new) ctx_new = nullptr;
  decltype(&EVP_MD_CTX_free) ctx_free = nullptr;
  decltype(&EVP_sha256) sha256 = nullptr;
  decltype(&EVP_DigestInit_ex) init = nullptr;
  decltype(&EVP_DigestUpdate) update = nullptr;
  decltype(&EVP_DigestFinal_ex) final = nullptr;
};

template<typename Function>
bool crypto_symbol(void* library, const char* name, Function& function) {
  void* symbol = ::dlsym(library, name);
  // POSIX guarantees that a dlsym result converts to a function pointer.
  std::memcpy(&function, &symbol, sizeof(function));
  return symbol != nullptr;
}

const CryptoApi& crypto_api() {
  static const CryptoApi api = [] {
    CryptoApi loading;
    void* library = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      return loading;
    }
    loading.loaded = crypto_symbol(library, "EVP_MD_CTX_new", loading.ctx_new)
                     && crypto_symbol(library, "EVP_MD_CTX_free", loading.ctx_free)
                     && crypto_symbol(library, "EVP_sha256", loading.sha256)
                     && crypto_symbol(library, "EVP_DigestInit_ex", loading.init)
                     && crypto_symbol(library, "EVP_DigestUpdate", loading.update)
                     && crypto_symbol(library, "EVP_DigestFinal_ex", loading.final);
    return loading;
  }();
  return api;
}

// A digest in progress: OpenSSL's when it is loaded, else SmallSha256.
struct DigestContext {
  EVP_MD_CTX* evp = nullptr;
  SmallSha256 small;
};

} // namespace

std::string sha256_hex(std::string_view data) {
  if (data.size() < k_small_text_bytes) {
    SmallSha256 small;
    small.update(reinterpret_cast<const unsigned char*>(data.data()), data.size());
    const auto digest = small.finish();
    return to_hex(digest.data(), digest.size());
  }
  Sha256 hash;
  hash.update(data);
  return hash.hex();
}

Sha256::Sha256() : m_context(new DigestContext) {
  const CryptoApi& api = crypto_api();
  if (!api.loaded) {
    return;
  }
  auto* context = static_cast<DigestContext*>(m_context);
  context->evp = api.ctx_new();
  // EVP only fails when the library cannot allocate; that is not a recoverable error.
  if (context->evp == nullptr || api.init(context->evp, api.sha256(), nullptr) != 1) {
    api.ctx_free(context->evp);
    delete context;
    throw std::runtime_error("sha256: EVP_DigestInit_ex failed");
  }
}

Sha256::Sha256(Sha256&& other) noexcept : m_context(other.m_context) {
  other.m_context = nullptr;
}

namespace {

void free_context(void* opaque) noexcept {
  auto* context = static_cast<DigestContext*>(opaque);
  if (context != nullptr && context->evp != nullptr) {
    crypto_api().ctx_free(context->evp);
  }
  delete context;
}

} // namespace

Sha256& Sha256::operator=(Sha256&& other) noexcept {
  if (this != &other) {
    free_context(m_context);
    m_context = other.m_context;
    other.m_context = nullptr;
  }
  return *this;
}

Sha256::~Sha256() {
  free_context(m_context);
}

void Sha256::update(std::string_view data) {
  auto* context = static_cast<DigestContext*>(m_context);
  if (context->evp == nullptr) {
    context->small.update(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  } else if (crypto_api().update(context->evp, data.data(), data.size()) != 1) {
    throw std::runtime_error("sha256: EVP_DigestUpdate failed");
  }
}

std::string Sha256::hex() {
  auto* context = static_cast<DigestContext*>(m_context);
  if (context->evp == nullptr) {
    const auto digest = context->small.finish();
    return to_hex(digest.data(), digest.size());
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (crypto_api().final(context->evp, digest.data(), &length) != 1) {
    throw std::runtime_error("sha256: EVP_DigestFinal_ex failed");
  }
  return to_hex(digest.data(), length);
}

} // namespace gpucost
