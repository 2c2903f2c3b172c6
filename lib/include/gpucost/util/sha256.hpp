#pragma once

#include <string>
#include <string_view>

namespace gpucost {

// The SHA-256 digest of `data` as 64 lower-case hex digits (OpenSSL libcrypto).
std::string sha256_hex(std::string_view data);

} // namespace gpucost
