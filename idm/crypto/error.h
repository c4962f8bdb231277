// crypto::Error: the one error type of idm/crypto (CONVENTIONS.md §5). Callers (services,
// endpoints) map it to their own errors; `message` is for logs and never contains key material,
// plaintexts, passwords or tokens — at most the name of a header or claim and what was wrong with
// it.
//
// Thread-safety: value types.
#pragma once

#include <string>

#include "idm/core/result.h"

namespace idm::crypto {

enum class ErrorCode {
  kMalformed,             // input is not well-formed: bad base64url, bad JSON, wrong segment count
  kInvalidKey,            // key material is unusable: wrong length, not on the curve, bad DER/JWK
  kUnsupportedAlgorithm,  // an algorithm idm does not implement (HS256, ES512, RSA1_5, ...)
  kAlgorithmNotAllowed,   // "none", or an algorithm outside the caller's allow-list
  kKeyMismatch,           // the key's kty/crv/size/alg/use does not fit the algorithm
  kKeyNotFound,           // no key in the set has the token's kid (or fits its alg)
  kBadSignature,          // the signature does not verify
  kDecryptFailed,         // AEAD authentication failed: tampered data, wrong key or wrong AAD
  kExpired,               // exp (plus leeway) is in the past
  kNotYetValid,           // nbf (minus leeway) is in the future
  kIssuedInFuture,        // iat (minus leeway) is in the future
  kWrongIssuer,           // iss differs from the expected issuer
  kWrongAudience,         // the expected audience is not in aud
  kWrongType,             // the JOSE "typ" header differs from the expected one
  kMissingClaim,          // a required claim is absent or has the wrong JSON type
  kInternal,              // OpenSSL or libargon2 failed in a way input cannot explain
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// A stable lower-case name ("bad_signature") for logs and metrics.
const char* ErrorCodeName(ErrorCode code);

template <class T>
using Result = core::Result<T, Error>;
using Status = core::Result<void, Error>;

inline Error MakeError(ErrorCode code, std::string message) { return {code, std::move(message)}; }

}  // namespace idm::crypto
