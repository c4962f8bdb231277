// Kek: sealing under per-message HKDF subkeys of the installation KEK (see kek.h for the format).
#include "idm/crypto/kek.h"

#include <openssl/crypto.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "idm/crypto/aead.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/crypto/hkdf.h"

namespace idm::crypto {
namespace {

constexpr char kSealVersion = 0x01;
constexpr size_t kSaltBytes = 16;
constexpr std::string_view kSealInfo = "idm/kek/v1/seal";
constexpr std::string_view kCheckInfo = "idm/kek/v1/check";
constexpr std::string_view kCheckLabel = "idm key-encryption key check v1";
constexpr std::string_view kCheckPrefix = "kekcheck.v1.";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Base64 with or without padding, in either alphabet.
std::optional<std::string> DecodeAnyBase64(std::string_view s) {
  std::string_view unpadded = s.substr(0, s.find_last_not_of('=') + 1);
  if (auto url = Base64UrlDecode(unpadded)) return url;
  std::string padded(unpadded);
  padded.append((4 - padded.size() % 4) % 4, '=');
  return Base64Decode(padded);
}

std::string Subkey(const std::array<uint8_t, Kek::kBytes>& kek, std::string_view salt,
                   std::string_view info) {
  std::string_view ikm(reinterpret_cast<const char*>(kek.data()), kek.size());
  auto key = HkdfSha256(ikm, salt, info, kAesGcmKeyBytes);
  if (!key) std::abort();  // only OpenSSL itself can fail here: a broken invariant
  return *std::move(key);
}

}  // namespace

Kek::Kek(std::string_view bytes) {
  for (size_t i = 0; i < kBytes; ++i) key_[i] = static_cast<uint8_t>(bytes[i]);
}

Kek::~Kek() { OPENSSL_cleanse(key_.data(), key_.size()); }

Kek Kek::Generate(core::Random& random) {
  std::string bytes = random.Bytes(kBytes);
  Kek kek(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return kek;
}

Result<Kek> Kek::FromText(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return MakeError(ErrorCode::kInvalidKey, "KEK is empty");
  std::optional<std::string> bytes;
  if (text.size() == 2 * kBytes) bytes = HexDecode(text);
  if (!bytes) bytes = DecodeAnyBase64(text);
  if (!bytes) {
    return MakeError(ErrorCode::kInvalidKey, "KEK is neither 64 hex digits nor base64/base64url");
  }
  if (bytes->size() != kBytes) {
    size_t n = bytes->size();
    OPENSSL_cleanse(bytes->data(), bytes->size());
    return MakeError(ErrorCode::kInvalidKey,
                     "KEK decodes to " + std::to_string(n) + " bytes; it must be exactly 32");
  }
  Kek kek(*bytes);
  OPENSSL_cleanse(bytes->data(), bytes->size());
  return kek;
}

Result<Kek> Kek::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidKey, "cannot read KEK file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto kek = FromText(text);
  OPENSSL_cleanse(text.data(), text.size());
  if (!kek) return MakeError(ErrorCode::kInvalidKey, kek.error().message + " (file " + path + ")");
  return kek;
}

std::string Kek::ToText() const {
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(key_.data()), key_.size()));
}

std::string Kek::Seal(std::string_view plaintext, std::string_view aad,
                      core::Random& random) const {
  std::string salt = random.Bytes(kSaltBytes);
  std::string subkey = Subkey(key_, salt, kSealInfo);
  auto sealed = AesGcmSeal(subkey, plaintext, aad, random);
  OPENSSL_cleanse(subkey.data(), subkey.size());
  if (!sealed) std::abort();  // the key size is right by construction; only OpenSSL can fail
  std::string out(1, kSealVersion);
  out += salt;
  out += *sealed;
  return out;
}

Result<std::string> Kek::Open(std::string_view sealed, std::string_view aad) const {
  if (sealed.empty() || sealed[0] != kSealVersion) {
    return MakeError(ErrorCode::kMalformed, "sealed value has an unknown version");
  }
  if (sealed.size() < 1 + kSaltBytes + kAesGcmNonceBytes + kAesGcmTagBytes) {
    return MakeError(ErrorCode::kMalformed, "sealed value too short");
  }
  std::string subkey = Subkey(key_, sealed.substr(1, kSaltBytes), kSealInfo);
  auto plain = AesGcmOpen(subkey, sealed.substr(1 + kSaltBytes), aad);
  OPENSSL_cleanse(subkey.data(), subkey.size());
  return plain;
}

std::string Kek::DeriveSecret(std::string_view info) const {
  // Prefixed so that no caller's info can name the sealing or check subkeys.
  return Subkey(key_, {}, std::string("idm/derived/") + std::string(info));
}

std::string Kek::MakeCheck() const {
  // The check subkey seals exactly one plaintext, so a fixed nonce never meets a second message.
  std::string subkey = Subkey(key_, {}, kCheckInfo);
  auto sealed =
      AesGcmSealWithNonce(subkey, std::string(kAesGcmNonceBytes, '\0'), kCheckLabel, kCheckInfo);
  OPENSSL_cleanse(subkey.data(), subkey.size());
  if (!sealed) std::abort();
  return std::string(kCheckPrefix) + Base64UrlEncode(*sealed);
}

bool Kek::MatchesCheck(const std::string& check) const {
  return ConstantTimeEquals(MakeCheck(), check);
}

}  // namespace idm::crypto
