// AdminApiTest; see admin_api_fixture.h.
#include "tests/unit/admin/admin_api_fixture.h"

#include <cstdlib>

#include "tests/support/pooled_keys.h"

namespace idm::admin::testing {
namespace {

core::OpContext SystemContext(const core::Clock& clock) {
  return core::OpContext{"system", "", "", clock.NowMillis()};
}

}  // namespace

void AdminApiTest::SetUp() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "idm-admin-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  dir_ = tmpl;
  auto opened = store::Open("sqlite:" + (dir_ / "idm.db").string(), store::OpenOptions{});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  store_ = std::move(opened).value();
  ASSERT_TRUE(store_->Migrate().ok());

  kek_.emplace(crypto::Kek::Generate(random_));
  // Small Argon2 parameters keep the suite fast; the hashing itself is crypto's to test.
  hasher_ =
      std::make_unique<crypto::PasswordHasher>(crypto::Argon2Params{1024, 1, 1, 16, 32}, random_);
  oauth::KeyServiceOptions key_options;
  key_options.generate_key = idm::testing::PooledKeys();
  keys_ = std::make_unique<oauth::KeyService>(*store_, *kek_, random_, clock_, key_options);
  ASSERT_TRUE(keys_->VerifyKek().ok());
  minter_ = std::make_unique<oauth::AccessTokenMinter>(kPublicUrl, *keys_, random_);
  verifier_ = std::make_unique<oauth::AccessTokenVerifier>(oauth::VerifierOptions{kPublicUrl},
                                                           *store_, *keys_, clock_);
  realms_ = std::make_unique<realm::RealmService>(*store_, random_);
  clients_ = std::make_unique<realm::ClientService>(*store_, random_);
  audit_ = std::make_unique<realm::AuditService>(*store_);
  users_ = std::make_unique<account::UserService>(*store_, *hasher_, random_);
  groups_ = std::make_unique<rbac::GroupService>(*store_, random_);
  roles_ = std::make_unique<rbac::RoleService>(*store_, random_);
  deps_ = std::unique_ptr<AdminDeps>(new AdminDeps{*realms_, *clients_, *audit_, *users_, *groups_,
                                                   *roles_, *store_, *verifier_, clock_});
  RegisterRoutes(router_, *deps_);

  MakeRealm("master");
  admin_token_ = TokenFor("master", {"admin"});
}

void AdminApiTest::TearDown() {
  deps_.reset();
  store_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void AdminApiTest::MakeRealm(const std::string& name) {
  core::Realm draft;
  draft.name = name;
  draft.display_name = name;
  auto created = realms_->Create(SystemContext(clock_), draft);
  ASSERT_TRUE(created.ok()) << created.error().detail;
  ASSERT_TRUE(keys_->EnsureKeys(SystemContext(clock_), *created).ok());
}

std::string AdminApiTest::TokenFor(const std::string& realm,
                                   const std::vector<std::string>& realm_roles,
                                   const std::string& subject, const std::string& client_id) {
  auto r = realms_->Get(realm);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return "";
  oauth::AccessTokenRequest request;
  request.subject = subject;
  request.client_id = client_id;
  request.realm_roles = realm_roles;
  auto issued = minter_->Mint(*r, request, clock_.NowMillis());
  EXPECT_TRUE(issued.ok());
  return issued.ok() ? issued->token : "";
}

http::WebResponse AdminApiTest::Call(const std::string& method, const std::string& path,
                                     const std::string& body, const std::string& token,
                                     const std::map<std::string, std::string>& headers) {
  http::WebRequest request;
  request.method = method;
  std::string full = std::string(kApiPrefix) + path;
  if (size_t q = full.find('?'); q != std::string::npos) {
    std::string query = full.substr(q + 1);
    full.resize(q);
    size_t start = 0;
    while (start <= query.size()) {
      size_t end = query.find('&', start);
      if (end == std::string::npos) end = query.size();
      std::string pair = query.substr(start, end - start);
      size_t eq = pair.find('=');
      if (!pair.empty()) {
        request.query.emplace(pair.substr(0, eq),
                              eq == std::string::npos ? "" : pair.substr(eq + 1));
      }
      start = end + 1;
    }
  }
  request.path = full;
  request.body = body;
  request.remote_addr = "192.0.2.10";
  request.request_id = "req-" + std::to_string(++request_counter_);
  request.received_at = clock_.NowMillis();
  if (!body.empty() && headers.count("Content-Type") == 0) {
    request.headers.emplace("Content-Type", "application/json");
  }
  if (!token.empty()) request.headers.emplace("Authorization", "Bearer " + token);
  for (const auto& [name, value] : headers) request.headers.emplace(name, value);
  return router_.Dispatch(request);
}

http::WebResponse AdminApiTest::Admin(const std::string& method, const std::string& path,
                                      const std::string& body,
                                      const std::map<std::string, std::string>& headers) {
  return Call(method, path, body, admin_token_, headers);
}

core::Json AdminApiTest::Body(const http::WebResponse& response) {
  core::Json parsed = core::Json::parse(response.body, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << response.body;
  return parsed;
}

core::Json AdminApiTest::MakeUser(const std::string& realm, const std::string& username) {
  auto r = Admin("POST", "/realms/" + realm + "/users",
                 core::Json{{"username", username}, {"email", username + "@example.com"}}.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return Body(r);
}

core::Json AdminApiTest::MakeRole(const std::string& realm, const std::string& name) {
  auto r = Admin("POST", "/realms/" + realm + "/roles", core::Json{{"name", name}}.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return Body(r);
}

core::Json AdminApiTest::MakeGroup(const std::string& realm, const std::string& name,
                                   const std::optional<std::string>& parent) {
  core::Json body = {{"name", name}};
  if (parent) body["parent_id"] = *parent;
  auto r = Admin("POST", "/realms/" + realm + "/groups", body.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return Body(r);
}

std::vector<std::string> AdminApiTest::AuditTypes(const std::string& realm) {
  std::vector<std::string> types;
  auto events = audit_->List(realm, 0, 1000);
  EXPECT_TRUE(events.ok());
  if (!events.ok()) return types;
  for (const auto& e : *events) types.push_back(e.type);
  return types;
}

}  // namespace idm::admin::testing
