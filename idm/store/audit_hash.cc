#include "idm/store/audit_hash.h"

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"

namespace idm::store {
namespace {

void AppendField(std::string& out, const char* name, const std::string& value) {
  out += name;
  out += ':';
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

}  // namespace

std::string AuditCanonicalForm(const core::AuditEvent& e) {
  std::string out = "idm-audit-v1\n";
  AppendField(out, "seq", std::to_string(e.seq));
  AppendField(out, "id", e.id);
  AppendField(out, "realm_id", e.realm_id);
  AppendField(out, "time", std::to_string(e.time));
  AppendField(out, "type", e.type);
  AppendField(out, "actor", e.actor);
  AppendField(out, "resource_type", e.resource_type);
  AppendField(out, "resource_id", e.resource_id);
  AppendField(out, "details", e.details);
  AppendField(out, "client_ip", e.client_ip);
  AppendField(out, "request_id", e.request_id);
  return out;
}

std::string AuditEventHash(const std::string& prev_hash, const core::AuditEvent& event) {
  return crypto::HexEncode(crypto::Sha256(prev_hash + AuditCanonicalForm(event)));
}

int64_t FirstBrokenAuditLink(const std::vector<core::AuditEvent>& events,
                             const std::string& expected_prev_hash) {
  std::string prev = expected_prev_hash;
  for (size_t i = 0; i < events.size(); ++i) {
    const core::AuditEvent& e = events[i];
    bool seq_ok = i == 0 || e.seq == events[i - 1].seq + 1;
    if (!seq_ok || e.prev_hash != prev || e.hash != AuditEventHash(prev, e)) {
      return static_cast<int64_t>(i);
    }
    prev = e.hash;
  }
  return -1;
}

}  // namespace idm::store
