#include "idm/realm/client_service.h"

#include <gtest/gtest.h>

#include "idm/crypto/secret.h"
#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

using core::ServiceErrorCode;

core::Client Confidential(const std::string& client_id) {
  core::Client c;
  c.client_id = client_id;
  c.name = "Service " + client_id;
  c.grant_types = {"client_credentials"};
  c.scopes = {"api"};
  return c;
}

core::Client Public(const std::string& client_id) {
  core::Client c;
  c.client_id = client_id;
  c.type = core::ClientType::kPublic;
  c.token_endpoint_auth_method = "none";
  c.grant_types = {"authorization_code", "refresh_token"};
  c.redirect_uris = {"com.example.app:/cb", "http://127.0.0.1/cb"};
  return c;
}

class ClientServiceTest : public ServiceTest {
 protected:
  realm::CreatedClient Create(const core::Client& c) {
    auto created = env_.clients_->Create(env_.ctx_, "acme", c);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().detail);
    return created.ok() ? *created : realm::CreatedClient{};
  }
};

TEST_F(ClientServiceTest, ConfidentialClientGetsAPrefixedSecretStoredOnlyAsAHash) {
  auto created = Create(Confidential("svc"));
  EXPECT_EQ(created.secret.rfind("idm_cs_", 0), 0u);
  EXPECT_EQ(created.secret.size(), 7u + 43u);
  EXPECT_EQ(created.client.secret_hash, crypto::HashSecret(created.secret));
  auto stored = env_.clients_->GetByClientId("acme", "svc");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->secret_hash.find(created.secret), std::string::npos);
  EXPECT_TRUE(crypto::VerifySecret(created.secret, stored->secret_hash));
}

TEST_F(ClientServiceTest, PublicAndPrivateKeyJwtClientsGetNoSecret) {
  auto pub = Create(Public("mobile"));
  EXPECT_EQ(pub.secret, "");
  EXPECT_EQ(pub.client.secret_hash, "");
  core::Client jwt = Confidential("jwt-client");
  jwt.token_endpoint_auth_method = "private_key_jwt";
  auto j = Create(jwt);
  EXPECT_EQ(j.secret, "");
  EXPECT_EQ(j.client.secret_hash, "");
}

TEST_F(ClientServiceTest, CreateWritesClientCreatedWithoutSecretOrHash) {
  auto created = Create(Confidential("svc"));
  auto events = env_.Events("acme");
  ASSERT_EQ(events.back().type, "ClientCreated");
  EXPECT_EQ(events.back().resource_id, created.client.id);
  EXPECT_EQ(events.back().details.find(created.secret), std::string::npos);
  EXPECT_EQ(events.back().details.find(created.client.secret_hash), std::string::npos);
  EXPECT_EQ(events.back().details.find("sha256:"), std::string::npos);
}

TEST_F(ClientServiceTest, CreateRejectsInvalidRegistrationWithFields) {
  core::Client c = Public("bad id!");
  c.redirect_uris = {"http://evil.example.com/cb"};
  auto r = env_.clients_->Create(env_.ctx_, "acme", c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ServiceErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasViolation(r.error(), "client_id"));
  EXPECT_TRUE(HasViolation(r.error(), "redirect_uris[0]"));
  EXPECT_EQ(env_.Events("acme").size(), 1u);  // only RealmCreated
}

TEST_F(ClientServiceTest, DuplicateClientIdIsAlreadyExistsAndUnknownRealmIsNotFound) {
  Create(Confidential("svc"));
  auto dup = env_.clients_->Create(env_.ctx_, "acme", Confidential("svc"));
  EXPECT_EQ(dup.error().code, ServiceErrorCode::kAlreadyExists);
  auto other = env_.clients_->Create(env_.ctx_, "nope", Confidential("svc"));
  EXPECT_EQ(other.error().code, ServiceErrorCode::kNotFound);
  // The same client_id in another realm is fine.
  EXPECT_TRUE(env_.clients_->Create(env_.ctx_, "master", Confidential("svc")).ok());
}

TEST_F(ClientServiceTest, ChosenSecretIsInstalledWhenLongEnoughAndOnlyForSecretClients) {
  const std::string secret(40, 's');
  auto ok = env_.clients_->Create(env_.ctx_, "acme", Confidential("boot"), secret);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->secret, secret);
  EXPECT_TRUE(env_.clients_->Authenticate("acme", "boot", secret).ok());
  auto short_one = env_.clients_->Create(env_.ctx_, "acme", Confidential("b2"), "short");
  EXPECT_TRUE(HasViolation(short_one.error(), "secret"));
  auto pub = env_.clients_->Create(env_.ctx_, "acme", Public("b3"), secret);
  EXPECT_TRUE(HasViolation(pub.error(), "secret"));
}

TEST_F(ClientServiceTest, AuthenticateAcceptsTheSecretAndRejectsEverythingElseAlike) {
  auto created = Create(Confidential("svc"));
  Create(Public("mobile"));
  auto ok = env_.clients_->Authenticate("acme", "svc", created.secret);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->id, created.client.id);

  auto wrong = env_.clients_->Authenticate("acme", "svc", created.secret + "x");
  auto unknown = env_.clients_->Authenticate("acme", "ghost", created.secret);
  auto no_secret = env_.clients_->Authenticate("acme", "mobile", "");
  auto other_realm = env_.clients_->Authenticate("master", "svc", created.secret);
  for (const auto* r : {&wrong, &unknown, &no_secret, &other_realm}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error().code, ServiceErrorCode::kUnauthenticated);
    EXPECT_EQ(r->error().detail, wrong.error().detail);
  }
}

TEST_F(ClientServiceTest, DisabledClientFailsAuthenticationOnlyAfterTheSecretMatched) {
  auto created = Create(Confidential("svc"));
  // Authenticated once first, so the change must get past the cached client.
  ASSERT_TRUE(env_.clients_->Authenticate("acme", "svc", created.secret).ok());
  core::Client changes = created.client;
  changes.enabled = false;
  ASSERT_TRUE(env_.clients_->Update(env_.ctx_, "acme", created.client.id, changes, 1).ok());
  EXPECT_EQ(env_.clients_->Authenticate("acme", "svc", created.secret).error().code,
            ServiceErrorCode::kPermissionDenied);
  EXPECT_EQ(env_.clients_->Authenticate("acme", "svc", "idm_cs_wrong").error().code,
            ServiceErrorCode::kUnauthenticated);
}

TEST_F(ClientServiceTest, ClientOfADisabledRealmCannotAuthenticate) {
  auto created = Create(Confidential("svc"));
  ASSERT_TRUE(env_.clients_->Authenticate("acme", "svc", created.secret).ok());  // now cached
  core::Realm changes = acme_;
  changes.enabled = false;
  ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", changes, 1).ok());
  EXPECT_EQ(env_.clients_->Authenticate("acme", "svc", created.secret).error().code,
            ServiceErrorCode::kPermissionDenied);
}

TEST_F(ClientServiceTest, RegenerateSecretInvalidatesTheOldOne) {
  auto created = Create(Confidential("svc"));
  ASSERT_TRUE(env_.clients_->Authenticate("acme", "svc", created.secret).ok());  // now cached
  auto fresh = env_.clients_->RegenerateSecret(env_.ctx_, "acme", created.client.id);
  ASSERT_TRUE(fresh.ok());
  EXPECT_NE(*fresh, created.secret);
  EXPECT_FALSE(env_.clients_->Authenticate("acme", "svc", created.secret).ok());
  EXPECT_TRUE(env_.clients_->Authenticate("acme", "svc", *fresh).ok());
  auto events = env_.Events("acme");
  EXPECT_EQ(events.back().type, "ClientSecretRegenerated");
  EXPECT_EQ(events.back().details.find(*fresh), std::string::npos);
}

TEST_F(ClientServiceTest, RegenerateSecretRefusedForClientsWithoutSecretAndUnknownIds) {
  auto pub = Create(Public("mobile"));
  EXPECT_EQ(env_.clients_->RegenerateSecret(env_.ctx_, "acme", pub.client.id).error().code,
            ServiceErrorCode::kFailedPrecondition);
  EXPECT_EQ(env_.clients_->RegenerateSecret(env_.ctx_, "acme", "no-such-id").error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(ClientServiceTest, UpdateKeepsSecretWhileUsedAndDropsItWhenTheMethodNoLongerUsesOne) {
  auto created = Create(Confidential("svc"));
  core::Client changes = created.client;
  changes.token_endpoint_auth_method = "client_secret_post";
  auto kept = env_.clients_->Update(env_.ctx_, "acme", created.client.id, changes, 1);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->secret_hash, created.client.secret_hash);
  changes.token_endpoint_auth_method = "private_key_jwt";
  auto dropped = env_.clients_->Update(env_.ctx_, "acme", created.client.id, changes, 2);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->secret_hash, "");
  EXPECT_FALSE(env_.clients_->Authenticate("acme", "svc", created.secret).ok());
  EXPECT_EQ(env_.LastEventType("acme"), "ClientUpdated");
}

TEST_F(ClientServiceTest, UpdateValidatesAndChecksVersion) {
  auto created = Create(Confidential("svc"));
  core::Client changes = created.client;
  changes.redirect_uris = {"https://x.example/#f"};
  changes.grant_types = {"authorization_code"};
  EXPECT_TRUE(
      HasViolation(env_.clients_->Update(env_.ctx_, "acme", created.client.id, changes, 1).error(),
                   "redirect_uris[0]"));
  changes = created.client;
  changes.name = "renamed";
  EXPECT_EQ(env_.clients_->Update(env_.ctx_, "acme", created.client.id, changes, 7).error().code,
            ServiceErrorCode::kPreconditionFailed);
  auto other = Create(Confidential("other"));
  changes = other.client;
  changes.client_id = "svc";
  EXPECT_EQ(env_.clients_->Update(env_.ctx_, "acme", other.client.id, changes, 1).error().code,
            ServiceErrorCode::kAlreadyExists);
}

TEST_F(ClientServiceTest, UpdateStoresOidcSettingsAndRejectsInvalidOnes) {
  auto created = Create(Public("spa"));
  EXPECT_TRUE(created.client.require_pkce);
  EXPECT_TRUE(created.client.consent_required);
  core::Client changes = created.client;
  changes.consent_required = false;
  changes.subject_type = "pairwise";
  changes.id_token_signed_response_alg = "RS256";
  changes.frontchannel_logout_uri = "https://spa.example/fc";
  changes.refresh_token_ttl_s = 3600;
  auto updated = env_.clients_->Update(env_.ctx_, "acme", created.client.id, changes, 1);
  ASSERT_TRUE(updated.ok()) << updated.error().detail;
  auto stored = env_.clients_->GetByClientId("acme", "spa");
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->consent_required);
  EXPECT_EQ(stored->subject_type, "pairwise");
  EXPECT_EQ(stored->id_token_signed_response_alg, "RS256");
  EXPECT_EQ(stored->frontchannel_logout_uri, "https://spa.example/fc");
  EXPECT_EQ(stored->refresh_token_ttl_s, 3600);

  changes.subject_type = "Pairwise";
  changes.jwks = R"({"keys":"none"})";
  auto bad = env_.clients_->Update(env_.ctx_, "acme", created.client.id, changes, 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ServiceErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasViolation(bad.error(), "subject_type"));
  EXPECT_TRUE(HasViolation(bad.error(), "jwks"));
}

TEST_F(ClientServiceTest, CreateRejectsAnUnsupportedIdTokenAlg) {
  core::Client c = Public("spa");
  c.id_token_signed_response_alg = "HS256";  // symmetric: the client secret would sign
  auto r = env_.clients_->Create(env_.ctx_, "acme", c);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(HasViolation(r.error(), "id_token_signed_response_alg"));
}

TEST_F(ClientServiceTest, ListPagesThroughClientsAndSearchesByPrefix) {
  for (const char* id : {"alpha", "beta", "bravo", "charlie"}) Create(Confidential(id));
  store::ListQuery q;
  q.limit = 3;
  auto first = env_.clients_->List("acme", q);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 3u);
  EXPECT_EQ(first->items[0].client_id, "alpha");
  ASSERT_NE(first->next_cursor, "");
  q.cursor = first->next_cursor;
  auto second = env_.clients_->List("acme", q);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].client_id, "charlie");
  store::ListQuery search;
  search.prefix = "b";
  EXPECT_EQ(env_.clients_->List("acme", search)->items.size(), 2u);
  search.limit = 0;
  EXPECT_TRUE(HasViolation(env_.clients_->List("acme", search).error(), "limit"));
}

TEST_F(ClientServiceTest, DeleteRemovesTheClientAndWritesClientDeleted) {
  auto created = Create(Confidential("svc"));
  ASSERT_TRUE(env_.clients_->Delete(env_.ctx_, "acme", created.client.id).ok());
  EXPECT_EQ(env_.clients_->Get("acme", created.client.id).error().code,
            ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.LastEventType("acme"), "ClientDeleted");
  EXPECT_EQ(env_.clients_->Delete(env_.ctx_, "acme", created.client.id).error().code,
            ServiceErrorCode::kNotFound);
}

}  // namespace
}  // namespace idm::svctest
