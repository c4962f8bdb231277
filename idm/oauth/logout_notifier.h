// LogoutNotifier: sends the back-channel logout notices of an ended SSO session (OpenID Connect
// Back-Channel Logout 1.0 §2.4-2.5; docs/design/016-logout.md). Every way a session ends calls it
// after the ending committed (authn::EndSessionIn): RP-initiated logout (EndSessionEndpoint) and
// the sign-in of another user in the same browser (BrowserLogin).
//
// For each client of the session with a backchannel_logout_uri it signs a logout token (sub as in
// the client's ID tokens, sid = the session id, the client's ID token algorithm) and queues it on
// the BackchannelLogoutSender; nothing waits on the network. Failures (keys unavailable, a token
// not signed) are logged and skip the notice; the session has ended regardless.
//
// Thread-safety: Notify is const and safe to call concurrently; dependencies must outlive it.
#pragma once

#include <string>

#include "idm/authn/logout_service.h"
#include "idm/core/model.h"
#include "idm/core/random.h"
#include "idm/oauth/backchannel_logout.h"
#include "idm/oauth/keys/key_service.h"

namespace idm::oauth {

class LogoutNotifier {
 public:
  // pairwise_secret: as for SubjectFor (claims.h), so a pairwise client gets its own sub.
  LogoutNotifier(KeyService& keys, BackchannelLogoutSender& backchannel, core::Random& random,
                 std::string pairwise_secret)
      : keys_(keys),
        backchannel_(backchannel),
        random_(random),
        pairwise_secret_(std::move(pairwise_secret)) {}

  // Queues a logout token for every client of `ended` with a backchannel_logout_uri; `issuer` is
  // the realm's issuer, `now` the time of the logout (iat).
  void NotifyBackchannel(const core::Realm& realm, const std::string& issuer,
                         const authn::EndedSession& ended, core::UnixMillis now) const;

 private:
  KeyService& keys_;
  BackchannelLogoutSender& backchannel_;
  core::Random& random_;
  std::string pairwise_secret_;
};

}  // namespace idm::oauth
