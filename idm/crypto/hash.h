// Hashes, keyed hashes and constant-time comparison (OpenSSL 3).
// Thread-safety: free functions without shared state.
#pragma once

#include <string>
#include <string_view>

namespace idm::crypto {

// Raw 32-byte digests.
std::string Sha256(std::string_view data);
std::string Sha512(std::string_view data);  // 64 bytes; for EdDSA (Ed25519) ID token hashes
std::string HmacSha256(std::string_view key, std::string_view data);
// Compares in time independent of where a and b differ (ARCHITECTURE.md decision 4).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace idm::crypto
