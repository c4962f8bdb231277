// The audit chain's hashing (ARCHITECTURE.md decision 6): every realm's audit events form a hash
// chain, so editing, removing or reordering a stored event is detectable.
//
// Canonical form of an event (version 1), the bytes that are hashed:
//   "idm-audit-v1\n" followed by, for each field in this fixed order,
//   <field name> ":" <decimal byte length of the value> ":" <value bytes> "\n"
//   fields: seq, id, realm_id, time, type, actor, resource_type, resource_id, details,
//           client_ip, request_id   (seq and time as decimal integers)
// Length prefixes make the encoding injective: no two different events share a canonical form,
// whatever bytes their values contain. prev_hash and hash are not part of it.
//
//   hash = lower-case hex( SHA-256( prev_hash || canonical ) )
// where prev_hash is the previous event's hash as its 64 ASCII hex characters, and kGenesisHash
// (64 '0') for the first event of a realm.
//
// Thread-safety: free functions.
#pragma once

#include <string>
#include <vector>

#include "idm/core/model.h"

namespace idm::store {

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The canonical form above.
std::string AuditCanonicalForm(const core::AuditEvent& event);

// hex(SHA-256(prev_hash || AuditCanonicalForm(event))).
std::string AuditEventHash(const std::string& prev_hash, const core::AuditEvent& event);

// Checks a run of consecutive events of one realm: each event's prev_hash equals the previous
// event's hash (the first one's equals expected_prev_hash), seqs are consecutive, and each hash
// is recomputed. Returns the index of the first bad event, or -1 if the run is intact.
int64_t FirstBrokenAuditLink(const std::vector<core::AuditEvent>& events,
                             const std::string& expected_prev_hash);

}  // namespace idm::store
