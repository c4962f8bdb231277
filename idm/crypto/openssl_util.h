// Internal to idm/crypto: owning pointers for OpenSSL 3 objects and small helpers shared by the
// .cc files. Not for use outside idm/crypto.
//
// Thread-safety: free functions; the owned objects are not shared.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace idm::crypto::internal {

template <auto Fn>
struct FreeWith {
  template <class T>
  void operator()(T* p) const {
    Fn(p);
  }
};

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, FreeWith<EVP_MD_CTX_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, FreeWith<EVP_PKEY_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, FreeWith<EVP_CIPHER_CTX_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, FreeWith<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, FreeWith<EVP_KDF_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, FreeWith<BN_clear_free>>;  // may hold private values
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, FreeWith<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, FreeWith<OSSL_PARAM_free>>;

inline const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
inline unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// The oldest queued OpenSSL error as text (library reason only, never data), and clears the queue
// so a later failure does not report a stale reason.
inline std::string OpensslReason() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  const char* reason = ERR_reason_error_string(e);
  return reason != nullptr ? reason : "OpenSSL error " + std::to_string(e);
}

// Big-endian unsigned bytes of bn, left-padded with zeros to width (0: minimal length).
inline std::string BnToBytes(const BIGNUM* bn, int width = 0) {
  int n = width > 0 ? width : BN_num_bytes(bn);
  std::string out(static_cast<size_t>(n), '\0');
  if (n > 0 && BN_bn2binpad(bn, Bytes(out), n) != n) return {};
  return out;
}

inline BnPtr BytesToBn(std::string_view bytes) {
  return BnPtr(BN_bin2bn(Bytes(bytes), static_cast<int>(bytes.size()), nullptr));
}

// A BIGNUM parameter of pkey (e.g. OSSL_PKEY_PARAM_RSA_N), or nullptr.
inline BnPtr GetBnParam(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return nullptr;
  return BnPtr(bn);
}

}  // namespace idm::crypto::internal
