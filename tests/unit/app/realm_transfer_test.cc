// Realm export and import (idm/app/realm_transfer.h) on real SQLite stores.
#include "idm/app/realm_transfer.h"

#include <optional>

#include "idm/rbac/effective_roles.h"
#include "tests/unit/app/app_fixture.h"

namespace idm::app {
namespace {

class RealmTransfer : public AppTest {
 protected:
  // acme: alice (password) in /eng/backend; role viewer granted to /eng; role admin includes
  // viewer and is granted to bob; client svc with client role reader granted to alice.
  void Populate() {
    core::OpContext ctx = rt_->CliContext();
    core::Realm realm;
    realm.name = "acme";
    realm.settings.access_token_ttl_s = 120;
    ASSERT_TRUE(rt_->realms().Create(ctx, realm));
    core::User alice;
    alice.username = "alice";
    alice.email = "alice@example.com";
    auto a = rt_->users().Create(ctx, "acme", alice, std::string("a long enough password"));
    ASSERT_TRUE(a) << a.error().detail;
    core::User bob;
    bob.username = "bob";
    auto b = rt_->users().Create(ctx, "acme", bob, std::nullopt);
    ASSERT_TRUE(b);
    core::Group eng;
    eng.name = "eng";
    auto g = rt_->groups().Create(ctx, "acme", eng);
    ASSERT_TRUE(g);
    core::Group backend;
    backend.name = "backend";
    backend.parent_id = g->id;
    auto gb = rt_->groups().Create(ctx, "acme", backend);
    ASSERT_TRUE(gb);
    ASSERT_TRUE(rt_->groups().AddMember(ctx, "acme", gb->id, a->id));
    core::Role viewer, admin;
    viewer.name = "viewer";
    admin.name = "admin";
    auto rv = rt_->roles().Create(ctx, "acme", viewer);
    auto ra = rt_->roles().Create(ctx, "acme", admin);
    ASSERT_TRUE(rv && ra);
    ASSERT_TRUE(rt_->roles().AddComposite(ctx, "acme", ra->id, rv->id));
    ASSERT_TRUE(rt_->roles().Grant(ctx, "acme", core::RoleHolderKind::kGroup, g->id, rv->id));
    ASSERT_TRUE(rt_->roles().Grant(ctx, "acme", core::RoleHolderKind::kUser, b->id, ra->id));
    core::Client svc;
    svc.client_id = "svc";
    svc.grant_types = {"client_credentials"};
    auto c = rt_->clients().Create(ctx, "acme", svc);
    ASSERT_TRUE(c) << c.error().detail;
    secret_ = c->secret;
    core::Role reader;
    reader.name = "reader";
    reader.client_id = c->client.id;
    auto rr = rt_->roles().Create(ctx, "acme", reader);
    ASSERT_TRUE(rr);
    ASSERT_TRUE(rt_->roles().Grant(ctx, "acme", core::RoleHolderKind::kUser, a->id, rr->id));
  }

  std::string secret_;
};

TEST_F(RealmTransfer, ExportHoldsHashesButNeverSecrets) {
  Populate();
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc) << doc.error().message;
  std::string text = doc->dump();
  EXPECT_EQ(text.find(secret_), std::string::npos) << "client secret in clear";
  EXPECT_EQ(text.find("a long enough password"), std::string::npos);
  EXPECT_NE(text.find("$argon2id$"), std::string::npos);
  EXPECT_NE(text.find("sha256:"), std::string::npos);
  EXPECT_EQ((*doc)["users"].size(), 2u);
  EXPECT_EQ((*doc)["groups"].size(), 2u);
  EXPECT_EQ((*doc)["roles"].size(), 3u);
  EXPECT_EQ((*doc)["composites"].size(), 1u);
  EXPECT_EQ((*doc)["memberships"].size(), 1u);
  EXPECT_EQ((*doc)["role_mappings"].size(), 3u);
  EXPECT_FALSE(doc->contains("keys"));
}

TEST_F(RealmTransfer, RoundTripIntoAnotherDatabaseKeepsLoginsRolesAndSecrets) {
  Populate();
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc);
  auto target = OpenRuntime(dir_ + "/target.db");
  ASSERT_NE(target, nullptr);
  auto summary = ImportRealm(target->store(), *doc, target->CliContext(), target->random());
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->users, 2);
  EXPECT_EQ(summary->groups, 2);
  EXPECT_EQ(summary->roles, 3);
  EXPECT_EQ(summary->clients, 1);

  auto alice = target->users().VerifyPassword("acme", "alice", "a long enough password");
  ASSERT_TRUE(alice) << "the password hash did not survive the move";
  auto original = rt_->users().GetByUsername("acme", "alice");
  EXPECT_EQ(alice->id, original->id) << "ids are kept so sub claims stay stable";
  EXPECT_TRUE(target->clients().Authenticate("acme", "svc", secret_));
  auto roles = rbac::EffectiveRoles(target->store(), "acme", alice->id);
  ASSERT_TRUE(roles);
  EXPECT_EQ(roles->realm_roles, std::vector<std::string>{"viewer"});  // through /eng
  EXPECT_EQ(roles->client_roles["svc"], std::vector<std::string>{"reader"});
  auto bob = target->users().GetByUsername("acme", "bob");
  auto bob_roles = rbac::EffectiveRoles(target->store(), "acme", bob->id);
  EXPECT_EQ(bob_roles->realm_roles, (std::vector<std::string>{"admin", "viewer"}));
  auto realm = target->realms().Get("acme");
  EXPECT_EQ(realm->settings.access_token_ttl_s, 120);
  auto events = target->audit().List("acme", 0, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, "RealmImported");
  EXPECT_EQ((*events)[0].actor, "cli");
  EXPECT_EQ((*events)[0].resource_type, "realm");
  EXPECT_EQ((*events)[0].resource_id, realm->id);
  EXPECT_EQ(core::Json::parse((*events)[0].details).at("name"), "acme");
}

TEST_F(RealmTransfer, RoundTripKeepsClientOidcSettings) {
  Populate();
  core::OpContext ctx = rt_->CliContext();
  core::Client spa;
  spa.client_id = "spa";
  spa.type = core::ClientType::kPublic;
  spa.token_endpoint_auth_method = "none";
  spa.grant_types = {"authorization_code"};
  spa.redirect_uris = {"https://spa.example/cb"};
  spa.consent_required = false;
  spa.subject_type = "pairwise";
  spa.id_token_signed_response_alg = "EdDSA";
  spa.jwks_uri = "https://spa.example/jwks";
  spa.backchannel_logout_uri = "https://spa.example/bc";
  spa.backchannel_logout_session_required = true;
  spa.access_token_ttl_s = 90;
  ASSERT_TRUE(rt_->clients().Create(ctx, "acme", spa));
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc);
  auto target = OpenRuntime(dir_ + "/target.db");
  ASSERT_NE(target, nullptr);
  ASSERT_TRUE(ImportRealm(target->store(), *doc, target->CliContext(), target->random()));
  auto got = target->clients().GetByClientId("acme", "spa");
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->require_pkce);
  EXPECT_FALSE(got->consent_required);
  EXPECT_EQ(got->subject_type, "pairwise");
  EXPECT_EQ(got->id_token_signed_response_alg, "EdDSA");
  EXPECT_EQ(got->jwks_uri, "https://spa.example/jwks");
  EXPECT_EQ(got->backchannel_logout_uri, "https://spa.example/bc");
  EXPECT_TRUE(got->backchannel_logout_session_required);
  EXPECT_EQ(got->access_token_ttl_s, 90);

  for (core::Json& c : (*doc)["clients"]) {
    if (c["client_id"] == "spa") c["subject_type"] = "anonymous";
  }
  auto other = OpenRuntime(dir_ + "/other.db");
  ASSERT_NE(other, nullptr);
  auto refused = ImportRealm(other->store(), *doc, other->CliContext(), other->random());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("subject_type"), std::string::npos)
      << refused.error().message;
}

// docs/design/019: SMTP settings travel without their password (an export is not a secret
// store; the sealed password would not open under the target's KEK anyway).
class RealmTransferSmtp : public RealmTransfer {
 protected:
  void PutSmtp() {
    auto realm = rt_->realms().Get("acme");
    ASSERT_TRUE(realm);
    core::SmtpConfig c{realm->id,       "smtp.acme.example", 465,   "tls", "idm-mailer",
                       kSealed,         "no-reply@acme.example", "Acme 메일", 1};
    auto tx = rt_->store().Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(tx);
    ASSERT_TRUE((*tx)->smtp_settings().Put(c));
    ASSERT_TRUE((*tx)->Commit());
  }
  static std::optional<core::SmtpConfig> StoredSmtp(Runtime& rt) {
    auto realm = rt.realms().Get("acme");
    if (!realm) return std::nullopt;
    auto tx = rt.store().Begin(store::TxMode::kReadOnly);
    if (!tx) return std::nullopt;
    auto c = (*tx)->smtp_settings().Get(realm->id);
    if (!c) return std::nullopt;
    return *c;
  }
  static constexpr char kSealed[] = "c2VhbGVkLXBhc3N3b3JkLWJ5dGVz";
};

TEST_F(RealmTransferSmtp, ExportHoldsSmtpSettingsButNeverThePassword) {
  Populate();
  PutSmtp();
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_TRUE(doc->contains("smtp"));
  const core::Json& smtp = (*doc)["smtp"];
  EXPECT_EQ(smtp["host"], "smtp.acme.example");
  EXPECT_EQ(smtp["port"], 465);
  EXPECT_EQ(smtp["security"], "tls");
  EXPECT_EQ(smtp["username"], "idm-mailer");
  EXPECT_EQ(smtp["from_address"], "no-reply@acme.example");
  EXPECT_EQ(smtp["from_name"], "Acme 메일");
  EXPECT_FALSE(smtp.contains("password"));
  EXPECT_FALSE(smtp.contains("password_sealed"));
  EXPECT_EQ(doc->dump().find(kSealed), std::string::npos) << "the sealed password was exported";
}

TEST_F(RealmTransferSmtp, ExportWithoutSmtpSettingsHasNoSmtpMember) {
  Populate();
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc);
  EXPECT_FALSE(doc->contains("smtp"));
}

TEST_F(RealmTransferSmtp, ImportRestoresSmtpSettingsWithoutAPassword) {
  Populate();
  PutSmtp();
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc);
  auto target = OpenRuntime(dir_ + "/target.db");
  ASSERT_NE(target, nullptr);
  auto summary = ImportRealm(target->store(), *doc, target->CliContext(), target->random());
  ASSERT_TRUE(summary) << summary.error().message;
  std::optional<core::SmtpConfig> got = StoredSmtp(*target);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->host, "smtp.acme.example");
  EXPECT_EQ(got->port, 465);
  EXPECT_EQ(got->security, "tls");
  EXPECT_EQ(got->username, "idm-mailer");
  EXPECT_EQ(got->from_address, "no-reply@acme.example");
  EXPECT_EQ(got->from_name, "Acme 메일");
  EXPECT_EQ(got->password_sealed, "") << "the operator sets the password again";
}

TEST_F(RealmTransferSmtp, ImportRefusesAPasswordOrInvalidSmtpSettingsAndWritesNothing) {
  Populate();
  PutSmtp();
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc);
  struct Case {
    const char* name;
    const char* field;
    core::Json value;
  } cases[] = {
      {"a password added to the file", "password", "secret"},
      {"a header injected into the sender", "from_address", "a@b.example\r\nBcc: x@y.example"},
      {"an unknown security mode", "security", "ssl3"},
      {"a port out of range", "port", 70000},
  };
  for (const Case& c : cases) {
    core::Json edited = *doc;
    edited["smtp"][c.field] = c.value;
    auto target = OpenRuntime(dir_ + "/target-" + c.field + ".db");
    ASSERT_NE(target, nullptr) << c.name;
    auto r = ImportRealm(target->store(), edited, target->CliContext(), target->random());
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, TransferErrorCode::kInvalid) << c.name;
    EXPECT_NE(r.error().message.find(std::string("smtp")), std::string::npos)
        << c.name << ": " << r.error().message;
    EXPECT_FALSE(target->realms().Get("acme")) << c.name << ": rolled back";
  }
}

TEST_F(RealmTransfer, ImportOfAnExistingRealmFailsAndWritesNothing) {
  Populate();
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc);
  auto again = ImportRealm(rt_->store(), *doc, rt_->CliContext(), rt_->random());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, TransferErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message.find("realm acme already exists"), std::string::npos);
}

TEST_F(RealmTransfer, ImportRollsBackEverythingOnABrokenReference) {
  Populate();
  auto doc = ExportRealm(rt_->store(), "acme");
  ASSERT_TRUE(doc);
  (*doc)["memberships"].push_back({{"group_id", "no-such-group"}, {"user_id", "nobody"}});
  auto target = OpenRuntime(dir_ + "/target.db");
  auto r = ImportRealm(target->store(), *doc, target->CliContext(), target->random());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, TransferErrorCode::kInvalid) << r.error().message;
  EXPECT_FALSE(target->realms().Get("acme")) << "a failed import left a partial realm";
}

TEST_F(RealmTransfer, RejectsDocumentsOfAnotherFormatOrVersionOrShape) {
  struct Case { const char* name; core::Json doc; };
  const Case cases[] = {
      {"not an object", core::Json::array()},
      {"wrong format", {{"format", "keycloak"}, {"version", 1}}},
      {"future version", {{"format", kExportFormat}, {"version", 99}}},
      {"missing realm", {{"format", kExportFormat}, {"version", 1}}},
      {"mistyped users",
       {{"format", kExportFormat}, {"version", 1}, {"realm", {{"name", "x"}}}, {"users", 5}}},
  };
  for (const Case& c : cases) {
    auto r = ImportRealm(rt_->store(), c.doc, rt_->CliContext(), rt_->random());
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, TransferErrorCode::kInvalid) << c.name << ": " << r.error().message;
  }
}

TEST_F(RealmTransfer, ExportOfAnUnknownRealmIsNotFound) {
  auto r = ExportRealm(rt_->store(), "nope");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, TransferErrorCode::kNotFound);
}

}  // namespace
}  // namespace idm::app
