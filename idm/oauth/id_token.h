// ID tokens (OIDC Core §2, §3.1.3.6): the claim set and its signature.
//
// Claims: iss, sub, aud (the client_id, as a string), azp (the client_id; OIDC Core §2 allows it
// for a single audience and relying parties that check it then find it), exp, iat, and when known
// auth_time, nonce (echoed from the authorization request, §3.1.2.1), acr, amr, sid (OIDC
// Front-/Back-Channel Logout §2.1/§2.4) and at_hash (§3.1.3.6). Extra claims (standard claims by
// scope and claim mappers, claims.h) are added but can never replace the claims above.
//
// at_hash = base64url(left half of hash(ASCII(access_token))) where the hash is the one of the ID
// token's alg: SHA-256 for ES256, RS256 and PS256 (RFC 7518 §3.1), SHA-512 for EdDSA with Ed25519
// (the OpenID Connect WG's resolution of connect issue #1125, recorded in "OpenID Connect Token
// Hash Algorithms 1.0"; Ed25519 hashes with SHA-512 internally, RFC 8032 §5.1).
//
// The signing key: the realm's active key of the client's id_token_signed_response_alg (OIDC
// Dynamic Client Registration §2; a client attribute until core::Client carries it) or else of
// the realm's default_signing_alg — the same KeyService snapshot the access-token minter uses.
//
// Thread-safety: pure functions; IdTokenMinter is safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idm/core/clock.h"
#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/service_error.h"
#include "idm/crypto/jwk.h"
#include "idm/crypto/signing_key.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/oauth/keys/realm_keys.h"

namespace idm::oauth {

struct IdTokenRequest {
  std::string subject;              // sub (public or pairwise, claims.h)
  std::string client_id;            // aud and azp
  core::UnixSeconds auth_time = 0;  // when the user authenticated; 0 leaves auth_time out
  std::string nonce;                // "" leaves nonce out
  std::string acr;                  // "" leaves acr out
  std::vector<std::string> amr;     // empty leaves amr out
  std::string sid;                  // session id for logout; "" leaves it out
  std::string access_token;         // issued alongside: at_hash; "" leaves at_hash out
  std::string signing_alg;          // the client's alg; "" means the realm's default
  core::Json extra_claims = core::Json::object();  // from claims.h; protocol claims win
};

// The left-half hash of OIDC Core §3.1.3.6 (at_hash, and c_hash of §3.3.2.11) for alg.
std::string TokenHash(std::string_view token, crypto::JwsAlg alg);

// The claim set of an ID token issued by `issuer` at `iat` that lives `ttl_s` seconds.
core::Json IdTokenClaims(std::string_view issuer, const IdTokenRequest& request, crypto::JwsAlg alg,
                         core::UnixSeconds iat, int64_t ttl_s);

// The client's id_token_signed_response_alg (OIDC Registration §2), "" for the realm default.
std::string ClientIdTokenAlg(const core::Client& client);

// The signing key for `alg_name` ("" = `realm_default`) among `keys`. kInvalidArgument for an
// unknown alg name, kFailedPrecondition when the realm has no active key of that alg.
core::ServiceResult<const crypto::SigningKey*> IdTokenKey(const RealmKeys& keys,
                                                          std::string_view alg_name,
                                                          std::string_view realm_default);

// Signs `request` as the realm's ID token (header typ "JWT", kid of the key). Failures as
// IdTokenKey, or kInternal when signing fails.
core::ServiceResult<std::string> SignIdToken(const RealmKeys& keys, const core::Realm& realm,
                                             std::string_view issuer, const IdTokenRequest& request,
                                             core::UnixSeconds now);

class IdTokenMinter {
 public:
  IdTokenMinter(std::string public_url, KeyService& keys)
      : public_url_(std::move(public_url)), keys_(keys) {}

  // Signs `request` for `realm` at `now` (lifetime: the realm's id_token_ttl_s). Failures are
  // KeyService's (kUnavailable, kInternal) or SignIdToken's.
  core::ServiceResult<std::string> Mint(const core::Realm& realm, const IdTokenRequest& request,
                                        core::UnixMillis now) const;
  // As Mint, with the realm's keys already loaded (for callers holding a store transaction).
  core::ServiceResult<std::string> MintWith(const RealmKeys& keys, const core::Realm& realm,
                                            const IdTokenRequest& request,
                                            core::UnixMillis now) const;

 private:
  std::string public_url_;
  KeyService& keys_;
};

}  // namespace idm::oauth
