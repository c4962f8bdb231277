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
    : store_(store),
      users_(users),
      minter_(minter),
      random_(random),
      audit_(audit),
      service_accounts_(store) {}

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

core::ServiceResult<ClientCredentialsGrant::ServiceAccount>
ClientCredentialsGrant::LoadServiceAccount(const core::Realm& realm,
                                           const core::Client& client) const {
  return service_accounts_.Get(
      realm.id + '\n' + client.id, [&]() -> core::ServiceResult<ServiceAccount> {
        std::string username = std::string(kServiceAccountPrefix) + client.client_id;
        core::ServiceResult<core::User> user = users_.GetByUsername(realm.name, username);
        ServiceAccount account;
        if (!user) {
          if (user.error().code != core::ServiceErrorCode::kNotFound) return user.error();
          return account;  // no service account: the client itself is the subject
        }
        account.user_id = user->id;
        account.enabled = user->enabled;
        if (!user->enabled) return account;
        IDM_ASSIGN_OR_RETURN(account.roles, rbac::EffectiveRoles(store_, realm.name, user->id));
        return account;
      });
}

Status ClientCredentialsGrant::FillSubject(const core::Realm& realm, const core::Client& client,
                                           AccessTokenRequest* request) const {
  core::ServiceResult<ServiceAccount> account = LoadServiceAccount(realm, client);
  if (!account) return FromServiceError(account.error(), "service account lookup");
  if (account->user_id.empty()) {
    request->subject = client.id;  // no service account: the client itself (RFC 9068 §2.2)
    return {};
  }
  if (!account->enabled) return UnauthorizedClient("the client's service account is disabled");
  request->subject = account->user_id;
  request->realm_roles = account->roles.realm_roles;
  request->client_roles = account->roles.client_roles;
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
