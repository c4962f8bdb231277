// A real store with the real services, a KEK, a KeyService and the OAuth endpoints, for the tests
// of idm/oauth. A realm "acme" exists with its keys.
//
// The store is a fresh scratch database (tests/support/scratch_database.h) of Backend(): SQLite
// for a plain TEST_F suite. A suite that goes through the store on the token, introspection,
// revocation or client-authentication paths derives from OnEachBackend<Fixture>, uses TEST_P and
// IDM_OAUTH_BACKEND_SUITE(Suite): each test then runs as .../Sqlite and .../Postgres, the latter
// on a fresh PostgreSQL database and skipped (GTEST_SKIP) when IDM_TEST_PG_URL is unset. A
// derived SetUp returns early when IsSkipped() || HasFatalFailure() after the base SetUp.
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
#include "idm/realm/batched_audit_writer.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"
#include "idm/store/store.h"
#include "tests/support/scratch_database.h"

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

  // The storage backend of this test ("sqlite" or "postgres").
  virtual std::string Backend() const { return "sqlite"; }

  // Opens (or reopens) the store of db_ with `kek` and builds every service over it.
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

  std::unique_ptr<idm::testing::ScratchDatabase> db_;
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
  // The endpoints' audit sink, not started: tests call audit_->Flush() to write what it holds.
  std::unique_ptr<realm::BatchedAuditWriter> audit_;
  std::unique_ptr<OAuthEndpoints> endpoints_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<AccessTokenVerifier> verifier_;
};

// Runs a fixture's tests on every storage backend (the test parameter).
template <class Fixture>
class OnEachBackend : public Fixture, public ::testing::WithParamInterface<std::string> {
 protected:
  std::string Backend() const override { return this->GetParam(); }
};

#define IDM_OAUTH_BACKEND_SUITE(Suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(::idm::testing::AllBackends()), \
                           ::idm::testing::BackendTestName)

}  // namespace idm::oauth::testing
