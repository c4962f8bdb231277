// Back-Channel Logout 1.0 §2.4-2.5 notices of an ended session; see logout_notifier.h.
#include "idm/oauth/logout_notifier.h"

#include <memory>

#include "idm/core/log.h"
#include "idm/oauth/claims.h"
#include "idm/oauth/id_token.h"
#include "idm/oauth/logout_token.h"

namespace idm::oauth {

void LogoutNotifier::NotifyBackchannel(const core::Realm& realm, const std::string& issuer,
                                       const authn::EndedSession& ended,
                                       core::UnixMillis now) const {
  std::shared_ptr<const RealmKeys> keys;
  for (const core::Client& client : ended.clients) {
    if (client.backchannel_logout_uri.empty()) continue;
    if (!keys) {
      auto loaded = keys_.Keys(realm);
      if (!loaded) {
        core::log::Error("backchannel logout: signing keys unavailable",
                         {{"realm", realm.name}, {"error", loaded.error().detail}});
        return;
      }
      keys = *loaded;
    }
    LogoutTokenRequest r;
    r.client_id = client.client_id;
    auto sub = SubjectFor(client, ended.session.user_id, pairwise_secret_);
    if (sub) r.subject = *sub;
    r.sid = ended.session.id;
    r.jti = core::NewUuid(random_);
    r.signing_alg = ClientIdTokenAlg(client);
    auto token = SignLogoutToken(*keys, realm, issuer, r, now / 1000);
    if (!token) {
      core::log::Error("backchannel logout: logout token not signed",
                       {{"realm", realm.name},
                        {"client_id", client.client_id},
                        {"error", token.error().detail}});
      continue;
    }
    backchannel_.Enqueue(
        BackchannelDelivery{realm.name, client.client_id, client.backchannel_logout_uri, *token});
  }
}

}  // namespace idm::oauth
