// AuditRepo over portable SQL: appends to a realm's hash chain (audit_hash.h).
//
// Appends are serialised per realm by the realm's audit_heads row, updated in the appending
// transaction: `UPDATE ... RETURNING` takes its row lock in PostgreSQL, so a concurrent append in
// the same realm waits for this transaction and then reads the new head; SQLite has one writer.
// The chain therefore never forks, and seq has no gaps (a rolled-back append rolls back its head
// update too).
#include <algorithm>

#include "idm/store/audit_hash.h"
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kAuditCols[] =
    "seq, id, realm_id, time, type, actor, resource_type, resource_id, details, client_ip, "
    "request_id, prev_hash, hash";

core::AuditEvent AuditFromRow(const sql::Rows& r, size_t i) {
  core::AuditEvent e;
  e.seq = r.Int(i, 0);
  e.id = r.Text(i, 1);
  e.realm_id = r.Text(i, 2);
  e.time = r.Int(i, 3);
  e.type = r.Text(i, 4);
  e.actor = r.Text(i, 5);
  e.resource_type = r.Text(i, 6);
  e.resource_id = r.Text(i, 7);
  e.details = r.Text(i, 8);
  e.client_ip = r.Text(i, 9);
  e.request_id = r.Text(i, 10);
  e.prev_hash = r.Text(i, 11);
  e.hash = r.Text(i, 12);
  return e;
}

class SqlAuditRepo final : public AuditRepo {
 public:
  explicit SqlAuditRepo(sql::Connection& c) : c_(c) {}

  Result<core::AuditEvent> Append(const core::AuditEvent& event) override {
    IDM_ASSIGN_OR_RETURN(auto head, NextHead(event.realm_id, 1));
    core::AuditEvent out = event;
    out.seq = head.first;
    out.prev_hash = head.second;
    out.hash = AuditEventHash(out.prev_hash, out);
    IDM_TRY(SetHeadHash(out.realm_id, out.hash));
    IDM_TRY(Insert(out));
    return out;
  }

  Status AppendMany(const std::vector<core::AuditEvent>& events) override {
    // Realms in order of first appearance; each realm's events keep their order.
    std::vector<std::string> realms;
    for (const core::AuditEvent& e : events) {
      if (std::find(realms.begin(), realms.end(), e.realm_id) == realms.end()) {
        realms.push_back(e.realm_id);
      }
    }
    for (const std::string& realm_id : realms) {
      int64_t count = 0;
      for (const core::AuditEvent& e : events) count += e.realm_id == realm_id ? 1 : 0;
      IDM_ASSIGN_OR_RETURN(auto head, NextHead(realm_id, count));
      int64_t seq = head.first;
      std::string prev = head.second;
      for (const core::AuditEvent& e : events) {
        if (e.realm_id != realm_id) continue;
        core::AuditEvent out = e;
        out.seq = seq++;
        out.prev_hash = std::move(prev);
        out.hash = AuditEventHash(out.prev_hash, out);
        IDM_TRY(Insert(out));
        prev = std::move(out.hash);
      }
      IDM_TRY(SetHeadHash(realm_id, prev));
    }
    return {};
  }

 private:
  Status SetHeadHash(const std::string& realm_id, const std::string& hash) {
    IDM_TRY(
        Exec(c_, "UPDATE audit_heads SET last_hash = $1 WHERE realm_id = $2", {hash, realm_id}));
    return {};
  }

  Status Insert(const core::AuditEvent& out) {
    auto r = Exec(
        c_,
        "INSERT INTO audit_events (realm_id, seq, id, time, type, actor, resource_type, "
        "resource_id, details, client_ip, request_id, prev_hash, hash) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        {out.realm_id, out.seq, out.id, out.time, out.type, out.actor, out.resource_type,
         out.resource_id, out.details, out.client_ip, out.request_id, out.prev_hash, out.hash});
    if (!r) return WithMessage(r.error(), "audit event id is taken");
    return {};
  }

 public:
  Result<std::vector<core::AuditEvent>> List(const std::string& realm_id, int64_t after_seq,
                                             int limit) override {
    if (limit < 1 || limit > 10000) return Invalid("limit must be between 1 and 10000");
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_,
                                          "SELECT " + std::string(kAuditCols) +
                                              " FROM audit_events WHERE realm_id = $1 AND seq > "
                                              "$2 ORDER BY seq LIMIT $3",
                                          {realm_id, after_seq, Int(limit)}));
    std::vector<core::AuditEvent> out;
    for (size_t i = 0; i < rows.size(); ++i) out.push_back(AuditFromRow(rows, i));
    return out;
  }

  Result<std::pair<int64_t, std::string>> Head(const std::string& realm_id) override {
    IDM_ASSIGN_OR_RETURN(auto head, Query(c_,
                                          "SELECT last_seq, last_hash FROM audit_heads "
                                          "WHERE realm_id = $1",
                                          {realm_id}));
    if (head.empty()) return std::make_pair(int64_t{0}, std::string(kGenesisHash));
    return std::make_pair(head.Int(0, 0), head.Text(0, 1));
  }

 private:
  // Advances the realm's head by `count` and returns (seq of the first new event, hash before
  // it). The first append of
  // a realm creates the head; if a concurrent transaction created it first (PostgreSQL: the
  // INSERT waits for it, then inserts nothing), the UPDATE is retried and waits on its row lock.
  // Only statements that cannot fail on constraints run, so kNotFound leaves the
  // transaction usable.
  Result<std::pair<int64_t, std::string>> NextHead(const std::string& realm_id, int64_t count) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      IDM_ASSIGN_OR_RETURN(auto head, Query(c_,
                                            "UPDATE audit_heads SET last_seq = last_seq + $2 "
                                            "WHERE realm_id = $1 RETURNING last_seq, last_hash",
                                            {realm_id, count}));
      if (!head.empty()) return std::make_pair(head.Int(0, 0) - count + 1, head.Text(0, 1));
      if (attempt > 0) break;
      IDM_ASSIGN_OR_RETURN(auto realm,
                           Query(c_, "SELECT id FROM realms WHERE id = $1", {realm_id}));
      if (realm.empty()) return NotFound("realm not found");
      IDM_ASSIGN_OR_RETURN(int64_t created,
                           Exec(c_,
                                "INSERT INTO audit_heads (realm_id, last_seq, last_hash) "
                                "VALUES ($1, $2, $3) ON CONFLICT (realm_id) DO NOTHING",
                                {realm_id, count, std::string(kGenesisHash)}));
      if (created == 1) return std::make_pair(int64_t{1}, std::string(kGenesisHash));
    }
    return Unavailable("audit head of the realm could not be advanced");
  }

  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<AuditRepo> NewAuditRepo(sql::Connection& c) {
  return std::make_unique<SqlAuditRepo>(c);
}

}  // namespace idm::store::repos
