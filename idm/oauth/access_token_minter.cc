// RFC 9068 §2 JWT access tokens: claims and signing.
#include "idm/oauth/access_token_minter.h"

#include "idm/core/json_writer.h"
#include "idm/core/log.h"
#include "idm/crypto/jwt.h"
#include "idm/oauth/access_token_claims.h"
#include "idm/oauth/issuer.h"
#include "idm/oauth/scope.h"

namespace idm::oauth {

int64_t AccessTokenLifetimeOf(const core::Realm& realm, const AccessTokenRequest& request) {
  return request.lifetime_s > 0 ? request.lifetime_s : realm.settings.access_token_ttl_s;
}

AccessTokenMinter::AccessTokenMinter(std::string public_url, KeyService& keys, core::Random& random)
    : public_url_(std::move(public_url)), keys_(keys), random_(random) {}

namespace {

// The claims the minter sets itself: a scope mapper's claim of one of these names is dropped
// (RFC 9068 §2.2 and idm's own claims must mean what the protocol says). "scope" and "sid" are
// dropped even when the request has none.
bool IsAccessTokenProtocolClaim(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "iss", "sub", "aud", "iat", "exp", "jti", "client_id", "realm_access", "resource_access",
      "scope", "sid"};
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

std::string AccessTokenMinter::Claims(const core::Realm& realm, const AccessTokenRequest& request,
                                      core::UnixSeconds iat, const std::string& jti) const {
  // Written as text (core::JsonWriter): building a core::Json and dumping it was a sixth of a
  // client-credentials request's CPU (docs/design/025, decision 11).
  std::string out;
  out.reserve(512);
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("iss").String(IssuerOf(public_url_, realm.name));
  w.Key("sub").String(request.subject);
  w.Key("aud").BeginArray().String(kAdminAudience);
  for (const auto& [client_id, roles] : request.client_roles) {
    if (client_id != kAdminAudience) w.String(client_id);
  }
  w.EndArray();
  w.Key("iat").Int(iat);
  w.Key("exp").Int(iat + AccessTokenLifetimeOf(realm, request));
  w.Key("jti").String(jti);
  w.Key("client_id").String(request.client_id);
  w.Key("realm_access").BeginObject().Key("roles").Strings(request.realm_roles).EndObject();
  w.Key("resource_access").BeginObject();
  for (const auto& [client_id, roles] : request.client_roles) {
    w.Key(client_id).BeginObject().Key("roles").Strings(roles).EndObject();
  }
  w.EndObject();
  if (!request.scope.empty()) w.Key("scope").String(JoinScope(request.scope));
  if (!request.session_id.empty()) w.Key("sid").String(request.session_id);
  if (request.extra_claims.is_object()) {
    for (const auto& [name, value] : request.extra_claims.items()) {
      if (!IsAccessTokenProtocolClaim(name)) w.Key(name).Value(value);
    }
  }
  w.EndObject();
  return out;
}

core::ServiceResult<IssuedAccessToken> AccessTokenMinter::Mint(const core::Realm& realm,
                                                               const AccessTokenRequest& request,
                                                               core::UnixMillis now) const {
  IDM_ASSIGN_OR_RETURN(std::shared_ptr<const RealmKeys> keys, keys_.Keys(realm));
  return MintWith(*keys, realm, request, now);
}

core::ServiceResult<IssuedAccessToken> AccessTokenMinter::MintWith(
    const RealmKeys& keys, const core::Realm& realm, const AccessTokenRequest& request,
    core::UnixMillis now) const {
  crypto::Result<crypto::JwsAlg> alg = crypto::ParseJwsAlg(realm.settings.default_signing_alg);
  const crypto::SigningKey* key = alg ? keys.ActiveKey(*alg) : nullptr;
  if (key == nullptr) {
    core::log::Error("oauth: no active signing key", {{"realm", realm.name}});
    return core::ServiceError{core::ServiceErrorCode::kInternal, "no active signing key", {}};
  }
  IssuedAccessToken out;
  out.jti = core::NewUuid(random_);
  out.kid = key->kid();
  out.expires_in = AccessTokenLifetimeOf(realm, request);
  crypto::Result<std::string> jwt =
      crypto::JwtSignText(*key, Claims(realm, request, now / 1000, out.jti), "at+jwt");
  if (!jwt) {
    core::log::Error("oauth: signing failed",
                     {{"realm", realm.name}, {"error", jwt.error().message}});
    return core::ServiceError{core::ServiceErrorCode::kInternal, "signing failed", {}};
  }
  out.token = std::move(*jwt);
  return out;
}

}  // namespace idm::oauth
