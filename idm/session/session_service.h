// SessionService: the single sign-on session of one browser in one realm (ARCHITECTURE.md
// "SSO"; docs/design/013-login-flow-and-sso-session.md). The browser holds an opaque cookie value
// crypto::NewSecret(kSessionPrefix "idm_ss_"); the store keeps only HashSecret(value)
// (ARCHITECTURE.md decision 4), so a database leak yields no usable cookie.
//
// Lifetimes come from the realm (RealmSettings::sso_session_idle_s / sso_session_max_s): the idle
// expiry slides forward on every use (Touch) but never past the absolute expiry fixed at Start.
// A session is usable when it is in the realm, not revoked and before both expiries.
//
// The methods work inside the caller's transaction so a login writes its session, its code and
// its audit events atomically (CONVENTIONS.md §8). No HTTP types: the endpoint turns the cookie
// value into a Set-Cookie header (http::SessionCookie).
//
// Failures: store errors mapped by realm::FromStoreError (kUnavailable, kInternal, ...).
// Thread-safety: stateless apart from the injected Random; safe to share between threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/oidc_model.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::session {

// The session's idle expiry after activity at `now`: now + idle lifetime, capped by the absolute
// expiry.
core::UnixMillis IdleExpiry(const core::RealmSettings& settings, core::UnixMillis now,
                            core::UnixMillis absolute_expires_at);

// True when `s` belongs to realm_id, is not revoked and neither expiry has passed at now.
bool IsUsable(const core::SsoSession& s, const std::string& realm_id, core::UnixMillis now);

// A session just started and the cookie value that names it (shown to the browser once).
struct StartedSession {
  core::SsoSession session;
  std::string cookie_value;
};

// How the user authenticated (OIDC Core §2 acr/amr/auth_time).
struct Authentication {
  std::string user_id;
  core::UnixMillis auth_time = 0;
  std::string acr;
  std::vector<std::string> amr;
};

// Ends `replaced`, a usable session of another user that the browser held when a user signed in,
// inside the sign-in's transaction. The login passes authn::EndSessionIn (docs/design/016), so a
// replaced session ends exactly as a logout ends it: revoked, its non-offline refresh tokens
// revoked, an audit event. An error rolls the sign-in back.
using EndReplacedSession =
    std::function<core::ServiceStatus(store::Transaction& tx, const core::SsoSession& replaced)>;

// The session a sign-in left the browser with; cookie_value is set when a new session started.
struct SignedIn {
  core::SsoSession session;
  std::optional<std::string> cookie_value;
};

class SessionService {
 public:
  // random must outlive the service.
  explicit SessionService(core::Random& random) : random_(random) {}

  // The usable session named by cookie_value in realm, or nullopt (no cookie, unknown value,
  // other realm, revoked, idle or absolutely expired).
  core::ServiceResult<std::optional<core::SsoSession>> Find(store::Transaction& tx,
                                                            const core::Realm& realm,
                                                            std::string_view cookie_value,
                                                            core::UnixMillis now) const;

  // Starts a session for `auth` with client_id (internal id) as its first client.
  core::ServiceResult<StartedSession> Start(store::Transaction& tx, const core::Realm& realm,
                                            const Authentication& auth,
                                            const std::string& client_id,
                                            core::UnixMillis now) const;

  // Records use of the session by client_id at now: slides the idle expiry and adds the client.
  // kNotFound if the session was revoked meanwhile.
  core::ServiceStatus Touch(store::Transaction& tx, const core::Realm& realm,
                            const core::SsoSession& session, const std::string& client_id,
                            core::UnixMillis now) const;

  // The browser that sent cookie_value ("" if none) authenticated as auth.user_id for client_id:
  // its usable session of that user is re-authenticated (no new cookie); otherwise a new session
  // starts, and a usable session of another user in the browser is ended with `end_replaced`
  // (one SSO session per browser) before the new one starts.
  core::ServiceResult<SignedIn> SignIn(store::Transaction& tx, const core::Realm& realm,
                                       std::string_view cookie_value, const Authentication& auth,
                                       const std::string& client_id, core::UnixMillis now,
                                       const EndReplacedSession& end_replaced) const;

  // The user authenticated again in this session (prompt=login, max_age): new auth_time, acr, amr.
  core::ServiceStatus Reauthenticate(store::Transaction& tx, const core::SsoSession& session,
                                     const Authentication& auth) const;

 private:
  core::Random& random_;
};

}  // namespace idm::session
