// AuditService: reads a realm's audit trail and verifies its hash chain (ARCHITECTURE.md
// decision 6). Each stored event carries prev_hash and hash = SHA-256(prev_hash || canonical
// form), computed by the store (idm/store/audit_hash.h); Verify recomputes every link from the
// first event, so an edited, inserted or deleted row is reported with the first seq that breaks.
//
// Failures: kNotFound (unknown realm), kInvalidArgument (limit outside 1..1000, negative
// after_seq), kUnavailable, kInternal. A broken chain is not an error: it is a report with ok=false.
//
// Thread-safety: safe to share between threads; reads only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::realm {

struct ChainReport {
  std::string realm;             // realm name
  bool ok = true;
  int64_t events_checked = 0;    // events read (all of them when ok)
  int64_t first_bad_seq = 0;     // 0 when ok
  std::string reason;            // "" when ok; e.g. "hash mismatch", "prev_hash does not link"
};

class AuditService {
 public:
  explicit AuditService(store::Store& store) : store_(store) {}

  // Events of realm (by name) with seq > after_seq, in seq order, at most limit (1..1000).
  core::ServiceResult<std::vector<core::AuditEvent>> List(const std::string& realm,
                                                          int64_t after_seq, int limit);

  // Recomputes the chain of realm (by name) in one read transaction.
  core::ServiceResult<ChainReport> Verify(const std::string& realm);

  // Verify for every realm, ordered by realm name.
  core::ServiceResult<std::vector<ChainReport>> VerifyAll();

 private:
  store::Store& store_;
};

}  // namespace idm::realm
