// A real SQLite store in a temp dir with the real services, a KEK, a KeyService and the OAuth
// endpoints, for the tests of idm/oauth. A realm "acme" exists with its keys.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "idm/account/user_service.h"
#include "idm/core/clock.h"
#include "idm/core/metrics.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/kek.h"
#include "idm/crypto/password.h"
#include "idm/crypto/secure_random.h"
#include "idm/http/router.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/oauth/routes.h"
#include "idm/rbac/role_service.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"
#include "idm/store/store.h"

namespace idm::oauth::testing {

inline constexpr const char* kPublicUrl = "https://id.example.test";

struct ClientSpec {
  std::string client_id = "svc";
  core::ClientType type = core::ClientType::kConfidential;
  std::string auth_method = "client_secret_basic";
  std::vector<std::string> grant_types = {"client_credentials"};
  std::vector<std::string> scopes = {"read", "write"};
  bool enabled = true;
};

class OAuthTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Opens (or reopens) the store at db_path_ with `kek` and builds every service over it.
  void OpenServices(const crypto::Kek& kek);
  core::OpContext Ctx() const { return {"cli", "", "", clock_.NowMillis()}; }

  // Creates a client; returns its secret ("" for clients without one).
  std::string MakeClient(const ClientSpec& spec);
  // Creates `service-account-<client_id>` and grants it the realm role `role`.
  std::string MakeServiceAccount(const std::string& client_id, const std::string& role);
  core::Realm Realm(const std::string& name = "acme");

  // A POST to the token endpoint with a form body.
  http::WebRequest TokenRequest(const std::string& body, const std::string& realm = "acme") const;
  static void AddBasic(http::WebRequest* r, const std::string& id, const std::string& secret);
  // Dispatches through the router.
  http::WebResponse Serve(http::WebRequest request);

  std::filesystem::path dir_;
  std::string db_path_;
  crypto::SecureRandom random_;
  core::FakeClock clock_;
  std::optional<crypto::Kek> kek_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  std::unique_ptr<realm::RealmService> realms_;
  std::unique_ptr<realm::ClientService> clients_;
  std::unique_ptr<account::UserService> users_;
  std::unique_ptr<rbac::RoleService> roles_;
  std::unique_ptr<KeyService> keys_;
  core::metrics::Registry metrics_;
  std::unique_ptr<OAuthEndpoints> endpoints_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<AccessTokenVerifier> verifier_;
};

}  // namespace idm::oauth::testing
