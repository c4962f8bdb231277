// The client credentials grant (RFC 6749 §4.4): a confidential client, already authenticated by
// the token endpoint, obtains an access token for itself. The token's subject and roles are those
// of the client's service-account user `service-account-<client_id>` (docs/design/005-tokens.md).
//
// Audit (docs/design/014): each issued token is recorded as `AccessTokenIssued` (resource: the
// client; details: client_id, grant, scope, jti, subject) through the core::AuditSink when one is
// given — batched and asynchronous, not in a transaction of this request, since the grant changes
// no state and is the hot path of service-to-service calls. A dropped event does not fail the
// request (the sink counts and logs it).
//
// Failures (oauth::Error): unauthorized_client for a public client (RFC 6749 §4.4: "MUST only be
// used by confidential clients") or a disabled service-account user; invalid_scope for a scope
// the client may not request (RFC 6749 §4.4.2, §3.3); temporarily_unavailable / server_error when
// the store or the keys fail.
//
// Thread-safety: safe to share between threads.
#pragma once

#include <string>

#include "idm/account/user_service.h"
#include "idm/core/audit_sink.h"
#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/oauth/access_token_minter.h"
#include "idm/oauth/error.h"
#include "idm/oauth/token_response.h"
#include "idm/rbac/effective_roles.h"
#include "idm/realm/directory_cache.h"
#include "idm/store/store.h"

namespace idm::oauth {

inline constexpr std::string_view kGrantClientCredentials = "client_credentials";
inline constexpr std::string_view kServiceAccountPrefix = "service-account-";

class ClientCredentialsGrant {
 public:
  // `audit` may be null: then issuance is not audited.
  ClientCredentialsGrant(store::Store& store, account::UserService& users,
                         const AccessTokenMinter& minter, core::Random& random,
                         core::AuditSink* audit);

  // Issues a token to `client` (authenticated, allowed this grant) of `realm` for the scope
  // parameter `requested_scope` ("" when absent), at ctx.now; ctx (actor, client address,
  // request id) stamps the audit event.
  Result<TokenResponse> Exchange(const core::Realm& realm, const core::Client& client,
                                 const std::string& requested_scope,
                                 const core::OpContext& ctx) const;

 private:
  // Subject and roles from the service-account user, if the realm has one for the client.
  Status FillSubject(const core::Realm& realm, const core::Client& client,
                     AccessTokenRequest* request) const;
  // Hands the AccessTokenIssued event of `issued` to audit_ (when there is one).
  void RecordIssued(const core::Realm& realm, const core::Client& client,
                    const AccessTokenRequest& request, const IssuedAccessToken& issued,
                    const core::OpContext& ctx) const;

  // The client's service-account user as the token needs it; cached (realm/directory_cache.h),
  // since looking it up and computing its effective roles is most of a token's cost otherwise.
  struct ServiceAccount {
    std::string user_id;  // "" when the realm has no service-account user for the client
    bool enabled = true;
    rbac::EffectiveRoleSet roles;
  };
  core::ServiceResult<ServiceAccount> LoadServiceAccount(const core::Realm& realm,
                                                         const core::Client& client) const;

  store::Store& store_;
  account::UserService& users_;
  const AccessTokenMinter& minter_;
  core::Random& random_;
  core::AuditSink* audit_;
  mutable realm::DirectoryCache<ServiceAccount> service_accounts_;  // by realm id + client id
};

}  // namespace idm::oauth
