#include <gpucost/util/sha256.hpp>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <dlfcn.h>
#include <openssl/evp.h>
#include <stdexcept>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GPUCOST_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace gpucost {

namespace {

// The 64 round constants of SHA-256 (FIPS 180-4, section 4.2.2).
constexpr std::array<std::uint32_t, 64> k_sha256_round = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// Compresses `blocks` 64-byte blocks at `p` into `state`, in plain C++ (FIPS 180-4, 6.2.2).
void compress_portable(std::array<std::uint32_t, 8>& state,
                       const unsigned char* p,
                       std::size_t blocks) {
  for (; blocks > 0; --blocks, p += 64) {
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
    std::array<std::uint32_t, 8> v = state;
    for (std::size_t i = 0; i < 64; ++i) {
      const std::uint32_t s1 = std::rotr(v[4], 6) ^ std::rotr(v[4], 11) ^ std::rotr(v[4], 25);
      const std::uint32_t choose = (v[4] & v[5]) ^ (~v[4] & v[6]);
      const std::uint32_t t1 = v[7] + s1 + choose + k_sha256_round[i] + w[i];
      const std::uint32_t s0 = std::rotr(v[0], 2) ^ std::rotr(v[0], 13) ^ std::rotr(v[0], 22);
      const std::uint32_t majority = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
      const std::uint32_t t2 = s0 + majority;
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (std::size_t i = 0; i < 8; ++i) {
      state[i] += v[i];
    }
  }
}

#if defined(GPUCOST_SHA_NI)
// Whether this CPU has the SHA extensions (CPUID leaf 7, EBX bit 29) and the SSSE3 and SSE4.1
// instructions compress_sha_ni uses beside them (leaf 1, ECX bits 9 and 19).
bool cpu_has_sha_ni() {
  unsigned a = 0;
  unsigned b = 0;
  unsigned c = 0;
  unsigned d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0 || (c & (1U << 9)) == 0 || (c & (1U << 19)) == 0) {
    return false;
  }
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) {
    return false;
  }
  return (b & (1U << 29)) != 0;
}

// compress_portable with the CPU's SHA instructions (Intel SHA extensions): the state is held as
// the two lanes SHA256RNDS2 works on, ABEF and CDGH, and each instruction does two rounds; the
// message schedule is SHA256MSG1, an add of words W[t-7], and SHA256MSG2. About 5 times faster
// than the plain code, which matters for a catalog of 100k offers (40 MB) hashed on first read.
__attribute__((target("sha,sse4.1,ssse3"))) void
compress_sha_ni(std::array<std::uint32_t, 8>& state, const unsigned char* p, std::size_t blocks) {
  // The state words as loaded are DCBA and HGFE (a in the lowest lane).
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data()));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state.data() + 4));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  // Big-endian words: reverse the bytes of each 32-bit lane.
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  for (; blocks > 0; --blocks, p += 64) {
    const __m128i abef_before = abef;
    const __m128i cdgh_before = cdgh;
    __m128i w[4]; // the last 16 words of the schedule, four to a register (filled at groups 0-3)
    for (std::size_t group = 0; group < 16; ++group) {
      __m128i& words = w[group % 4];
      if (group < 4) {
        words = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * group)),
                                 byte_swap);
      } else {
        // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], for t = 4 group .. 4 group + 3.
        const __m128i& before = w[(group + 3) % 4]; // W[t-4 .. t-1]
        const __m128i t7 = _mm_alignr_epi8(before, w[(group + 2) % 4], 4);
        words = _mm_sha256msg2_epu32(
            _mm_add_epi32(_mm_sha256msg1_epu32(words, w[(group + 1) % 4]), t7), before);
      }
      const __m128i constants =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(k_sha256_round.data() + 4 * group));
      const __m128i message = _mm_add_epi32(words, constants);
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(message, 0x0E));
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
  }
  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  dcba = _mm_blend_epi16(feba, dchg, 0xF0);
  hgfe = _mm_alignr_epi8(dchg, feba, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data()), dcba);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state.data() + 4), hgfe);
}
#endif

// Whether compress_sha_ni can run here (checked once).
bool have_sha_ni() {
#if defined(GPUCOST_SHA_NI)
  static const bool have = cpu_has_sha_ni();
  return have;
#else
  return false;
#endif
}

// A function that compresses whole blocks into a SHA-256 state.
using Compress = void(std::array<std::uint32_t, 8>&, const unsigned char*, std::size_t);

// SHA-256 (FIPS 180-4) without OpenSSL, for the texts hashed on every run (the bundled catalog's
// files, digest-record names, combined digests): OpenSSL costs about 1 ms of a 5 ms run to load
// and initialize, far more than hashing a few kB. With the CPU's SHA instructions it hashes
// everything; without them, large texts go to OpenSSL's faster code.
class SmallSha256 {
public:
  explicit SmallSha256(Compress* compress) : m_compress(compress) {}

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
    const std::size_t blocks = size / m_buffer.size();
    if (blocks > 0) {
      m_compress(m_state, data, blocks);
      data += blocks * m_buffer.size();
      size -= blocks * m_buffer.size();
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
  void block(const unsigned char* p) { m_compress(m_state, p, 1); }

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
  Compress* m_compress;
};

// Without the CPU's SHA instructions, texts from this size on are hashed by OpenSSL (several
// times faster than compress_portable), below it by SmallSha256.
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

// The fastest compression this CPU has.
Compress* best_compress() {
#if defined(GPUCOST_SHA_NI)
  if (have_sha_ni()) {
    return compress_sha_ni;
  }
#endif
  return compress_portable;
}

// The digest of `data` by SmallSha256 with `compress`, as hex.
std::string small_sha256_hex(std::string_view data, Compress* compress) {
  SmallSha256 small(compress);
  small.update(reinterpret_cast<const unsigned char*>(data.data()), data.size());
  const auto digest = small.finish();
  return to_hex(digest.data(), digest.size());
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

// A digest in progress: SmallSha256 with the CPU's SHA instructions, else OpenSSL's when it is
// loaded, else SmallSha256 in plain C++.
struct DigestContext {
  EVP_MD_CTX* evp = nullptr;
  SmallSha256 small{best_compress()};
};

} // namespace

std::string sha256_hex(std::string_view data) {
  if (data.size() < k_small_text_bytes || have_sha_ni()) {
    return small_sha256_hex(data, best_compress());
  }
  Sha256 hash;
  hash.update(data);
  return hash.hex();
}

std::string sha256_hex_portable(std::string_view data) {
  return small_sha256_hex(data, compress_portable);
}

bool sha256_uses_cpu_instructions() {
  return have_sha_ni();
}

Sha256::Sha256() : m_context(new DigestContext) {
  if (have_sha_ni()) {
    return;
  }
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
