// RFC 6749 §4.4 Client Credentials Grant.
#include "idm/oauth/grants/client_credentials_grant.h"

#include "idm/oauth/scope.h"
#include "idm/realm/service_support.h"
#include "idm/oauth/service_error_mapping.h"
#include "idm/rbac/effective_roles.h"

namespace idm::oauth {
namespace {

// RFC 6749 §4.4: the client credentials grant type MUST only be used by confidential clients.
Status CheckConfidential(const core::Client& client) {
  if (client.type != core::ClientType::kConfidential) {
    return UnauthorizedClient("the client credentials grant is for confidential clients only");
  }
  return {};
}

}  // namespace

ClientCredentialsGrant::ClientCredentialsGrant(store::Store& store, account::UserService& users,
                                               const AccessTokenMinter& minter,
                                               core::Random& random, core::AuditSink* audit)
    : store_(store), users_(users), minter_(minter), random_(random), audit_(audit) {}

void ClientCredentialsGrant::RecordIssued(const core::Realm& realm, const core::Client& client,
                                          const AccessTokenRequest& request,
                                          const IssuedAccessToken& issued,
                                          const core::OpContext& ctx) const {
  if (audit_ == nullptr) return;
  // The shape of the other grants' events (AuthorizationCodeRedeemed): client_id, scope, jti;
  // never the token itself.
  core::Json details = {{"client_id", client.client_id},
                        {"grant", std::string(kGrantClientCredentials)},
                        {"scope", JoinScope(request.scope)},
                        {"jti", issued.jti},
                        {"subject", request.subject}};
  (void)audit_->Record(::idm::realm::MakeAuditEvent(ctx, random_, realm.id, "AccessTokenIssued",
                                                    "client", client.id, details));
}

Status ClientCredentialsGrant::FillSubject(const core::Realm& realm, const core::Client& client,
                                           AccessTokenRequest* request) const {
  std::string username = std::string(kServiceAccountPrefix) + client.client_id;
  core::ServiceResult<core::User> user = users_.GetByUsername(realm.name, username);
  if (!user) {
    if (user.error().code != core::ServiceErrorCode::kNotFound) {
      return FromServiceError(user.error(), "service account lookup");
    }
    request->subject = client.id;  // no service account: the client itself (RFC 9068 §2.2)
    return {};
  }
  if (!user->enabled) return UnauthorizedClient("the client's service account is disabled");
  core::ServiceResult<rbac::EffectiveRoleSet> roles =
      rbac::EffectiveRoles(store_, realm.name, user->id);
  if (!roles) return FromServiceError(roles.error(), "service account roles");
  request->subject = user->id;
  request->realm_roles = std::move(roles->realm_roles);
  request->client_roles = std::move(roles->client_roles);
  return {};
}

Result<TokenResponse> ClientCredentialsGrant::Exchange(const core::Realm& realm,
                                                       const core::Client& client,
                                                       const std::string& requested_scope,
                                                       const core::OpContext& ctx) const {
  IDM_TRY(CheckConfidential(client));
  AccessTokenRequest request;
  IDM_ASSIGN_OR_RETURN(request.scope, GrantScope(requested_scope, client.scopes));
  request.client_id = client.client_id;
  request.lifetime_s = client.access_token_ttl_s;  // 0 = the realm's
  IDM_TRY(FillSubject(realm, client, &request));
  core::ServiceResult<IssuedAccessToken> issued = minter_.Mint(realm, request, ctx.now);
  if (!issued) return FromServiceError(issued.error(), "mint access token");
  RecordIssued(realm, client, request, *issued, ctx);
  TokenResponse response;
  response.access_token = std::move(issued->token);
  response.expires_in = issued->expires_in;
  response.scope = JoinScope(request.scope);
  return response;
}

}  // namespace idm::oauth
