// AuditSink: where a hot path hands an audit event it does not write in its own transaction
// (docs/design/014, "Client-credentials audit"). Most state changes write their event in the
// transaction of the change (ARCHITECTURE.md decision 6); an issuance that changes no state, such
// as a client-credentials token, records it here instead, and an implementation appends it to the
// realm's hash-chained trail later (realm::BatchedAuditWriter).
//
// Thread-safety: implementations are safe to call from any number of threads.
#pragma once

#include "idm/core/model.h"

namespace idm::core {

class AuditSink {
 public:
  virtual ~AuditSink() = default;
  // Takes the event (seq, prev_hash and hash are assigned when it is stored). Never blocks on
  // the store. Returns false when the event was dropped (the sink is full or stopped); the
  // implementation counts and logs drops, so callers go on with their request.
  virtual bool Record(AuditEvent event) = 0;
};

}  // namespace idm::core
