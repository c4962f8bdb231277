// LogoutService: ends SSO sessions (docs/design/016-logout.md) — for RP-Initiated Logout 1.0 and,
// later, for administrators and the account console. Ending a session:
//   1. revokes the session (SessionRepo::Revoke), so its cookie names nothing any more;
//   2. revokes its refresh tokens that are not offline_access (RefreshTokenRepo::RevokeBySession;
//      OIDC Core §11: offline tokens are meant to outlive the browser session);
//   3. writes the audit event SessionLoggedOut (details: session_id, initiator_client_id,
//      refresh_tokens_revoked, reason);
// all in one transaction, and returns the clients that took part in the session, so the endpoint
// can notify them (front-channel iframes, back-channel logout tokens). No HTTP types here.
// EndSessionIn is that one procedure; End runs it for a logout, and the login runs it inside its
// own transaction when another user signs in in a browser that held a session
// (session::SessionService::SignIn), so both end a session the same way.
//
// Failures: kNotFound (no such session in the realm, or already ended), kUnavailable, kInternal.
// Thread-safety: safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/oidc_model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/session/session_service.h"
#include "idm/store/store.h"

namespace idm::authn {

struct EndedSession {
  core::SsoSession session;           // as it was before it ended
  std::vector<core::Client> clients;  // clients that took part and still exist, in join order
  int64_t refresh_tokens_revoked = 0;
};

// Why a session ended (the audit event's "reason").
inline constexpr std::string_view kEndedByLogout = "logout";
inline constexpr std::string_view kEndedBySignInOfAnotherUser = "replaced_by_another_user";

// Steps 1-3 above for `session` (usable or not, but not yet revoked) of realm, inside `tx`, at
// ctx.now; the caller commits. `initiator` as for End. Store failures as kUnavailable/kInternal.
core::ServiceResult<EndedSession> EndSessionIn(store::Transaction& tx, core::Random& random,
                                               const core::OpContext& ctx, const core::Realm& realm,
                                               const core::SsoSession& session,
                                               const std::string& initiator,
                                               std::string_view reason);

class LogoutService {
 public:
  // Everything must outlive the service.
  LogoutService(store::Store& store, core::Random& random, const session::SessionService& sessions)
      : store_(store), random_(random), sessions_(sessions) {}

  // The usable session the cookie names in realm, or nullopt.
  core::ServiceResult<std::optional<core::SsoSession>> Current(const core::Realm& realm,
                                                               std::string_view cookie_value,
                                                               core::UnixMillis now) const;

  // Ends the session `session_id` of realm at ctx.now; `initiator` says who asked (the OAuth
  // client_id of an RP-initiated logout, "" for the user on idm's own page), for the audit trail.
  core::ServiceResult<EndedSession> End(const core::OpContext& ctx, const core::Realm& realm,
                                        const std::string& session_id,
                                        const std::string& initiator) const;

 private:
  store::Store& store_;
  core::Random& random_;
  const session::SessionService& sessions_;
};

}  // namespace idm::authn
