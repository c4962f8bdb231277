// Internal to idm/crypto: the raw JWS signature operations of RFC 7518 §3.3-3.5 and RFC 8037 §3.1
// over an EVP_PKEY, shared by SigningKey (sign) and jws.cc (verify). One EVP_MD_CTX per call,
// except through a SignerPool.
//
// Thread-safety: free functions; the EVP_PKEY is only read. SignerPool is internally locked.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "idm/crypto/error.h"
#include "idm/crypto/jwk.h"

namespace idm::crypto::internal {

// The JWS signature of input: ES256 as 64-byte R || S (RFC 7518 §3.4), PS256 with MGF1-SHA-256
// and a 32-byte salt (§3.5). The caller has checked that pkey fits alg. kInternal on failure.
Result<std::string> SignWith(EVP_PKEY* pkey, JwsAlg alg, std::string_view input);

// Signs like SignWith, with signing contexts made once and reused: OpenSSL's EVP_DigestSignInit
// fetches the digest and the signature algorithm and builds a context on every call, ~8 us of
// the ~48 us an ES256 signature took alone (docs/performance.md, 2026-12-03). For ES256, RS256
// and PS256 the pool hashes the input itself (SHA-256, fetched once) and signs the digest with
// EVP_PKEY_sign on a context that was initialised once; EdDSA (Ed25519 hashes internally and has
// no digest-then-sign form) goes through SignWith. A context is taken out for one signature and
// put back, so threads never share one; at most kMaxIdle wait between uses.
class SignerPool {
 public:
  // pkey must outlive the pool (SigningKey owns both); each pooled context also holds a
  // reference to it.
  SignerPool(EVP_PKEY* pkey, JwsAlg alg) : pkey_(pkey), alg_(alg) {}
  SignerPool(const SignerPool&) = delete;
  SignerPool& operator=(const SignerPool&) = delete;
  ~SignerPool();

  Result<std::string> Sign(std::string_view input);

 private:
  static constexpr size_t kMaxIdle = 32;  // above the worker pool's thread count
  EVP_PKEY_CTX* Take();
  void Give(EVP_PKEY_CTX* ctx);

  EVP_PKEY* pkey_;
  JwsAlg alg_;
  std::mutex mu_;
  std::vector<EVP_PKEY_CTX*> idle_;  // initialised for signing; owned
};

// True if signature is a valid JWS signature of input under pkey for alg. False for any
// malformed signature (e.g. an ES256 signature that is not exactly 64 bytes).
bool VerifyWith(EVP_PKEY* pkey, JwsAlg alg, std::string_view input, std::string_view signature);

}  // namespace idm::crypto::internal
