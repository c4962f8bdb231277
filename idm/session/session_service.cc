// SessionService; see session_service.h.
#include "idm/session/session_service.h"

#include <algorithm>
#include <utility>

#include "idm/crypto/secret.h"
#include "idm/realm/service_support.h"

namespace idm::session {

using realm::FromStoreError;

core::UnixMillis IdleExpiry(const core::RealmSettings& settings, core::UnixMillis now,
                            core::UnixMillis absolute_expires_at) {
  return std::min(now + settings.sso_session_idle_s * 1000, absolute_expires_at);
}

bool IsUsable(const core::SsoSession& s, const std::string& realm_id, core::UnixMillis now) {
  return s.realm_id == realm_id && s.revoked_at == 0 && now < s.idle_expires_at &&
         now < s.absolute_expires_at;
}

core::ServiceResult<std::optional<core::SsoSession>> SessionService::Find(
    store::Transaction& tx, const core::Realm& realm, std::string_view cookie_value,
    core::UnixMillis now) const {
  // Only values of our own format are looked up; anything else cannot name a session.
  if (cookie_value.substr(0, crypto::kSessionPrefix.size()) != crypto::kSessionPrefix) {
    return std::optional<core::SsoSession>();
  }
  auto found = tx.sessions().GetByHash(crypto::HashSecret(cookie_value));
  if (!found) {
    if (found.error().code == store::ErrorCode::kNotFound) return std::optional<core::SsoSession>();
    return FromStoreError(found.error(), "session");
  }
  if (!IsUsable(*found, realm.id, now)) return std::optional<core::SsoSession>();
  return std::optional<core::SsoSession>(std::move(*found));
}

core::ServiceResult<StartedSession> SessionService::Start(store::Transaction& tx,
                                                          const core::Realm& realm,
                                                          const Authentication& auth,
                                                          const std::string& client_id,
                                                          core::UnixMillis now) const {
  StartedSession started;
  started.cookie_value = crypto::NewSecret(random_, crypto::kSessionPrefix);
  core::SsoSession& s = started.session;
  s.id = core::NewUuid(random_);
  s.realm_id = realm.id;
  s.user_id = auth.user_id;
  s.session_hash = crypto::HashSecret(started.cookie_value);
  s.auth_time = auth.auth_time;
  s.acr = auth.acr;
  s.amr = auth.amr;
  s.client_ids = {client_id};
  s.created_at = now;
  s.last_seen_at = now;
  s.absolute_expires_at = now + realm.settings.sso_session_max_s * 1000;
  s.idle_expires_at = IdleExpiry(realm.settings, now, s.absolute_expires_at);
  if (auto created = tx.sessions().Create(s); !created) {
    return FromStoreError(created.error(), "session");
  }
  return started;
}

core::ServiceStatus SessionService::Touch(store::Transaction& tx, const core::Realm& realm,
                                          const core::SsoSession& session,
                                          const std::string& client_id,
                                          core::UnixMillis now) const {
  auto touched = tx.sessions().Touch(session.id, now,
                                     IdleExpiry(realm.settings, now, session.absolute_expires_at));
  if (!touched) return FromStoreError(touched.error(), "session");
  auto added = tx.sessions().AddClient(session.id, client_id);
  if (!added) return FromStoreError(added.error(), "session");
  return {};
}

core::ServiceResult<SignedIn> SessionService::SignIn(
    store::Transaction& tx, const core::Realm& realm, std::string_view cookie_value,
    const Authentication& auth, const std::string& client_id, core::UnixMillis now,
    const EndReplacedSession& end_replaced) const {
  IDM_ASSIGN_OR_RETURN(std::optional<core::SsoSession> existing,
                       Find(tx, realm, cookie_value, now));
  SignedIn out;
  if (existing && existing->user_id == auth.user_id) {
    IDM_TRY(Reauthenticate(tx, *existing, auth));
    out.session = std::move(*existing);
    out.session.auth_time = auth.auth_time;
    out.session.acr = auth.acr;
    out.session.amr = auth.amr;
    return out;
  }
  if (existing) IDM_TRY(end_replaced(tx, *existing));
  IDM_ASSIGN_OR_RETURN(StartedSession started, Start(tx, realm, auth, client_id, now));
  out.session = std::move(started.session);
  out.cookie_value = std::move(started.cookie_value);
  return out;
}

core::ServiceStatus SessionService::Reauthenticate(store::Transaction& tx,
                                                   const core::SsoSession& session,
                                                   const Authentication& auth) const {
  auto done = tx.sessions().Reauthenticate(session.id, auth.auth_time, auth.acr, auth.amr);
  if (!done) return FromStoreError(done.error(), "session");
  return {};
}

}  // namespace idm::session
