#include "tests/unit/oauth/user_grant_fixture.h"

#include "idm/crypto/secret.h"
#include "idm/oauth/keys/key_service.h"

namespace idm::oauth::testing {

core::Json BodyOf(const http::WebResponse& r) { return core::Json::parse(r.body, nullptr, false); }

std::string HeaderValue(const http::WebResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

std::string UrlEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void UserGrantTest::SetUp() {
  OAuthTest::SetUp();
  if (HasFatalFailure() || IsSkipped()) return;
  realm_ = Realm();
  core::User u;
  u.username = "alice";
  u.email = "alice@example.test";
  u.email_verified = true;
  u.first_name = "Alice";
  u.last_name = "Liddell";
  auto user = users_->Create(Ctx(), "acme", u, std::nullopt);
  ASSERT_TRUE(user) << user.error().detail;
  alice_ = *user;
  core::Role role;
  role.name = "reader";
  auto created = roles_->Create(Ctx(), "acme", role);
  ASSERT_TRUE(created) << created.error().detail;
  ASSERT_TRUE(roles_->Grant(Ctx(), "acme", core::RoleHolderKind::kUser, alice_.id, created->id));
  for (const char* id : {"web", "other", "spa"}) {
    core::Client draft;
    draft.client_id = id;
    draft.name = id;
    bool pub = std::string(id) == "spa";
    draft.type = pub ? core::ClientType::kPublic : core::ClientType::kConfidential;
    draft.token_endpoint_auth_method = pub ? "none" : "client_secret_basic";
    draft.grant_types = {"authorization_code", "refresh_token"};
    draft.redirect_uris = {kRedirect};
    draft.scopes = {"openid", "profile", "email", "offline_access", "read"};
    auto c = clients_->Create(Ctx(), "acme", draft);
    ASSERT_TRUE(c) << c.error().detail;
    secrets_[id] = c->secret;
  }
  core::SsoSession s;
  s.id = core::NewUuid(random_);
  s.realm_id = realm_.id;
  s.user_id = alice_.id;
  s.session_hash = crypto::HashSecret(crypto::NewSecret(random_, "idm_ss_"));
  s.auth_time = s.last_seen_at = s.created_at = clock_.NowMillis() - 5'000;
  s.idle_expires_at = clock_.NowMillis() + 1800'000;
  s.absolute_expires_at = clock_.NowMillis() + 36000'000;
  s.acr = "1";
  s.amr = {"pwd"};
  auto tx = store_->Begin(store::TxMode::kReadWrite);
  ASSERT_TRUE(tx);
  ASSERT_TRUE((*tx)->sessions().Create(s));
  ASSERT_TRUE((*tx)->Commit());
  session_id_ = s.id;
}

core::Client UserGrantTest::ClientNamed(const std::string& client_id) {
  auto c = clients_->GetByClientId("acme", client_id);
  EXPECT_TRUE(c) << client_id;
  return c ? *c : core::Client{};
}

void UserGrantTest::SaveClient(const core::Client& c) {
  auto r = clients_->Update(Ctx(), "acme", c.id, c, c.version);
  ASSERT_TRUE(r) << r.error().detail;
}

void UserGrantTest::SaveUser(const core::User& u) {
  auto r = users_->Update(Ctx(), "acme", u.id, u, u.version);
  ASSERT_TRUE(r) << r.error().detail;
}

std::string UserGrantTest::IssueCode(const CodeSpec& spec) {
  std::string code = crypto::NewSecret(random_, crypto::kAuthCodePrefix);
  core::AuthorizationCode c;
  c.code_hash = crypto::HashSecret(code);
  c.realm_id = realm_.id;
  c.client_id = ClientNamed(spec.client).id;
  c.user_id = spec.user_id.empty() ? alice_.id : spec.user_id;
  c.session_id = session_id_;
  c.token_family_id = core::NewUuid(random_);
  c.redirect_uri = spec.redirect_uri;
  c.scope = spec.scope;
  c.nonce = spec.nonce;
  c.code_challenge = spec.challenge;
  c.code_challenge_method = spec.challenge.empty() ? "" : "S256";
  c.auth_time = clock_.NowMillis() - 5'000;
  c.acr = "1";
  c.amr = {"pwd"};
  c.created_at = clock_.NowMillis();
  c.expires_at = clock_.NowMillis() + spec.ttl_ms;
  auto tx = store_->Begin(store::TxMode::kReadWrite);
  EXPECT_TRUE(tx);
  auto inserted = (*tx)->codes().Insert(c);
  EXPECT_TRUE(inserted) << inserted.error().message;
  EXPECT_TRUE((*tx)->Commit());
  return code;
}

http::WebResponse UserGrantTest::PostAs(const std::string& path, const std::string& form,
                                        const std::string& client) {
  http::WebRequest r = TokenRequest(form);
  r.path = "/realms/acme/protocol/openid-connect" + path;
  r.received_at = clock_.NowMillis();
  if (client == "spa") {
    r.body += "&client_id=spa";
  } else if (!client.empty()) {
    AddBasic(&r, client, secrets_[client]);
  }
  return Serve(r);
}

http::WebResponse UserGrantTest::Redeem(const std::string& code, const std::string& extra_form,
                                        const std::string& client) {
  return PostAs("/token", "grant_type=authorization_code&code=" + code + extra_form, client);
}

core::Json UserGrantTest::RedeemOk(const std::string& code, const std::string& client) {
  http::WebResponse r =
      Redeem(code, "&redirect_uri=" + UrlEncode(kRedirect) + "&code_verifier=" + kVerifier, client);
  EXPECT_EQ(r.status, 200) << r.body;
  return BodyOf(r);
}

http::WebResponse UserGrantTest::Refresh(const std::string& refresh_token,
                                         const std::string& extra_form, const std::string& client) {
  return PostAs("/token", "grant_type=refresh_token&refresh_token=" + refresh_token + extra_form,
                client);
}

core::RefreshToken UserGrantTest::StoredRefresh(const std::string& refresh_token) {
  auto tx = store_->Begin(store::TxMode::kReadOnly);
  auto t = (*tx)->refresh_tokens().GetByHash(crypto::HashSecret(refresh_token));
  EXPECT_TRUE(t);
  return t ? *t : core::RefreshToken{};
}

core::SsoSession UserGrantTest::StoredSession() {
  auto tx = store_->Begin(store::TxMode::kReadOnly);
  auto s = (*tx)->sessions().Get(realm_.id, session_id_);
  EXPECT_TRUE(s);
  return s ? *s : core::SsoSession{};
}

std::vector<std::string> UserGrantTest::AuditTypes() {
  auto tx = store_->Begin(store::TxMode::kReadOnly);
  auto events = (*tx)->audit().List(realm_.id, 0, 1000);
  std::vector<std::string> out;
  if (events) {
    for (const auto& e : *events) out.push_back(e.type);
  }
  return out;
}

void UserGrantTest::RevokeSession() {
  auto tx = store_->Begin(store::TxMode::kReadWrite);
  ASSERT_TRUE((*tx)->sessions().Revoke(session_id_, clock_.NowMillis()));
  ASSERT_TRUE((*tx)->Commit());
}

crypto::JwkSet UserGrantTest::PublishedKeys() {
  auto keys = keys_->Keys(realm_);
  EXPECT_TRUE(keys);
  return (*keys)->published;
}

}  // namespace idm::oauth::testing
