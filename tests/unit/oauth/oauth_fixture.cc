#include "tests/unit/oauth/oauth_fixture.h"

#include "tests/support/pooled_keys.h"

namespace idm::oauth::testing {
void OAuthTest::SetUp() {
  const std::string backend = Backend();
  if (!idm::testing::BackendAvailable(backend)) {
    GTEST_SKIP() << backend << " is not configured (set IDM_TEST_PG_URL)";
  }
  db_ = std::make_unique<idm::testing::ScratchDatabase>(backend);
  ASSERT_TRUE(db_->error().empty()) << db_->error();
  OpenServices(crypto::Kek::Generate(random_));
  ASSERT_TRUE(keys_->VerifyKek());
  core::Realm draft;
  draft.name = "acme";
  draft.display_name = "Acme";
  auto realm = realms_->Create(Ctx(), draft);
  ASSERT_TRUE(realm) << realm.error().detail;
  auto ensured = keys_->EnsureKeys(Ctx(), *realm);
  ASSERT_TRUE(ensured) << ensured.error().detail;
}

void OAuthTest::TearDown() {
  verifier_.reset();
  router_.reset();
  endpoints_.reset();
  audit_.reset();
  keys_.reset();
  store_.reset();
  db_.reset();
}

void OAuthTest::OpenServices(const crypto::Kek& kek) {
  verifier_.reset();
  router_.reset();
  endpoints_.reset();
  audit_.reset();
  keys_.reset();
  store_.reset();
  kek_.emplace(kek);
  auto store = store::Open(db_->url(), store::OpenOptions{});
  ASSERT_TRUE(store) << store.error().message;
  store_ = std::move(*store);
  auto migrated = store_->Migrate();
  ASSERT_TRUE(migrated) << migrated.error().message;
  // Cheap Argon2 parameters: these tests never hash user passwords on a hot path.
  hasher_ =
      std::make_unique<crypto::PasswordHasher>(crypto::Argon2Params{1024, 1, 1, 16, 32}, random_);
  realms_ = std::make_unique<realm::RealmService>(*store_, random_);
  clients_ = std::make_unique<realm::ClientService>(*store_, random_);
  users_ = std::make_unique<account::UserService>(*store_, *hasher_, random_);
  roles_ = std::make_unique<rbac::RoleService>(*store_, random_);
  KeyServiceOptions key_options;
  key_options.generate_key = idm::testing::PooledKeys();
  keys_ = std::make_unique<KeyService>(*store_, *kek_, random_, clock_, key_options);
  audit_ = std::make_unique<realm::BatchedAuditWriter>(*store_, &metrics_);
  OAuthDeps deps{kPublicUrl, *store_, *realms_, *clients_, *users_,
                 *keys_,     random_, clock_,   &metrics_};
  deps.audit = audit_.get();
  endpoints_ = std::make_unique<OAuthEndpoints>(std::move(deps));
  router_ = std::make_unique<http::Router>();
  RegisterRoutes(*router_, *endpoints_);
  verifier_ =
      std::make_unique<AccessTokenVerifier>(VerifierOptions{kPublicUrl}, *store_, *keys_, clock_);
}

std::string OAuthTest::MakeClient(const ClientSpec& spec) {
  core::Client draft;
  draft.client_id = spec.client_id;
  draft.name = spec.client_id;
  draft.type = spec.type;
  draft.token_endpoint_auth_method = spec.auth_method;
  draft.grant_types = spec.grant_types;
  draft.scopes = spec.scopes;
  draft.enabled = spec.enabled;
  if (spec.type == core::ClientType::kPublic) {
    draft.redirect_uris = {"https://app.example.test/cb"};
  }
  auto created = clients_->Create(Ctx(), "acme", draft);
  EXPECT_TRUE(created) << created.error().detail;
  return created ? created->secret : "";
}

std::string OAuthTest::MakeServiceAccount(const std::string& client_id, const std::string& role) {
  core::User u;
  u.username = "service-account-" + client_id;
  auto user = users_->Create(Ctx(), "acme", u, std::nullopt);
  EXPECT_TRUE(user) << user.error().detail;
  core::Role r;
  r.name = role;
  auto created = roles_->Create(Ctx(), "acme", r);
  EXPECT_TRUE(created) << created.error().detail;
  auto granted = roles_->Grant(Ctx(), "acme", core::RoleHolderKind::kUser, user->id, created->id);
  EXPECT_TRUE(granted) << granted.error().detail;
  return user->id;
}

core::Realm OAuthTest::Realm(const std::string& name) {
  auto realm = realms_->Get(name);
  EXPECT_TRUE(realm) << name;
  return realm ? *realm : core::Realm{};
}

http::WebRequest OAuthTest::TokenRequest(const std::string& body, const std::string& realm) const {
  http::WebRequest r;
  r.method = "POST";
  r.path = "/realms/" + realm + "/protocol/openid-connect/token";
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  r.body = body;
  r.received_at = clock_.NowMillis();
  return r;
}

void OAuthTest::AddBasic(http::WebRequest* r, const std::string& id, const std::string& secret) {
  r->headers.emplace("Authorization", "Basic " + crypto::Base64Encode(id + ":" + secret));
}

http::WebResponse OAuthTest::Serve(http::WebRequest request) { return router_->Dispatch(request); }

}  // namespace idm::oauth::testing
