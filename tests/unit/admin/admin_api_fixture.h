// AdminApiTest: the admin API over real components — a SQLite store in a temporary directory, the
// real domain services, real signing keys (oauth::KeyService under a generated KEK), access tokens
// minted by oauth::AccessTokenMinter and checked by oauth::AccessTokenVerifier, and the routes
// registered on a real http::Router. Requests are WebRequest values dispatched by the router, so
// no socket is involved.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "idm/account/user_service.h"
#include "idm/admin/admin_api.h"
#include "idm/core/clock.h"
#include "idm/core/json.h"
#include "idm/crypto/kek.h"
#include "idm/crypto/password.h"
#include "idm/crypto/secure_random.h"
#include "idm/http/router.h"
#include "idm/oauth/access_token_minter.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/rbac/group_service.h"
#include "idm/rbac/role_service.h"
#include "idm/realm/audit_service.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"
#include "idm/store/store.h"

namespace idm::admin::testing {

inline constexpr char kPublicUrl[] = "https://idm.test";

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Dispatches `method path` (path relative to /admin/api/v1, may carry "?query") with a JSON
  // body (sent as application/json unless `headers` sets Content-Type) and a bearer token
  // (none when empty).
  http::WebResponse Call(const std::string& method, const std::string& path,
                         const std::string& body = "", const std::string& token = "",
                         const std::map<std::string, std::string>& headers = {});
  // Call with the master admin's token.
  http::WebResponse Admin(const std::string& method, const std::string& path,
                          const std::string& body = "",
                          const std::map<std::string, std::string>& headers = {});

  // A token issued by realm `realm` carrying the given realm roles.
  std::string TokenFor(const std::string& realm, const std::vector<std::string>& realm_roles,
                       const std::string& subject = "7b3e7c2a-subject",
                       const std::string& client_id = "admin-cli");

  // Creates a realm through the service (with keys, so it can issue tokens).
  void MakeRealm(const std::string& name);
  // Creates through the API and returns the parsed 201 body; fails the test otherwise.
  core::Json MakeUser(const std::string& realm, const std::string& username);
  core::Json MakeRole(const std::string& realm, const std::string& name);
  core::Json MakeGroup(const std::string& realm, const std::string& name,
                       const std::optional<std::string>& parent = std::nullopt);

  static core::Json Body(const http::WebResponse& response);
  // The audit event types of a realm, oldest first.
  std::vector<std::string> AuditTypes(const std::string& realm);

  std::filesystem::path dir_;
  crypto::SecureRandom random_;
  core::FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::optional<crypto::Kek> kek_;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  std::unique_ptr<oauth::KeyService> keys_;
  std::unique_ptr<oauth::AccessTokenMinter> minter_;
  std::unique_ptr<oauth::AccessTokenVerifier> verifier_;
  std::unique_ptr<realm::RealmService> realms_;
  std::unique_ptr<realm::ClientService> clients_;
  std::unique_ptr<realm::AuditService> audit_;
  std::unique_ptr<account::UserService> users_;
  std::unique_ptr<rbac::GroupService> groups_;
  std::unique_ptr<rbac::RoleService> roles_;
  std::unique_ptr<AdminDeps> deps_;
  http::Router router_;
  std::string admin_token_;
  int request_counter_ = 0;
};

// The value of a response header, "" when absent.
inline std::string Header(const http::WebResponse& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

// The "name" of every item of a list response.
inline std::vector<std::string> Names(const core::Json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["name"]);
  return out;
}

}  // namespace idm::admin::testing
