// OIDC Core §2 (ID token claims) and §3.1.3.6 (at_hash).
#include "idm/oauth/id_token.h"

#include <set>

#include "idm/core/log.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/crypto/jwt.h"
#include "idm/oauth/issuer.h"

namespace idm::oauth {
namespace {

core::ServiceError IdTokenFailure(core::ServiceErrorCode code, std::string detail) {
  return core::ServiceError{code, std::move(detail), {}};
}

// Claims only the protocol sets, even when this token leaves them out: a claim mapper may not
// invent an auth_time, a nonce or a hash.
bool IsProtocolClaim(const std::string& name) {
  static const std::set<std::string> kReserved = {
      "iss", "sub", "aud", "azp", "iat",     "exp",    "auth_time", "nonce", "acr",
      "amr", "sid", "jti", "nbf", "at_hash", "c_hash", "s_hash",    "cnf"};
  return kReserved.count(name) > 0;
}

void MergeExtraClaims(const core::Json& extra, core::Json* claims) {
  if (!extra.is_object()) return;
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    if (!IsProtocolClaim(it.key())) (*claims)[it.key()] = it.value();
  }
}

}  // namespace

std::string TokenHash(std::string_view token, crypto::JwsAlg alg) {
  std::string digest =
      alg == crypto::JwsAlg::kEdDsa ? crypto::Sha512(token) : crypto::Sha256(token);
  return crypto::Base64UrlEncode(std::string_view(digest).substr(0, digest.size() / 2));
}

core::Json IdTokenClaims(std::string_view issuer, const IdTokenRequest& request, crypto::JwsAlg alg,
                         core::UnixSeconds iat, int64_t ttl_s) {
  core::Json claims = {
      {"iss", std::string(issuer)},
      {"sub", request.subject},
      {"aud", request.client_id},
      {"azp", request.client_id},
      {"iat", iat},
      {"exp", iat + ttl_s},
  };
  if (request.auth_time > 0) claims["auth_time"] = request.auth_time;
  if (!request.nonce.empty()) claims["nonce"] = request.nonce;
  if (!request.acr.empty()) claims["acr"] = request.acr;
  if (!request.amr.empty()) claims["amr"] = request.amr;
  if (!request.sid.empty()) claims["sid"] = request.sid;
  if (!request.access_token.empty()) claims["at_hash"] = TokenHash(request.access_token, alg);
  MergeExtraClaims(request.extra_claims, &claims);
  return claims;
}

std::string ClientIdTokenAlg(const core::Client& client) {
  return client.id_token_signed_response_alg;
}

core::ServiceResult<const crypto::SigningKey*> IdTokenKey(const RealmKeys& keys,
                                                          std::string_view alg_name,
                                                          std::string_view realm_default) {
  std::string_view name = alg_name.empty() ? realm_default : alg_name;
  crypto::Result<crypto::JwsAlg> alg = crypto::ParseJwsAlg(name);
  if (!alg) {
    return IdTokenFailure(core::ServiceErrorCode::kInvalidArgument,
                          "unsupported id_token_signed_response_alg");
  }
  const crypto::SigningKey* key = keys.ActiveKey(*alg);
  if (key == nullptr) {
    return IdTokenFailure(core::ServiceErrorCode::kFailedPrecondition,
                          "the realm has no active " + std::string(name) + " key");
  }
  return key;
}

core::ServiceResult<std::string> SignIdToken(const RealmKeys& keys, const core::Realm& realm,
                                             std::string_view issuer, const IdTokenRequest& request,
                                             core::UnixSeconds now) {
  IDM_ASSIGN_OR_RETURN(const crypto::SigningKey* key,
                       IdTokenKey(keys, request.signing_alg, realm.settings.default_signing_alg));
  core::Json claims =
      IdTokenClaims(issuer, request, key->alg(), now, realm.settings.id_token_ttl_s);
  crypto::Result<std::string> jwt = crypto::JwtSign(*key, claims, "JWT");
  if (!jwt) {
    core::log::Error("oauth: id token signing failed",
                     {{"realm", realm.name}, {"error", jwt.error().message}});
    return IdTokenFailure(core::ServiceErrorCode::kInternal, "signing failed");
  }
  return std::move(*jwt);
}

core::ServiceResult<std::string> IdTokenMinter::Mint(const core::Realm& realm,
                                                     const IdTokenRequest& request,
                                                     core::UnixMillis now) const {
  IDM_ASSIGN_OR_RETURN(std::shared_ptr<const RealmKeys> keys, keys_.Keys(realm));
  return MintWith(*keys, realm, request, now);
}

core::ServiceResult<std::string> IdTokenMinter::MintWith(const RealmKeys& keys,
                                                         const core::Realm& realm,
                                                         const IdTokenRequest& request,
                                                         core::UnixMillis now) const {
  return SignIdToken(keys, realm, IssuerOf(public_url_, realm.name), request, now / 1000);
}

}  // namespace idm::oauth
