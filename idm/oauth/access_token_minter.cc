// RFC 9068 §2 JWT access tokens: claims and signing.
#include "idm/oauth/access_token_minter.h"

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

core::Json AccessTokenMinter::Claims(const core::Realm& realm, const AccessTokenRequest& request,
                                     core::UnixSeconds iat, const std::string& jti) const {
  core::Json aud = core::Json::array({std::string(kAdminAudience)});
  core::Json resource_access = core::Json::object();
  for (const auto& [client_id, roles] : request.client_roles) {
    resource_access[client_id] = {{"roles", roles}};
    if (client_id != kAdminAudience) aud.push_back(client_id);
  }
  core::Json claims =
      request.extra_claims.is_object() ? request.extra_claims : core::Json::object();
  // The protocol claims replace any mapper claim of the same name.
  const core::Json protocol = {
      {"iss", IssuerOf(public_url_, realm.name)},
      {"sub", request.subject},
      {"aud", aud},
      {"iat", iat},
      {"exp", iat + AccessTokenLifetimeOf(realm, request)},
      {"jti", jti},
      {"client_id", request.client_id},
      {"realm_access", {{"roles", request.realm_roles}}},
      {"resource_access", resource_access},
  };
  for (const auto& [name, value] : protocol.items()) claims[name] = value;
  claims.erase("scope");
  claims.erase("sid");
  if (!request.scope.empty()) claims["scope"] = JoinScope(request.scope);
  if (!request.session_id.empty()) claims["sid"] = request.session_id;
  return claims;
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
      crypto::JwtSign(*key, Claims(realm, request, now / 1000, out.jti), "at+jwt");
  if (!jwt) {
    core::log::Error("oauth: signing failed",
                     {{"realm", realm.name}, {"error", jwt.error().message}});
    return core::ServiceError{core::ServiceErrorCode::kInternal, "signing failed", {}};
  }
  out.token = std::move(*jwt);
  return out;
}

}  // namespace idm::oauth
