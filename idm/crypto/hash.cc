// SHA-256, SHA-512 and HMAC-SHA-256 through OpenSSL 3's one-shot EVP APIs.
#include "idm/crypto/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdlib>

namespace idm::crypto {
namespace {
constexpr size_t kSha256Bytes = 32;
constexpr size_t kSha512Bytes = 64;

// OpenSSL 3 resolves a legacy EVP_sha256() to a provider's implementation on every EVP_Digest call
// (an implicit fetch: a locked lookup in the method store that cost as much as hashing a token).
// The implementation is fetched once instead ("Performance" in OpenSSL's migration_guide(7)) and
// kept for the life of the process.
const EVP_MD* Fetched(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) std::abort();  // the default provider lacks SHA-2: a broken installation
  return md;
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = Fetched("SHA2-256");
  return md;
}

const EVP_MD* Sha512Md() {
  static const EVP_MD* const md = Fetched("SHA2-512");
  return md;
}
}  // namespace

std::string Sha256(std::string_view data) {
  std::string out(kSha256Bytes, '\0');
  unsigned int len = 0;
  // EVP_Digest only fails on allocation failure or a broken provider: a broken invariant.
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                 Sha256Md(), nullptr) != 1 ||
      len != kSha256Bytes) {
    std::abort();
  }
  return out;
}

std::string Sha512(std::string_view data) {
  std::string out(kSha512Bytes, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                 Sha512Md(), nullptr) != 1 ||
      len != kSha512Bytes) {
    std::abort();
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string out(kSha256Bytes, '\0');
  unsigned int len = 0;
  // HMAC() is the OpenSSL 3 one-shot over EVP_MAC (not deprecated). An empty key is legal
  // (RFC 2104), but OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const void* key_ptr = key.empty() ? static_cast<const void*>(&kEmpty) : key.data();
  if (HMAC(Sha256Md(), key_ptr, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(),
           reinterpret_cast<unsigned char*>(out.data()), &len) == nullptr ||
      len != kSha256Bytes) {
    std::abort();
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // The length is not secret (all our digests have a fixed size); the contents are.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace idm::crypto
