// Contract: migration 0003 — client scopes with claim mappers on clients, initial access tokens
// and client registrations (registration_repo.h), the conditional key update
// (KeyRepo::UpdateIfStatus) and the sweep of expired OIDC state (oauth/state_sweeper.h), on every
// backend.
#include "idm/oauth/state_sweeper.h"
#include "idm/store/migrations.h"
#include "idm/store/sql/drivers.h"
#include "idm/store/sql_store.h"
#include "tests/store/oidc_fixture.h"

namespace idm::store::testing {
namespace {

class ClientScopeStoreTest : public OidcStoreTest {};
IDM_STORE_SUITE(ClientScopeStoreTest);

core::ClientScope OrdersScope() {
  core::ClaimMapper dept;
  dept.kind = core::ClaimMapperKind::kUserAttribute;
  dept.claim_name = "org.department";
  dept.source = "department";
  dept.in_access_token = false;
  dept.multivalued = true;
  core::ClaimMapper roles;
  roles.kind = core::ClaimMapperKind::kClientRoles;
  roles.claim_name = "billing_roles";
  roles.client_id = "billing";
  roles.in_userinfo = false;
  core::ClaimMapper tier;
  tier.kind = core::ClaimMapperKind::kFixedValue;
  tier.claim_name = "tier";
  tier.source = "gold";
  return {"orders", "Your orders", {dept, roles, tier}};
}

void ExpectSameScopes(const std::vector<core::ClientScope>& a,
                      const std::vector<core::ClientScope>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].description, b[i].description);
    ASSERT_EQ(a[i].mappers.size(), b[i].mappers.size());
    for (size_t j = 0; j < a[i].mappers.size(); ++j) {
      const core::ClaimMapper& x = a[i].mappers[j];
      const core::ClaimMapper& y = b[i].mappers[j];
      EXPECT_EQ(x.kind, y.kind) << j;
      EXPECT_EQ(x.claim_name, y.claim_name) << j;
      EXPECT_EQ(x.source, y.source) << j;
      EXPECT_EQ(x.client_id, y.client_id) << j;
      EXPECT_EQ(x.in_id_token, y.in_id_token) << j;
      EXPECT_EQ(x.in_access_token, y.in_access_token) << j;
      EXPECT_EQ(x.in_userinfo, y.in_userinfo) << j;
      EXPECT_EQ(x.multivalued, y.multivalued) << j;
    }
  }
}

TEST_P(ClientScopeStoreTest, NewClientHasNoClientScopes) {
  auto c = Read()->clients().Get(realm_.id, client_.id);
  ASSERT_STORE_OK(c);
  EXPECT_TRUE(c->client_scopes.empty());
}

TEST_P(ClientScopeStoreTest, ClientScopesWithMappersRoundTripThroughCreateAndUpdate) {
  core::Client draft = client_;
  draft.id = NewId();
  draft.client_id = "shop";
  draft.client_scopes = {OrdersScope()};
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->clients().Create(draft));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto stored = Read()->clients().Get(realm_.id, draft.id);
  ASSERT_STORE_OK(stored);
  ExpectSameScopes(stored->client_scopes, draft.client_scopes);

  core::Client changed = *stored;
  changed.client_scopes.push_back({"empty", "", {}});
  changed.client_scopes.front().mappers.pop_back();
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->clients().Update(changed));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto updated = Read()->clients().GetByClientId(realm_.id, "shop");
  ASSERT_STORE_OK(updated);
  ExpectSameScopes(updated->client_scopes, changed.client_scopes);
}

class RegistrationStoreTest : public OidcStoreTest {
 protected:
  core::InitialAccessToken Iat(int64_t max_uses, core::UnixMillis expires_at) {
    core::InitialAccessToken t;
    t.id = NewId();
    t.realm_id = realm_.id;
    t.token_hash = Hash();
    t.description = "ci";
    t.created_at = kNow;
    t.expires_at = expires_at;
    t.max_uses = max_uses;
    t.created_by = "user:admin";
    return t;
  }
  void Insert(const core::InitialAccessToken& t) {
    auto tx = Write();
    ASSERT_STORE_OK(tx->registrations().InsertInitialAccessToken(t));
    ASSERT_STORE_OK(tx->Commit());
  }
  Result<core::InitialAccessToken> Consume(const std::string& hash, core::UnixMillis now) {
    auto tx = Write();
    auto r = tx->registrations().ConsumeInitialAccessToken(realm_.id, hash, now);
    if (r) {
      EXPECT_TRUE(tx->Commit().ok());
    }
    return r;
  }
};
IDM_STORE_SUITE(RegistrationStoreTest);

TEST_P(RegistrationStoreTest, InitialAccessTokenIsConsumedUntilItsUsesRunOut) {
  core::InitialAccessToken t = Iat(2, kNow + 60'000);
  Insert(t);
  auto first = Consume(t.token_hash, kNow);
  ASSERT_STORE_OK(first);
  EXPECT_EQ(first->uses, 1);
  auto second = Consume(t.token_hash, kNow);
  ASSERT_STORE_OK(second);
  EXPECT_EQ(second->uses, 2);
  EXPECT_STORE_ERROR(Consume(t.token_hash, kNow), ErrorCode::kNotFound);
}

TEST_P(RegistrationStoreTest, ExpiredOrUnknownInitialAccessTokenIsNotConsumed) {
  core::InitialAccessToken t = Iat(0, kNow + 1000);
  Insert(t);
  EXPECT_STORE_ERROR(Consume(t.token_hash, kNow + 1000), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(Consume(Hash(), kNow), ErrorCode::kNotFound);
  auto unlimited = Consume(t.token_hash, kNow);  // max_uses 0: unlimited until expiry
  ASSERT_STORE_OK(unlimited);
  ASSERT_STORE_OK(Consume(t.token_hash, kNow));
}

TEST_P(RegistrationStoreTest, InitialAccessTokensAreListedNewestFirstAndDeleted) {
  core::InitialAccessToken a = Iat(1, kNow + 1000);
  core::InitialAccessToken b = Iat(1, kNow + 1000);
  b.created_at = kNow + 5;
  Insert(a);
  Insert(b);
  auto list = Read()->registrations().ListInitialAccessTokens(realm_.id);
  ASSERT_STORE_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, b.id);
  EXPECT_EQ((*list)[1].token_hash, a.token_hash);
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->registrations().DeleteInitialAccessToken(realm_.id, a.id));
    EXPECT_STORE_ERROR(tx->registrations().DeleteInitialAccessToken(realm_.id, a.id),
                       ErrorCode::kNotFound);
    ASSERT_STORE_OK(tx->Commit());
  }
  auto after = Read()->registrations().ListInitialAccessTokens(realm_.id);
  ASSERT_STORE_OK(after);
  EXPECT_EQ(after->size(), 1u);
}

TEST_P(RegistrationStoreTest, ClientRegistrationIsReplacedAndGoesWithItsClient) {
  core::ClientRegistration g{client_.id, realm_.id, Hash(), kNow, kNow};
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->registrations().PutClientRegistration(g));
    g.token_hash = Hash();
    g.updated_at = kNow + 1;
    ASSERT_STORE_OK(tx->registrations().PutClientRegistration(g));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto got = Read()->registrations().GetClientRegistration(realm_.id, client_.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->token_hash, g.token_hash);
  EXPECT_EQ(got->updated_at, kNow + 1);
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->clients().Delete(realm_.id, client_.id));
    ASSERT_STORE_OK(tx->Commit());
  }
  EXPECT_STORE_ERROR(Read()->registrations().GetClientRegistration(realm_.id, client_.id),
                     ErrorCode::kNotFound);
}

class KeyConditionalUpdateTest : public OidcStoreTest {};
IDM_STORE_SUITE(KeyConditionalUpdateTest);

TEST_P(KeyConditionalUpdateTest, UpdateIfStatusRefusesAKeyChangedSinceItWasRead) {
  core::SigningKey k;
  k.kid = NewId();
  k.realm_id = realm_.id;
  k.alg = "ES256";
  k.status = core::KeyStatus::kNext;
  k.private_key_sealed = "sealed";
  k.public_jwk = "{}";
  k.created_at = kNow;
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->keys().Insert(k));
    ASSERT_STORE_OK(tx->Commit());
  }
  core::SigningKey promoted = k;
  promoted.status = core::KeyStatus::kActive;
  promoted.activated_at = kNow + 1;
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->keys().UpdateIfStatus(promoted, core::KeyStatus::kNext));
    ASSERT_STORE_OK(tx->Commit());
  }
  // A second node that also read kNext must not promote it again.
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->keys().UpdateIfStatus(promoted, core::KeyStatus::kNext),
                     ErrorCode::kVersionMismatch);
  core::SigningKey gone = k;
  gone.kid = NewId();
  EXPECT_STORE_ERROR(tx->keys().UpdateIfStatus(gone, core::KeyStatus::kNext), ErrorCode::kNotFound);
}

class SweepTest : public OidcStoreTest {};
IDM_STORE_SUITE(SweepTest);

TEST_P(SweepTest, SweepDeletesExpiredStateAndKeepsLiveState) {
  core::SsoSession live = Session();
  core::SsoSession idle = Session();
  idle.idle_expires_at = kNow + 10;
  core::AuthorizationCode live_code = Code();
  core::AuthorizationCode old_code = Code();
  old_code.expires_at = kNow + 10;
  core::RefreshToken live_token = Token(NewId());
  core::RefreshToken old_token = Token(NewId());
  old_token.expires_at = kNow + 10;
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->sessions().Create(live));
    ASSERT_STORE_OK(tx->sessions().Create(idle));
    ASSERT_STORE_OK(tx->codes().Insert(live_code));
    ASSERT_STORE_OK(tx->codes().Insert(old_code));
    ASSERT_STORE_OK(tx->refresh_tokens().Insert(live_token));
    ASSERT_STORE_OK(tx->refresh_tokens().Insert(old_token));
    ASSERT_STORE_OK(tx->jtis().InsertIfAbsent({realm_.id, client_.id, "j-old", kNow + 10}, kNow));
    ASSERT_STORE_OK(tx->jtis().InsertIfAbsent({realm_.id, client_.id, "j-new", kNow + 9000}, kNow));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto swept = oauth::SweepExpiredState(*store_, kNow + 100);
  ASSERT_TRUE(swept.ok()) << swept.error().detail;
  EXPECT_EQ(swept->sessions, 1);
  EXPECT_EQ(swept->codes, 1);
  EXPECT_EQ(swept->refresh_tokens, 1);
  EXPECT_EQ(swept->jtis, 1);
  EXPECT_EQ(swept->Total(), 4);
  auto again = oauth::SweepExpiredState(*store_, kNow + 100);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Total(), 0);
}

}  // namespace
}  // namespace idm::store::testing
