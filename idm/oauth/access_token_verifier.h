// AccessTokenVerifier: verifies a bearer JWT access token (RFC 9068) presented to a resource
// server inside idm (the admin API) and returns its claims.
//
// Checks, in order (RFC 9068 §4): the compact JWS parses; header typ is "at+jwt" (so an ID token
// or any other JWT is refused); `iss` is `{public_url}/realms/R` of an existing, enabled realm R;
// `kid` names a key published in R's JWKS (next, active or retired) whose alg equals the header's
// alg (never "none"); the signature verifies; `exp` is in the future (30 s leeway for clock skew);
// `aud` contains the expected audience. Keys come from KeyService's cache and the realm from a
// DirectoryCache (design 021), so a first verification costs one signature check.
//
// Verified tokens are remembered (design 025): the SHA-256 of the exact token bytes maps to the
// claims and to the key set that verified them. A token presented again — a resource server
// introspecting on every call, a client polling userinfo — skips the signature and the JSON
// parsing while the realm is still enabled, the realm's key set is the one that verified it (a
// rotation or a key removed makes it verify again), and the time checks pass; those time checks
// run on every use. Only successes are kept; at most kVerifiedTokenCacheEntries, expired entries
// dropped first when full.
//
// Failures are AccessTokenError values; the caller answers 401 with
// `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1), or 503 for kUnavailable.
// The message is for logs and may be shown to the caller: it never contains the token.
//
// Thread-safety: safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "idm/core/clock.h"
#include "idm/core/model.h"
#include "idm/core/result.h"
#include "idm/oauth/access_token_claims.h"
#include "idm/store/store.h"

namespace idm::oauth {

class KeyService;

enum class TokenErrorCode {
  kMalformed,      // not a compact JWS with JSON header and claims, or a required claim missing
  kWrongType,      // typ is not at+jwt
  kWrongIssuer,    // iss is not a realm of this installation, or the realm is disabled/unknown
  kUnknownKey,     // kid not published by the realm, or alg does not fit the key
  kBadSignature,   // signature does not verify
  kExpired,        // exp (plus leeway) is past, or iat lies in the future
  kWrongAudience,  // aud lacks the expected audience
  kUnavailable,    // the store could not be read; retry later (503, not 401)
};

struct AccessTokenError {
  TokenErrorCode code = TokenErrorCode::kMalformed;
  std::string message;
};

const char* TokenErrorCodeName(TokenErrorCode code);

// Verified tokens remembered per verifier (a few hundred bytes each).
inline constexpr size_t kVerifiedTokenCacheEntries = 4096;

struct VerifierOptions {
  std::string public_url;  // as in configuration
  std::string expected_audience = std::string(kAdminAudience);
  int64_t leeway_s = 30;  // clock skew tolerance for exp / iat
};

class AccessTokenVerifier {
 public:
  AccessTokenVerifier(VerifierOptions options, store::Store& store, KeyService& keys,
                      const core::Clock& clock);
  ~AccessTokenVerifier();
  AccessTokenVerifier(const AccessTokenVerifier&) = delete;
  AccessTokenVerifier& operator=(const AccessTokenVerifier&) = delete;

  // Verifies `token` (the credential of `Authorization: Bearer <token>`, without the scheme).
  core::Result<AccessTokenClaims, AccessTokenError> Verify(std::string_view token) const;

 private:
  struct Caches;

  // The enabled realm called `name` (from a not yet verified iss claim, or a remembered one).
  core::Result<core::Realm, AccessTokenError> EnabledRealm(const std::string& name) const;
  // The enabled realm named by the (not yet verified) iss claim.
  core::Result<core::Realm, AccessTokenError> RealmOf(std::string_view token) const;

  VerifierOptions options_;
  store::Store& store_;
  KeyService& keys_;
  const core::Clock& clock_;
  std::unique_ptr<Caches> caches_;
};

}  // namespace idm::oauth
