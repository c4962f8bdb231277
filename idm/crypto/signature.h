// Internal to idm/crypto: the raw JWS signature operations of RFC 7518 §3.3-3.5 and RFC 8037 §3.1
// over an EVP_PKEY, shared by SigningKey (sign) and jws.cc (verify). One EVP_MD_CTX per call.
//
// Thread-safety: free functions; the EVP_PKEY is only read.
#pragma once

#include <string>
#include <string_view>

#include "idm/crypto/error.h"
#include "idm/crypto/jwk.h"

namespace idm::crypto::internal {

// The JWS signature of input: ES256 as 64-byte R || S (RFC 7518 §3.4), PS256 with MGF1-SHA-256
// and a 32-byte salt (§3.5). The caller has checked that pkey fits alg. kInternal on failure.
Result<std::string> SignWith(EVP_PKEY* pkey, JwsAlg alg, std::string_view input);

// True if signature is a valid JWS signature of input under pkey for alg. False for any
// malformed signature (e.g. an ES256 signature that is not exactly 64 bytes).
bool VerifyWith(EVP_PKEY* pkey, JwsAlg alg, std::string_view input, std::string_view signature);

}  // namespace idm::crypto::internal
