// The everyday admin tasks from a shell, through the real binary: `idm realm|user|group|role|client`,
// `idm audit verify` (including tampering done behind idm's back), `idm keys rotate` as seen in
// JWKS and in the kid of new tokens, and `idm migrate`.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <filesystem>
#include <set>

#include "idm/core/json.h"
#include "idm/crypto/encoding.h"
#include "idm/http/client.h"
#include "tests/integration/test_support.h"

namespace idm::testing {
namespace {

class CliCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("idm-cli");
    idm_ = std::make_unique<ServerProcess>(dir_, std::map<std::string, std::string>{
                                                     {"IDM_KEK", NewKekHex()}});
  }
  void TearDown() override {
    idm_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Runs idm and expects exit status 0; returns its output.
  std::string Ok(const std::vector<std::string>& args) {
    RunResult r = idm_->Run(args);
    EXPECT_EQ(r.exit_code, 0) << "idm " << ::testing::PrintToString(args) << "\n" << r.output;
    return r.output;
  }
  // The JSON document that starts at the first '{' or '[' of idm's output.
  static core::Json JsonOf(const std::string& output) {
    size_t at = output.find_first_of("{[");
    if (at == std::string::npos) return core::Json();
    return core::Json::parse(output.substr(at), nullptr, false);
  }
  void RawSql(const std::string& sql) {
    sqlite3* db = nullptr;
    std::string path = dir_ + "/idm.db";
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> idm_;
};

TEST_F(CliCommands, ManagesUsersGroupsAndCompositeRolesOfARealm) {
  Ok({"realm", "create", "acme"});
  Ok({"user", "create", "--realm", "acme", "alice", "--email", "Alice@Example.com"});
  Ok({"user", "create", "--realm", "acme", "bob"});
  core::Json page = JsonOf(Ok({"user", "list", "--realm", "acme", "--prefix", "ALI"}));
  ASSERT_TRUE(page.contains("items")) << page.dump();
  ASSERT_EQ(page["items"].size(), 1u) << page.dump();
  EXPECT_EQ(page["items"][0]["username"], "alice");

  Ok({"user", "update", "--realm", "acme", "bob", "--enabled", "false"});
  EXPECT_EQ(JsonOf(Ok({"user", "get", "--realm", "acme", "bob"}))["enabled"], false);

  Ok({"group", "create", "--realm", "acme", "/eng"});
  Ok({"group", "create", "--realm", "acme", "/eng/backend"});
  Ok({"group", "add-member", "--realm", "acme", "/eng/backend", "alice"});
  EXPECT_NE(Ok({"group", "members", "--realm", "acme", "/eng/backend"}).find("alice"),
            std::string::npos);
  EXPECT_NE(Ok({"user", "groups", "--realm", "acme", "alice"}).find("\"backend\""),
            std::string::npos);

  // editor includes viewer; /eng has editor; alice is in /eng/backend: she has both.
  Ok({"role", "create", "--realm", "acme", "viewer"});
  Ok({"role", "create", "--realm", "acme", "editor"});
  Ok({"role", "add-composite", "--realm", "acme", "editor", "viewer"});
  Ok({"role", "grant", "--realm", "acme", "editor", "--group", "/eng"});
  std::string roles = Ok({"user", "roles", "--realm", "acme", "alice"});
  EXPECT_NE(roles.find("editor"), std::string::npos) << roles;
  EXPECT_NE(roles.find("viewer"), std::string::npos) << roles;
  // A cycle is refused with a clear error.
  RunResult cycle = idm_->Run({"role", "add-composite", "--realm", "acme", "viewer", "editor"});
  EXPECT_EQ(cycle.exit_code, 1) << cycle.output;

  // Deleting /eng deletes /eng/backend, so alice loses the grant.
  Ok({"group", "delete", "--realm", "acme", "/eng"});
  roles = Ok({"user", "roles", "--realm", "acme", "alice"});
  EXPECT_EQ(roles.find("editor"), std::string::npos) << roles;

  Ok({"user", "delete", "--realm", "acme", "alice"});
  RunResult gone = idm_->Run({"user", "get", "--realm", "acme", "alice"});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.output.find("not found"), std::string::npos) << gone.output;
  RunResult dup = idm_->Run({"user", "create", "--realm", "acme", "BOB"});
  EXPECT_EQ(dup.exit_code, 1) << "usernames are unique case-insensitively: " << dup.output;
}

TEST_F(CliCommands, PrintsAClientSecretOnlyWhenCreatedOrRegenerated) {
  Ok({"realm", "create", "acme"});
  core::Json created = JsonOf(Ok({"client", "create", "--realm", "acme", "svc"}));
  std::string first = created.value("secret", "");
  ASSERT_EQ(first.rfind("idm_cs_", 0), 0u) << created.dump();
  core::Json regenerated = JsonOf(Ok({"client", "regenerate-secret", "--realm", "acme", "svc"}));
  std::string second = regenerated.value("secret", "");
  ASSERT_EQ(second.rfind("idm_cs_", 0), 0u);
  EXPECT_NE(first, second);
  std::string shown = Ok({"client", "get", "--realm", "acme", "svc"});
  EXPECT_EQ(shown.find(first), std::string::npos);
  EXPECT_EQ(shown.find(second), std::string::npos);
  EXPECT_EQ(shown.find("idm_cs_"), std::string::npos) << shown;
}

TEST_F(CliCommands, AuditVerifyPassesThenFailsAfterTamperingOrTruncation) {
  Ok({"realm", "create", "acme"});
  Ok({"user", "create", "--realm", "acme", "alice"});
  Ok({"user", "create", "--realm", "acme", "bob"});
  core::Json report = JsonOf(Ok({"audit", "verify", "--realm", "acme"}));
  ASSERT_TRUE(report.is_array()) << report.dump();
  EXPECT_EQ(report[0]["ok"], true);
  EXPECT_EQ(report[0]["events_checked"], 3);

  RawSql("DELETE FROM audit_events WHERE seq = 3");  // the newest event: a clean truncation
  RunResult truncated = idm_->Run({"audit", "verify"});
  EXPECT_EQ(truncated.exit_code, 1) << truncated.output;
  EXPECT_NE(truncated.output.find("FAILED"), std::string::npos) << truncated.output;

  Ok({"realm", "create", "other"});
  RawSql("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 1 AND realm_id = "
         "(SELECT id FROM realms WHERE name = 'other')");
  RunResult edited = idm_->Run({"audit", "verify", "--realm", "other"});
  EXPECT_EQ(edited.exit_code, 1) << edited.output;
  EXPECT_NE(edited.output.find("hash mismatch"), std::string::npos) << edited.output;
}

// The kid in the protected header of a compact JWS.
std::string KidOf(const std::string& jwt) {
  auto header = crypto::Base64UrlDecode(jwt.substr(0, jwt.find('.')));
  if (!header) return "";
  return core::Json::parse(*header, nullptr, false).value("kid", "");
}

std::set<std::string> JwksKids(http::Client& client) {
  auto r = client.Get("/realms/acme/protocol/openid-connect/certs");
  EXPECT_TRUE(r && r->status == 200);
  std::set<std::string> kids;
  if (!r) return kids;
  core::Json jwks = core::Json::parse(r->body, nullptr, false);
  if (!jwks.is_object() || !jwks["keys"].is_array()) return kids;
  for (const auto& k : jwks["keys"]) kids.insert(k.value("kid", ""));
  return kids;
}

// Starts the server, reads JWKS and the kid of a fresh client-credentials token, stops it.
std::pair<std::set<std::string>, std::string> Observe(ServerProcess& server,
                                                      const std::string& secret) {
  EXPECT_TRUE(server.Start()) << server.Output();
  http::Client client(server.base_url());
  std::set<std::string> kids = JwksKids(client);
  auto token = client.Post("/realms/acme/protocol/openid-connect/token",
                           "grant_type=client_credentials&client_id=svc&client_secret=" + secret,
                           "application/x-www-form-urlencoded");
  EXPECT_TRUE(token && token->status == 200) << (token ? token->body : token.error().message);
  std::string kid = token ? KidOf(core::Json::parse(token->body).value("access_token", "")) : "";
  EXPECT_EQ(server.Signal(SIGTERM), 0);
  return {kids, kid};
}

TEST_F(CliCommands, KeysRotatePromotesThePublishedNextKeyAndKeepsTheOldOneInJwks) {
  Ok({"realm", "create", "acme"});
  std::string secret = JsonOf(Ok({"client", "create", "--realm", "acme", "svc"})).value("secret", "");
  auto [before, signer_before] = Observe(*idm_, secret);
  ASSERT_FALSE(signer_before.empty());
  ASSERT_TRUE(before.count(signer_before));
  ASSERT_GE(before.size(), 2u) << "the next key is published before it signs";

  Ok({"keys", "rotate", "--realm", "acme"});
  auto [after, signer_after] = Observe(*idm_, secret);
  EXPECT_NE(signer_after, signer_before);
  EXPECT_TRUE(before.count(signer_after)) << "the new signer was already in JWKS";
  EXPECT_TRUE(after.count(signer_before)) << "the retired key stays while its tokens live";
  bool has_new_next = false;
  for (const auto& kid : after) has_new_next = has_new_next || !before.count(kid);
  EXPECT_TRUE(has_new_next) << "a new next key is published";

  RunResult unknown = idm_->Run({"keys", "rotate", "--realm", "nope"});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  RunResult bad_alg = idm_->Run({"keys", "rotate", "--realm", "acme", "--alg", "HS256"});
  EXPECT_EQ(bad_alg.exit_code, 1) << bad_alg.output;
}

TEST_F(CliCommands, UserResetMfaRemovesEveryFactorAndIsAudited) {
  Ok({"realm", "create", "acme"});
  Ok({"user", "create", "--realm", "acme", "alice"});
  // A confirmed TOTP credential and a recovery code, written behind idm's back (the login is
  // the only way to enrol; tests/integration/mfa_login_test.cc covers it).
  RawSql("INSERT INTO credentials (id, realm_id, user_id, type, name, secret, algorithm, digits, "
         "period, last_used_step, confirmed_at, created_at, last_used_at) SELECT 'c1', realm_id, "
         "id, 'totp', 'phone', 'sealed', 'SHA1', 6, 30, NULL, 1, 1, 0 FROM users WHERE "
         "username = 'alice'");
  RawSql("INSERT INTO recovery_codes (code_hash, realm_id, user_id, created_at, used_at) SELECT "
         "'h1', realm_id, id, 1, NULL FROM users WHERE username = 'alice'");
  core::Json first = JsonOf(Ok({"user", "reset-mfa", "--realm", "acme", "alice"}));
  EXPECT_EQ(first["credentials_removed"], 1) << first.dump();
  core::Json again = JsonOf(Ok({"user", "reset-mfa", "--realm", "acme", "alice"}));
  EXPECT_EQ(again["credentials_removed"], 0) << "idempotent: " << again.dump();
  // Both resets are in the audit trail.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_ + "/idm.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM audit_events WHERE type = 'MfaReset'",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(st, 0), 2);
  sqlite3_finalize(st);
  sqlite3_close(db);
  RunResult unknown = idm_->Run({"user", "reset-mfa", "--realm", "acme", "nobody"});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
}

TEST_F(CliCommands, MigrateIsIdempotent) {
  std::string first = Ok({"migrate"});
  std::string second = Ok({"migrate"});
  EXPECT_NE(second.find("schema version"), std::string::npos) << second;
}

}  // namespace
}  // namespace idm::testing
