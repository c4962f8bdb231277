// EndSessionEndpoint: OpenID Connect RP-Initiated Logout 1.0, with Front-Channel Logout 1.0 and
// Back-Channel Logout 1.0 notifications of every client of the ended session
// (docs/design/016-logout.md).
//
// Routes (RegisterEndSessionRoutes):
//   GET|POST /realms/{realm}/protocol/openid-connect/logout           end_session_endpoint
//   POST     /realms/{realm}/protocol/openid-connect/logout/confirm   the confirmation form
//
// Request (RP-Initiated Logout §2): id_token_hint, client_id, post_logout_redirect_uri, state,
// ui_locales (logout_hint is accepted and not needed: the session comes from the cookie).
//  - id_token_hint must verify (signature by a key of the realm, iss; expiry is not checked, §2
//    allows expired hints); a bad one is an error page, never a redirect.
//  - post_logout_redirect_uri must equal one of the client's registered
//    post_logout_redirect_uris (§3: "MUST have been previously registered"); the client is the
//    one client_id names or else the hint's audience. An unregistered URI, or one without a way to
//    know the client, is an error page (no open redirector).
//  - With a hint naming the browser's current session (sid, or sub when the hint has no sid), the
//    session ends at once. Otherwise idm asks the user (§2: the OP SHOULD ask when it cannot tell
//    the request is genuine) on a page whose form carries a CSRF token bound to the session.
//  - Without a session the user is already signed out: the redirect (or page) follows directly.
// After the session ends: its cookie is cleared; each client with a backchannel_logout_uri gets a
// logout token (LogoutNotifier); each with a frontchannel_logout_uri is loaded in an iframe of
// the signed-out page, with iss and sid in its query (Front-Channel Logout §3), and the page
// offers the post-logout redirect as its continue link; without front-channel clients idm
// redirects to post_logout_redirect_uri (with state) at once.
//
// Thread-safety: Handle* are const and safe to call concurrently; dependencies must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idm/authn/logout_service.h"
#include "idm/core/clock.h"
#include "idm/http/router.h"
#include "idm/http/web.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/oauth/logout_notifier.h"
#include "idm/pages/csrf.h"
#include "idm/pages/page_renderer.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"

namespace idm::oauth {

struct EndSessionDeps {
  std::string public_url;
  realm::RealmService& realms;
  realm::ClientService& clients;
  KeyService& keys;
  authn::LogoutService& logout;
  const LogoutNotifier& notices;  // back-channel logout tokens (logout_notifier.h)
  const pages::PageRenderer& pages;
  const pages::CsrfTokens& csrf;
  core::Random& random;
  const core::Clock& clock;     // when a request has no received_at
  std::string pairwise_secret;  // for the sub of an id_token_hint (SubjectFor)
};

class EndSessionEndpoint {
 public:
  explicit EndSessionEndpoint(EndSessionDeps deps);

  http::WebResponse HandleLogout(const http::WebRequest& request) const;
  http::WebResponse HandleConfirm(const http::WebRequest& request) const;

 private:
  struct Call;
  struct Target;
  std::optional<Call> MakeCall(const http::WebRequest& request, http::WebResponse* error) const;
  // The validated client and post-logout redirect of a request, or an error page.
  std::optional<Target> ResolveTarget(const Call& call, const http::Params& params,
                                      std::optional<std::string>* hint_sid,
                                      std::optional<std::string>* hint_sub,
                                      http::WebResponse* error) const;
  http::WebResponse EndAndFinish(const Call& call, const core::SsoSession& session,
                                 const Target& target) const;
  http::WebResponse Finish(const Call& call, const Target& target,
                           const std::vector<std::string>& frontchannel) const;
  http::WebResponse ConfirmPage(const Call& call, const core::SsoSession& session,
                                const Target& target) const;
  http::WebResponse ErrorPage(const Call& call, int status, const std::string& key) const;
  std::string Locale(const Call& call) const;

  EndSessionDeps deps_;
  bool secure_;  // the public URL is https: Secure, __Host- cookies
};

void RegisterEndSessionRoutes(http::Router& router, const EndSessionEndpoint& endpoint);

}  // namespace idm::oauth
