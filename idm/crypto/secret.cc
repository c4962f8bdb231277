#include "idm/crypto/secret.h"

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"

namespace idm::crypto {
namespace {
constexpr size_t kSecretBytes = 32;
constexpr std::string_view kHashScheme = "sha256:";
}  // namespace

std::string NewSecret(core::Random& random, std::string_view prefix) {
  std::string out(prefix);
  out += Base64UrlEncode(random.Bytes(kSecretBytes));
  return out;
}

std::string HashSecret(std::string_view secret) {
  std::string out(kHashScheme);
  out += HexEncode(Sha256(secret));
  return out;
}

bool VerifySecret(std::string_view secret, std::string_view stored) {
  if (stored.substr(0, kHashScheme.size()) != kHashScheme) return false;
  // Both sides are fixed-size digests, so the comparison leaks nothing about the secret.
  return ConstantTimeEquals(HashSecret(secret), stored);
}

}  // namespace idm::crypto
