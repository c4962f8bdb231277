// The password factor; see password_factor.h.
#include "idm/authn/password_factor.h"

#include <utility>

#include "idm/authn/brute_force.h"
#include "idm/authn/login_support.h"
#include "idm/realm/service_support.h"

namespace idm::authn {
namespace {

using realm::FromStoreError;

// The counter under key, nullopt when none is recorded.
core::ServiceResult<std::optional<core::LoginFailureCounter>> Counter(store::Transaction& tx,
                                                                      const std::string& realm_id,
                                                                      const std::string& key) {
  auto c = tx.login_failures().Get(realm_id, key);
  if (c) return std::optional<core::LoginFailureCounter>(std::move(*c));
  if (c.error().code == store::ErrorCode::kNotFound) {
    return std::optional<core::LoginFailureCounter>();
  }
  return FromStoreError(c.error(), "login failures");
}

}  // namespace

core::ServiceResult<PasswordAttempt> LoadPasswordAttempt(store::Transaction& tx,
                                                         const core::Realm& realm,
                                                         const std::string& login,
                                                         const std::string& client_ip,
                                                         core::UnixMillis now) {
  PasswordAttempt a;
  IDM_ASSIGN_OR_RETURN(a.user, FindLoginUser(tx, realm.id, login));
  if (a.user) {
    auto stored = tx.users().GetPasswordHash(realm.id, a.user->id);
    if (stored) {
      a.phc = std::move(*stored);
    } else if (stored.error().code != store::ErrorCode::kNotFound) {
      return FromStoreError(stored.error(), "user");
    }
    IDM_ASSIGN_OR_RETURN(auto uc, Counter(tx, realm.id, UserFailureKey(a.user->id)));
    a.throttled = IsThrottled(uc, realm.settings, now);
  }
  IDM_ASSIGN_OR_RETURN(auto ic, Counter(tx, realm.id, AddressFailureKey(client_ip)));
  a.throttled = a.throttled || IsThrottled(ic, realm.settings, now);
  return a;
}

core::ServiceResult<bool> AttemptThrottled(store::Transaction& tx, const core::Realm& realm,
                                           const std::string& user_id,
                                           const std::string& client_ip, core::UnixMillis now) {
  IDM_ASSIGN_OR_RETURN(auto uc, Counter(tx, realm.id, UserFailureKey(user_id)));
  IDM_ASSIGN_OR_RETURN(auto ic, Counter(tx, realm.id, AddressFailureKey(client_ip)));
  return IsThrottled(uc, realm.settings, now) || IsThrottled(ic, realm.settings, now);
}

bool VerifyPasswordAttempt(const crypto::PasswordHasher& hasher, const std::string& decoy_phc,
                           const PasswordAttempt& attempt, const std::string& password) {
  const bool real = !attempt.throttled && !attempt.phc.empty();
  const bool match = hasher.Verify(password, real ? attempt.phc : decoy_phc);
  return real && match && attempt.user && attempt.user->enabled;
}

}  // namespace idm::authn
