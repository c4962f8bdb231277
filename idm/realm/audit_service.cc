// AuditService; see audit_service.h.
#include "idm/realm/audit_service.h"

#include <utility>

#include "idm/realm/service_support.h"
#include "idm/store/audit_hash.h"

namespace idm::realm {
namespace {

constexpr int kVerifyPage = 1000;

// Checks one event against the chain so far; "" when it links and its hash recomputes.
std::string LinkProblem(const core::AuditEvent& e, int64_t expected_seq,
                        const std::string& expected_prev) {
  if (e.seq != expected_seq) return "sequence gap: an event is missing or was inserted";
  if (e.prev_hash != expected_prev) return "prev_hash does not link to the previous event";
  if (e.hash != store::AuditEventHash(e.prev_hash, e))
    return "hash mismatch: the event was changed";
  return "";
}

core::ServiceResult<ChainReport> VerifyRealm(store::Transaction& tx, const core::Realm& realm) {
  ChainReport report;
  report.realm = realm.name;
  int64_t last_seq = 0;
  std::string last_hash = store::kGenesisHash;
  for (;;) {
    auto page = tx.audit().List(realm.id, last_seq, kVerifyPage);
    if (!page) return FromStoreError(page.error(), "audit event");
    for (const auto& e : *page) {
      ++report.events_checked;
      std::string problem = LinkProblem(e, last_seq + 1, last_hash);
      if (!problem.empty()) {
        report.ok = false;
        report.first_bad_seq = e.seq;
        report.reason = std::move(problem);
        return report;
      }
      last_seq = e.seq;
      last_hash = e.hash;
    }
    if (page->size() < static_cast<size_t>(kVerifyPage)) break;
  }
  // The head row records where the chain ended at the last append: events deleted from the end
  // leave a chain that links perfectly but stops short of it.
  auto head = tx.audit().Head(realm.id);
  if (!head) return FromStoreError(head.error(), "audit head");
  if (head->first != last_seq || head->second != last_hash) {
    report.ok = false;
    report.first_bad_seq = last_seq + 1;
    report.reason = "the chain ends before its recorded head (seq " + std::to_string(head->first) +
                    "): newest events were deleted";
  }
  return report;
}

}  // namespace

core::ServiceResult<std::vector<core::AuditEvent>> AuditService::List(const std::string& realm,
                                                                      int64_t after_seq,
                                                                      int limit) {
  if (limit < 1 || limit > 1000 || after_seq < 0) {
    return core::InvalidArgument("invalid paging parameters",
                                 {{limit < 1 || limit > 1000 ? "limit" : "after_seq",
                                   "limit must be 1..1000 and after_seq >= 0"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto events = tx->audit().List(r.id, after_seq, limit);
  if (!events) return FromStoreError(events.error(), "audit event");
  return std::move(*events);
}

core::ServiceResult<ChainReport> AuditService::Verify(const std::string& realm) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  return VerifyRealm(*tx, r);
}

core::ServiceResult<std::vector<ChainReport>> AuditService::VerifyAll() {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  auto realms = tx->realms().List();
  if (!realms) return FromStoreError(realms.error(), "realm");
  std::vector<ChainReport> reports;
  for (const auto& r : *realms) {
    IDM_ASSIGN_OR_RETURN(ChainReport report, VerifyRealm(*tx, r));
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace idm::realm
