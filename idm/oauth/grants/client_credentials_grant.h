// The client credentials grant (RFC 6749 §4.4): a confidential client, already authenticated by
// the token endpoint, obtains an access token for itself. The token's subject and roles are those
// of the client's service-account user `service-account-<client_id>` (docs/design/005-tokens.md).
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
#include "idm/core/model.h"
#include "idm/oauth/access_token_minter.h"
#include "idm/oauth/error.h"
#include "idm/oauth/token_response.h"
#include "idm/store/store.h"

namespace idm::oauth {

inline constexpr std::string_view kGrantClientCredentials = "client_credentials";
inline constexpr std::string_view kServiceAccountPrefix = "service-account-";

class ClientCredentialsGrant {
 public:
  ClientCredentialsGrant(store::Store& store, account::UserService& users,
                         const AccessTokenMinter& minter);

  // Issues a token to `client` (authenticated, allowed this grant) of `realm` for the scope
  // parameter `requested_scope` ("" when absent), at `now`.
  Result<TokenResponse> Exchange(const core::Realm& realm, const core::Client& client,
                                 const std::string& requested_scope, core::UnixMillis now) const;

 private:
  // Subject and roles from the service-account user, if the realm has one for the client.
  Status FillSubject(const core::Realm& realm, const core::Client& client,
                     AccessTokenRequest* request) const;

  store::Store& store_;
  account::UserService& users_;
  const AccessTokenMinter& minter_;
};

}  // namespace idm::oauth
