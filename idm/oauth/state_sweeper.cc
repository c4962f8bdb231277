// Deletion of expired OIDC state; see state_sweeper.h.
#include "idm/oauth/state_sweeper.h"

#include <functional>

#include "idm/realm/service_support.h"

namespace idm::oauth {
namespace {

using Deleter = std::function<store::Result<int64_t>(store::Transaction&)>;

core::ServiceResult<int64_t> SweepOne(store::Store& store, const char* what,
                                      const Deleter& remove) {
  IDM_ASSIGN_OR_RETURN(auto tx, realm::BeginTx(store, store::TxMode::kReadWrite));
  store::Result<int64_t> n = remove(*tx);
  if (!n) return realm::FromStoreError(n.error(), what);
  IDM_TRY(realm::CommitTx(*tx));
  return *n;
}

}  // namespace

core::Json SweepCounts::ToJson() const {
  return {{"sessions", sessions},
          {"login_flows", login_flows},
          {"codes", codes},
          {"refresh_tokens", refresh_tokens},
          {"jtis", jtis}};
}

core::ServiceResult<SweepCounts> SweepExpiredState(store::Store& store, core::UnixMillis now) {
  SweepCounts c;
  IDM_ASSIGN_OR_RETURN(c.sessions, SweepOne(store, "session", [now](store::Transaction& tx) {
                         return tx.sessions().DeleteExpired(now);
                       }));
  IDM_ASSIGN_OR_RETURN(c.login_flows, SweepOne(store, "login flow", [now](store::Transaction& tx) {
                         return tx.login_flows().DeleteExpired(now);
                       }));
  IDM_ASSIGN_OR_RETURN(
      c.codes, SweepOne(store, "authorization code",
                        [now](store::Transaction& tx) { return tx.codes().DeleteExpired(now); }));
  IDM_ASSIGN_OR_RETURN(c.refresh_tokens,
                       SweepOne(store, "refresh token", [now](store::Transaction& tx) {
                         return tx.refresh_tokens().DeleteExpired(now);
                       }));
  IDM_ASSIGN_OR_RETURN(c.jtis, SweepOne(store, "jti", [now](store::Transaction& tx) {
                         return tx.jtis().DeleteExpired(now);
                       }));
  return c;
}

}  // namespace idm::oauth
