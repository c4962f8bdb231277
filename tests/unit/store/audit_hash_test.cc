// The audit chain's canonical form and hash (idm/store/audit_hash.h).
#include "idm/store/audit_hash.h"

#include <gtest/gtest.h>

namespace idm::store {
namespace {

core::AuditEvent Sample() {
  core::AuditEvent e;
  e.seq = 7;
  e.id = "e1";
  e.realm_id = "r1";
  e.time = 1700000000000;
  e.type = "UserCreated";
  e.actor = "system";
  e.resource_type = "user";
  e.resource_id = "u1";
  e.details = "{}";
  e.client_ip = "192.0.2.1";
  e.request_id = "req-1";
  return e;
}

TEST(AuditHash, CanonicalFormIsLengthPrefixedFieldsInFixedOrder) {
  EXPECT_EQ(AuditCanonicalForm(Sample()),
            "idm-audit-v1\nseq:1:7\nid:2:e1\nrealm_id:2:r1\ntime:13:1700000000000\n"
            "type:11:UserCreated\nactor:6:system\nresource_type:4:user\nresource_id:2:u1\n"
            "details:2:{}\nclient_ip:9:192.0.2.1\nrequest_id:5:req-1\n");
}

TEST(AuditHash, HashIsHexSha256OfPrevHashAndCanonicalForm) {
  // Computed independently: sha256(("0" * 64) + canonical form above) with Python's hashlib.
  EXPECT_EQ(AuditEventHash(kGenesisHash, Sample()),
            "5491b79758af5058bc52bdc19327109b893535360d211051717c766ff97663fb");
}

TEST(AuditHash, CanonicalFormDoesNotCoverStoredHashes) {
  core::AuditEvent a = Sample();
  core::AuditEvent b = Sample();
  b.prev_hash = "x";
  b.hash = "y";
  EXPECT_EQ(AuditCanonicalForm(a), AuditCanonicalForm(b));
}

TEST(AuditHash, ShiftingBytesBetweenFieldsChangesTheCanonicalForm) {
  core::AuditEvent a = Sample();
  a.client_ip = "a";
  a.request_id = "bc";
  core::AuditEvent b = Sample();
  b.client_ip = "ab";
  b.request_id = "c";
  EXPECT_NE(AuditCanonicalForm(a), AuditCanonicalForm(b));
  // Even a value that imitates the framing cannot collide.
  core::AuditEvent c = Sample();
  c.details = "{}\nclient_ip:9:192.0.2.1";
  c.client_ip = "";
  EXPECT_NE(AuditCanonicalForm(c), AuditCanonicalForm(Sample()));
}

TEST(AuditHash, EveryFieldIsCovered) {
  const std::string base = AuditEventHash(kGenesisHash, Sample());
  std::vector<std::pair<const char*, void (*)(core::AuditEvent&)>> cases = {
      {"seq", [](core::AuditEvent& e) { e.seq++; }},
      {"id", [](core::AuditEvent& e) { e.id += "x"; }},
      {"realm_id", [](core::AuditEvent& e) { e.realm_id += "x"; }},
      {"time", [](core::AuditEvent& e) { e.time++; }},
      {"type", [](core::AuditEvent& e) { e.type += "x"; }},
      {"actor", [](core::AuditEvent& e) { e.actor += "x"; }},
      {"resource_type", [](core::AuditEvent& e) { e.resource_type += "x"; }},
      {"resource_id", [](core::AuditEvent& e) { e.resource_id += "x"; }},
      {"details", [](core::AuditEvent& e) { e.details += " "; }},
      {"client_ip", [](core::AuditEvent& e) { e.client_ip += "x"; }},
      {"request_id", [](core::AuditEvent& e) { e.request_id += "x"; }},
  };
  for (const auto& [name, mutate] : cases) {
    core::AuditEvent e = Sample();
    mutate(e);
    EXPECT_NE(AuditEventHash(kGenesisHash, e), base) << name;
  }
  EXPECT_NE(AuditEventHash(std::string(64, '1'), Sample()), base) << "prev_hash";
}

std::vector<core::AuditEvent> Chain(int n) {
  std::vector<core::AuditEvent> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    core::AuditEvent e = Sample();
    e.seq = i;
    e.prev_hash = prev;
    e.hash = AuditEventHash(prev, e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

TEST(AuditHash, FirstBrokenLinkFindsEditsGapsAndWrongStart) {
  EXPECT_EQ(FirstBrokenAuditLink(Chain(4), kGenesisHash), -1);
  EXPECT_EQ(FirstBrokenAuditLink({}, kGenesisHash), -1);
  auto edited = Chain(4);
  edited[2].actor = "mallory";
  EXPECT_EQ(FirstBrokenAuditLink(edited, kGenesisHash), 2);
  auto gap = Chain(4);
  gap.erase(gap.begin() + 1);
  EXPECT_EQ(FirstBrokenAuditLink(gap, kGenesisHash), 1);
  EXPECT_EQ(FirstBrokenAuditLink(Chain(2), std::string(64, 'f')), 0);
  auto rehashed = Chain(3);  // an edit with a recomputed hash still breaks the next link
  rehashed[1].details = "{\"forged\":true}";
  rehashed[1].hash = AuditEventHash(rehashed[1].prev_hash, rehashed[1]);
  EXPECT_EQ(FirstBrokenAuditLink(rehashed, kGenesisHash), 2);
}

}  // namespace
}  // namespace idm::store
