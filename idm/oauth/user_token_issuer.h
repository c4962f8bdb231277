// UserTokenIssuer: the tokens a user grant (authorization_code, refresh_token) hands out — an RFC
// 9068 access token, an OIDC Core §2 ID token when the scope has openid, and new refresh-token
// rows — plus the audit helper and lifetimes those grants share. The grants decide *whether* to
// issue; this file decides *what* is issued
// (docs/design/014-token-grants-and-client-authentication.md).
//
// Subjects: always SubjectFor(client, user_id, pairwise_secret) (claims.h, OIDC Core §8), the
// same in the access token and the ID token. User claims are assembled in one function,
// UserTokenClaims, so per-client claim mappers can replace it in one place.
//
// Failures (oauth::Error): server_error when the client's subject cannot be computed or signing
// fails, temporarily_unavailable when the store or keys cannot be read.
//
// Thread-safety: safe to share between threads; a Transaction argument belongs to the caller's
// thread.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/oidc_model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/oauth/access_token_minter.h"
#include "idm/oauth/error.h"
#include "idm/oauth/id_token.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/oauth/keys/realm_keys.h"
#include "idm/oauth/token_response.h"
#include "idm/rbac/effective_roles.h"
#include "idm/store/store.h"

namespace idm::oauth {

inline constexpr std::string_view kGrantAuthorizationCode = "authorization_code";
inline constexpr std::string_view kGrantRefreshToken = "refresh_token";
inline constexpr std::string_view kScopeOpenId = "openid";
inline constexpr std::string_view kScopeOfflineAccess = "offline_access";  // OIDC Core §11

// Whom and what a user grant issues tokens for.
struct UserGrantContext {
  const core::Realm* realm = nullptr;
  const core::Client* client = nullptr;
  const core::User* user = nullptr;
  std::vector<std::string> scope;  // granted scope tokens
  std::string session_id;          // SSO session (sid); "" when none
  core::UnixMillis auth_time = 0;  // 0 leaves auth_time out
  std::string acr;
  std::vector<std::string> amr;
  std::string nonce;  // authorization_code only (OIDC Core §12.2: not on refresh)
};

// What a user's tokens say about them beyond the protocol claims. The one place claims are put
// together (standard claims by scope, OIDC Core §5.4, and effective roles).
struct UserClaimSet {
  core::Json id_token_claims = core::Json::object();      // UserClaims(kIdToken)
  core::Json access_token_claims = core::Json::object();  // UserClaims(kAccessToken)
  rbac::EffectiveRoleSet roles;  // realm_access / resource_access of the access token
};
Result<UserClaimSet> UserTokenClaims(store::Transaction& tx, const core::Realm& realm,
                                     const core::Client& client, const core::User& user,
                                     const std::vector<std::string>& scope);

// Refresh-token lifetimes (seconds): sliding (each rotation) and absolute (the family).
// Offline tokens use offline_token_ttl_s / offline_token_max_ttl_s, others refresh_token_ttl_s /
// refresh_token_max_ttl_s; client.refresh_token_ttl_s, when set, replaces the sliding one.
std::pair<int64_t, int64_t> RefreshLifetimes(const core::Realm& realm, const core::Client& client,
                                             bool offline);

// A new refresh token: the secret to hand out and the row to store (hash only).
struct NewRefreshToken {
  std::string secret;  // "idm_rt_..."; never stored or logged
  core::RefreshToken row;
};

// Appends a token audit event (actor ctx.actor) in tx; server_error / temporarily_unavailable on
// store failure. `details` never holds a token or a hash of one.
Status AppendTokenEvent(store::Transaction& tx, core::Random& random, const core::OpContext& ctx,
                        const std::string& realm_id, const std::string& type,
                        const std::string& resource_type, const std::string& resource_id,
                        const core::Json& details);

class UserTokenIssuer {
 public:
  UserTokenIssuer(KeyService& keys, const AccessTokenMinter& access, const IdTokenMinter& id,
                  core::Random& random, std::string pairwise_secret)
      : keys_(keys),
        access_(access),
        id_(id),
        random_(random),
        pairwise_secret_(std::move(pairwise_secret)) {}

  // The realm's signing keys. Grants load them BEFORE opening their write transaction: loading
  // may need the store (on SQLite its single writer), which the grant's transaction would hold.
  Result<std::shared_ptr<const RealmKeys>> Keys(const core::Realm& realm) const;

  // The access token and, when the scope has openid, the ID token (with at_hash) for ctx at now,
  // signed with `keys`. `response` gets access_token, expires_in, scope and id_token; *jti the
  // access token's jti.
  Status Issue(store::Transaction& tx, const RealmKeys& keys, const UserGrantContext& ctx,
               core::UnixMillis now, TokenResponse* response, std::string* jti) const;

  // A refresh token of `family_id` for ctx (offline when the scope has offline_access), not yet
  // stored.
  NewRefreshToken NewRefresh(const UserGrantContext& ctx, const std::string& family_id,
                             core::UnixMillis now) const;

  // The `sub` the client sees for the user; server_error when a pairwise client has no sector.
  Result<std::string> Subject(const core::Client& client, const std::string& user_id) const;

  core::Random& random() const { return random_; }

 private:
  KeyService& keys_;
  const AccessTokenMinter& access_;
  const IdTokenMinter& id_;
  core::Random& random_;
  std::string pairwise_secret_;
};

}  // namespace idm::oauth
