// RFC 5869 HKDF-SHA-256: extract is HMAC-SHA-256 (hash.h); expand is OpenSSL 3's "HKDF" EVP_KDF.
#include "idm/crypto/hkdf.h"

#include "idm/crypto/hash.h"
#include "idm/crypto/openssl_util.h"

namespace idm::crypto {
namespace {

constexpr size_t kHashLen = 32;

Result<std::string> ExpandOnly(std::string_view prk, std::string_view info, size_t length) {
  internal::KdfPtr kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
  internal::KdfCtxPtr ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!ctx)
    return MakeError(ErrorCode::kInternal, "HKDF unavailable: " + internal::OpensslReason());
  // OSSL_PARAM wants non-const pointers; OpenSSL only reads these buffers.
  auto octets = [](const char* name, std::string_view s) {
    return OSSL_PARAM_construct_octet_string(name, const_cast<char*>(s.data()), s.size());
  };
  int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      octets(OSSL_KDF_PARAM_KEY, prk),
      octets(OSSL_KDF_PARAM_INFO, info),
      OSSL_PARAM_construct_end(),
  };
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), internal::Bytes(out), out.size(), params) != 1) {
    return MakeError(ErrorCode::kInternal, "HKDF failed: " + internal::OpensslReason());
  }
  return out;
}

}  // namespace

std::string HkdfExtract(std::string_view salt, std::string_view ikm) {
  // RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM); an absent salt is HashLen zeros, which HMAC treats
  // exactly like an empty key (both are zero-padded to the block size).
  return HmacSha256(salt, ikm);
}

Result<std::string> HkdfExpand(std::string_view prk, std::string_view info, size_t length) {
  if (prk.size() < kHashLen)
    return MakeError(ErrorCode::kInvalidKey, "HKDF PRK shorter than 32 bytes");
  if (length == 0 || length > 255 * kHashLen) {
    return MakeError(ErrorCode::kMalformed, "HKDF output length must be 1..8160 bytes");
  }
  return ExpandOnly(prk, info, length);
}

Result<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info,
                               size_t length) {
  return HkdfExpand(HkdfExtract(salt, ikm), info, length);
}

}  // namespace idm::crypto
