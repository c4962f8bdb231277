// SweepExpiredState: deletes OIDC provider state that can no longer be used — expired or revoked
// SSO sessions, expired login flows, authorization codes, refresh tokens (expired or past their
// family's absolute lifetime) and remembered client-assertion jtis — with the DeleteExpired methods
// of idm/store/oidc_repos.h. Run on an interval by `idm serve` (app/maintenance.h). Every node may
// run it: each kind is one DELETE ... WHERE expires_at <= now in its own short transaction, so
// concurrent sweeps only find less to delete.
//
// Failures: kUnavailable (store unreachable or a serialisation conflict: the next run retries),
// kInternal. A failure stops the sweep at that kind; the counts of kinds already swept are lost
// to the caller but their deletions are committed.
//
// Thread-safety: free function over a thread-safe Store.
#pragma once

#include <cstdint>

#include "idm/core/clock.h"
#include "idm/core/json.h"
#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::oauth {

struct SweepCounts {
  int64_t sessions = 0;
  int64_t login_flows = 0;
  int64_t codes = 0;
  int64_t refresh_tokens = 0;
  int64_t jtis = 0;

  int64_t Total() const { return sessions + login_flows + codes + refresh_tokens + jtis; }
  core::Json ToJson() const;
};

core::ServiceResult<SweepCounts> SweepExpiredState(store::Store& store, core::UnixMillis now);

}  // namespace idm::oauth
