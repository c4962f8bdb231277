// Tokens of user grants: RFC 9068 access tokens, OIDC Core §2 / §3.1.3.6 ID tokens, RFC 6749 §6
// refresh tokens in RFC 9700 §4.14.2 rotation families.
#include "idm/oauth/user_token_issuer.h"

#include <algorithm>

#include "idm/core/log.h"
#include "idm/crypto/secret.h"
#include "idm/oauth/claims.h"
#include "idm/oauth/scope.h"
#include "idm/oauth/service_error_mapping.h"
#include "idm/oauth/user_claims.h"
#include "idm/realm/service_support.h"

namespace idm::oauth {

Result<UserClaimSet> UserTokenClaims(store::Transaction& tx, const core::Realm& realm,
                                     const core::Client& client, const core::User& user,
                                     const std::vector<std::string>& scope) {
  UserClaimSet out;
  ClaimSources sources;
  if (NeedsRolesOrGroups(client, scope)) {
    core::ServiceResult<ClaimSources> loaded = LoadClaimSources(tx, realm.id, user);
    if (!loaded) return FromServiceError(loaded.error(), "claim sources");
    sources = std::move(*loaded);
  }
  // One rule for every token and UserInfo (user_claims.h): standard claims by scope, then the
  // mappers of the client scopes granted.
  out.id_token_claims = UserClaims(client, user, scope, sources, ClaimTarget::kIdToken);
  out.access_token_claims = UserClaims(client, user, scope, sources, ClaimTarget::kAccessToken);
  core::ServiceResult<rbac::EffectiveRoleSet> roles = rbac::EffectiveRoles(tx, realm.id, user.id);
  if (!roles) return FromServiceError(roles.error(), "user roles");
  out.roles = std::move(*roles);
  return out;
}

std::pair<int64_t, int64_t> RefreshLifetimes(const core::Realm& realm, const core::Client& client,
                                             bool offline) {
  const core::RealmSettings& s = realm.settings;
  int64_t sliding = offline ? s.offline_token_ttl_s : s.refresh_token_ttl_s;
  int64_t absolute = offline ? s.offline_token_max_ttl_s : s.refresh_token_max_ttl_s;
  if (client.refresh_token_ttl_s > 0) sliding = client.refresh_token_ttl_s;
  return {sliding, absolute};
}

Status AppendTokenEvent(store::Transaction& tx, core::Random& random, const core::OpContext& ctx,
                        const std::string& realm_id, const std::string& type,
                        const std::string& resource_type, const std::string& resource_id,
                        const core::Json& details) {
  core::ServiceStatus s =
      realm::WriteAuditEvent(tx, ctx, random, realm_id, type, resource_type, resource_id, details);
  if (!s) return FromServiceError(s.error(), "token audit event");
  return {};
}

Result<std::string> UserTokenIssuer::Subject(const core::Client& client,
                                             const std::string& user_id) const {
  core::Result<std::string, std::string> sub = SubjectFor(client, user_id, pairwise_secret_);
  if (!sub) {
    core::log::Error("oauth: no subject for client",
                     {{"client_id", client.client_id}, {"reason", sub.error()}});
    return ServerError("the client's subject identifier cannot be computed");
  }
  return std::move(*sub);
}

Result<std::shared_ptr<const RealmKeys>> UserTokenIssuer::Keys(const core::Realm& realm) const {
  core::ServiceResult<std::shared_ptr<const RealmKeys>> keys = keys_.Keys(realm);
  if (!keys) return FromServiceError(keys.error(), "signing keys");
  return std::move(*keys);
}

Status UserTokenIssuer::Issue(store::Transaction& tx, const RealmKeys& keys,
                              const UserGrantContext& ctx, core::UnixMillis now,
                              TokenResponse* response, std::string* jti) const {
  const core::Realm& realm = *ctx.realm;
  const core::Client& client = *ctx.client;
  IDM_ASSIGN_OR_RETURN(std::string subject, Subject(client, ctx.user->id));
  IDM_ASSIGN_OR_RETURN(UserClaimSet claims,
                       UserTokenClaims(tx, realm, client, *ctx.user, ctx.scope));
  AccessTokenRequest at;
  // The access token names the user by id, pairwise client or not: resource servers and UserInfo
  // find the user by it (docs/design/015). ID tokens and UserInfo answers carry `subject`.
  at.subject = ctx.user->id;
  at.extra_claims = std::move(claims.access_token_claims);
  at.client_id = client.client_id;
  at.scope = ctx.scope;
  at.realm_roles = std::move(claims.roles.realm_roles);
  at.client_roles = std::move(claims.roles.client_roles);
  at.session_id = ctx.session_id;
  at.lifetime_s = client.access_token_ttl_s;  // 0 = the realm's
  core::ServiceResult<IssuedAccessToken> access = access_.MintWith(keys, realm, at, now);
  if (!access) return FromServiceError(access.error(), "mint access token");
  response->access_token = access->token;
  response->expires_in = access->expires_in;
  response->scope = JoinScope(ctx.scope);
  *jti = access->jti;
  if (!HasScope(ctx.scope, kScopeOpenId)) return {};
  IdTokenRequest id;  // OIDC Core §2
  id.subject = subject;
  id.client_id = client.client_id;
  id.auth_time = ctx.auth_time / 1000;
  id.nonce = ctx.nonce;
  id.acr = ctx.acr;
  id.amr = ctx.amr;
  id.sid = ctx.session_id;
  id.access_token = access->token;  // at_hash, OIDC Core §3.1.3.6
  id.signing_alg = ClientIdTokenAlg(client);
  id.extra_claims = std::move(claims.id_token_claims);
  core::ServiceResult<std::string> id_token = id_.MintWith(keys, realm, id, now);
  if (!id_token) return FromServiceError(id_token.error(), "mint id token");
  response->id_token = std::move(*id_token);
  return {};
}

NewRefreshToken UserTokenIssuer::NewRefresh(const UserGrantContext& ctx,
                                            const std::string& family_id,
                                            core::UnixMillis now) const {
  bool offline = HasScope(ctx.scope, kScopeOfflineAccess);
  auto [sliding_s, absolute_s] = RefreshLifetimes(*ctx.realm, *ctx.client, offline);
  NewRefreshToken out;
  out.secret = crypto::NewSecret(random_, crypto::kRefreshTokenPrefix);
  core::RefreshToken& t = out.row;
  t.id = core::NewUuid(random_);
  t.token_hash = crypto::HashSecret(out.secret);
  t.family_id = family_id;
  t.realm_id = ctx.realm->id;
  t.client_id = ctx.client->id;
  t.user_id = ctx.user->id;
  t.session_id = ctx.session_id;
  t.scope = JoinScope(ctx.scope);
  t.offline = offline;
  t.created_at = now;
  t.family_expires_at = now + absolute_s * 1000;
  t.expires_at = std::min(now + sliding_s * 1000, t.family_expires_at);
  // OIDC Core §12.2: the refresh's ID token describes the original authentication.
  t.auth_time = ctx.auth_time;
  t.acr = ctx.acr;
  t.amr = ctx.amr;
  return out;
}

}  // namespace idm::oauth
