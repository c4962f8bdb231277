// JSON Web Tokens (RFC 7519) signed as JWS (jws.h): signing, verification and claim checks for
// access tokens (RFC 9068), ID tokens (OIDC Core §2, §3.1.3.7), logout tokens and client
// assertions (RFC 7523 §3).
//
// Thread-safety: free functions and value types; safe to call concurrently with shared keys.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/clock.h"
#include "idm/core/json.h"
#include "idm/crypto/error.h"
#include "idm/crypto/jwk.h"
#include "idm/crypto/jws.h"
#include "idm/crypto/signing_key.h"

namespace idm::crypto {

// What a verifier expects of a token. Empty strings mean "not checked".
struct JwtValidation {
  std::vector<JwsAlg> allowed_algs;  // must not be empty: an empty list accepts nothing
  core::UnixSeconds now = 0;         // read once per request from core::Clock
  int64_t leeway_seconds = 60;       // clock skew tolerated on exp, nbf and iat (RFC 7519 §4.1.4)
  std::string issuer;                // iss must equal this (RFC 7519 §4.1.1)
  std::string audience;              // must be aud, or an element of an aud array (§4.1.3)
  std::string typ;                   // header typ must equal this, ignoring case and an
                                     // "application/" prefix (RFC 7515 §4.1.9), e.g. "at+jwt"
  bool require_exp = true;           // a token without exp is refused (kMissingClaim)
};

struct Jwt {
  core::Json header;            // the protected header (object)
  core::Json claims;            // the claims set (object)
  JwsAlg alg = JwsAlg::kEs256;  // for JwtDecodeUnverified: meaningful only if the header's alg
                                // is one idm implements
  std::string kid;  // kid of the verifying key (JwtDecodeUnverified: the header's kid, or empty)
};

// Signs claims (a JSON object) with header {"alg", "kid", "typ": typ}; typ "" leaves it out.
// Fails with kMalformed if claims is not an object, or as SigningKey::Sign.
Result<std::string> JwtSign(const SigningKey& key, const core::Json& claims,
                            std::string_view typ = "JWT");
// As JwtSign, for a claims set already written as JSON text (core::JsonWriter). The text is
// signed as it is: that it is one JSON object is the caller's promise, not checked here.
Result<std::string> JwtSignText(const SigningKey& key, std::string_view claims_json,
                                std::string_view typ = "JWT");

// Verifies the signature (JwsVerify with v.allowed_algs), then the typ header, then the claims
// (ValidateJwtClaims). Fails with the first error found; the payload must be a JSON object
// (kMalformed otherwise, RFC 7519 §7.2 step 10).
Result<Jwt> JwtVerify(std::string_view compact, const Jwk& key, const JwtValidation& v);
Result<Jwt> JwtVerify(std::string_view compact, const JwkSet& keys, const JwtValidation& v);

// Claim checks alone: exp (kExpired when now >= exp + leeway; kMissingClaim if absent and
// required), nbf (kNotYetValid when now + leeway < nbf), iat (kIssuedInFuture when now + leeway <
// iat), iss (kWrongIssuer), aud (kWrongAudience). A present exp/nbf/iat that is not a number, an
// expected iss or aud that is absent, a non-string iss, or an aud that is neither a string nor an
// array of strings, is kMissingClaim.
Status ValidateJwtClaims(const core::Json& claims, const JwtValidation& v);

// Decodes header and claims WITHOUT verifying, to find the issuer or kid before choosing keys
// (e.g. a private_key_jwt client assertion, RFC 7523 §3). Fails with kMalformed.
Result<Jwt> JwtDecodeUnverified(std::string_view compact);

}  // namespace idm::crypto
