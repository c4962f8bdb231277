// Fixture of the OIDC state contract tests (oidc_*_test.cc): a realm with a user and a client,
// and builders of the runtime-state values with fresh ids and hashes.
//
// Thread-safety: one fixture per test, on the test's thread.
#pragma once

#include <string>

#include "idm/core/oidc_model.h"
#include "tests/store/store_fixture.h"

namespace idm::store::testing {

class OidcStoreTest : public StoreTest {
 protected:
  static constexpr core::UnixMillis kNow = 1700000000000;

  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    realm_ = MakeRealm("acme");
    user_ = MakeUser(realm_.id, "alice");
    client_ = MakeClient(realm_.id, "web");
  }

  std::string Hash() { return "sha256:" + NewId(); }

  core::SsoSession Session() {
    core::SsoSession s;
    s.id = NewId();
    s.realm_id = realm_.id;
    s.user_id = user_.id;
    s.session_hash = Hash();
    s.auth_time = s.last_seen_at = s.created_at = kNow;
    s.idle_expires_at = kNow + 1800'000;
    s.absolute_expires_at = kNow + 36000'000;
    s.acr = "1";
    s.amr = {"pwd"};
    return s;
  }

  core::AuthorizationCode Code() {
    core::AuthorizationCode c;
    c.code_hash = Hash();
    c.realm_id = realm_.id;
    c.client_id = client_.id;
    c.user_id = user_.id;
    c.session_id = NewId();
    c.token_family_id = NewId();
    c.redirect_uri = "https://app.example/cb";
    c.scope = "openid profile";
    c.nonce = "n-1";
    c.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    c.code_challenge_method = "S256";
    c.auth_time = kNow;
    c.acr = "1";
    c.amr = {"pwd", "otp"};
    c.claims_json = R"({"id_token":{"email":null}})";
    c.created_at = kNow;
    c.expires_at = kNow + 60'000;
    return c;
  }

  core::RefreshToken Token(const std::string& family_id) {
    core::RefreshToken t;
    t.id = NewId();
    t.token_hash = Hash();
    t.family_id = family_id;
    t.realm_id = realm_.id;
    t.client_id = client_.id;
    t.user_id = user_.id;
    t.session_id = "sess-1";
    t.scope = "openid offline_access";
    t.created_at = kNow;
    t.expires_at = kNow + 1800'000;
    t.family_expires_at = kNow + 86400'000;
    return t;
  }

  core::Realm realm_;
  core::User user_;
  core::Client client_;
};

}  // namespace idm::store::testing
