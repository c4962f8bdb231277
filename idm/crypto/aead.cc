// AES-256-GCM through OpenSSL 3's EVP_CIPHER API (NIST SP 800-38D).
#include "idm/crypto/aead.h"

#include <climits>

#include "idm/crypto/openssl_util.h"

namespace idm::crypto {
namespace {

using internal::Bytes;

Status CheckKey(std::string_view key) {
  if (key.size() != kAesGcmKeyBytes) {
    return MakeError(ErrorCode::kInvalidKey, "AES-256-GCM key must be 32 bytes");
  }
  return {};
}

Error Internal(const char* what) {
  return MakeError(ErrorCode::kInternal, std::string(what) + ": " + internal::OpensslReason());
}

// Starts an AES-256-GCM context with a 12-byte IV, in encrypt (enc = 1) or decrypt (0) mode,
// and feeds it the AAD.
Result<internal::CipherCtxPtr> Start(int enc, std::string_view key, std::string_view nonce,
                                     std::string_view aad) {
  internal::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Internal("EVP_CIPHER_CTX_new");
  int len = 0;
  if (EVP_CipherInit_ex2(ctx.get(), EVP_aes_256_gcm(), Bytes(key), Bytes(nonce), enc, nullptr) !=
          1 ||
      (!aad.empty() &&
       EVP_CipherUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1)) {
    return Internal("AES-GCM init");
  }
  return ctx;
}

Status CheckSizes(std::string_view a, std::string_view b) {
  if (a.size() > INT_MAX / 2 || b.size() > INT_MAX / 2) {
    return MakeError(ErrorCode::kMalformed, "AES-GCM input too large");
  }
  return {};
}

}  // namespace

Result<std::string> AesGcmSeal(std::string_view key, std::string_view plaintext,
                               std::string_view aad, core::Random& random) {
  IDM_TRY(CheckKey(key));
  return AesGcmSealWithNonce(key, random.Bytes(kAesGcmNonceBytes), plaintext, aad);
}

Result<std::string> AesGcmSealWithNonce(std::string_view key, std::string_view nonce,
                                        std::string_view plaintext, std::string_view aad) {
  IDM_TRY(CheckKey(key));
  IDM_TRY(CheckSizes(plaintext, aad));
  if (nonce.size() != kAesGcmNonceBytes) {
    return MakeError(ErrorCode::kMalformed, "AES-GCM nonce must be 12 bytes");
  }
  IDM_ASSIGN_OR_RETURN(auto ctx, Start(1, key, nonce, aad));
  std::string out(nonce);
  out.resize(nonce.size() + plaintext.size() + kAesGcmTagBytes);
  unsigned char* ct = Bytes(out) + nonce.size();
  int len = 0, fin = 0;
  if (EVP_EncryptUpdate(ctx.get(), ct, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct + len, &fin) != 1 ||
      static_cast<size_t>(len + fin) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAesGcmTagBytes,
                          ct + plaintext.size()) != 1) {
    return Internal("AES-GCM encrypt");
  }
  return out;
}

Result<std::string> AesGcmOpen(std::string_view key, std::string_view sealed,
                               std::string_view aad) {
  IDM_TRY(CheckKey(key));
  IDM_TRY(CheckSizes(sealed, aad));
  if (sealed.size() < kAesGcmNonceBytes + kAesGcmTagBytes) {
    return MakeError(ErrorCode::kMalformed, "sealed value too short");
  }
  std::string_view nonce = sealed.substr(0, kAesGcmNonceBytes);
  std::string_view ct =
      sealed.substr(kAesGcmNonceBytes, sealed.size() - kAesGcmNonceBytes - kAesGcmTagBytes);
  std::string tag(sealed.substr(sealed.size() - kAesGcmTagBytes));
  IDM_ASSIGN_OR_RETURN(auto ctx, Start(0, key, nonce, aad));
  std::string out(ct.size(), '\0');
  int len = 0, fin = 0;
  if (EVP_DecryptUpdate(ctx.get(), Bytes(out), &len, Bytes(ct), static_cast<int>(ct.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAesGcmTagBytes, tag.data()) != 1) {
    return Internal("AES-GCM decrypt");
  }
  // The tag is checked (in constant time) by the final call; nothing is released before it.
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(out) + len, &fin) != 1) {
    ERR_clear_error();
    OPENSSL_cleanse(out.data(), out.size());
    return MakeError(ErrorCode::kDecryptFailed, "AES-GCM authentication failed");
  }
  return out;
}

}  // namespace idm::crypto
