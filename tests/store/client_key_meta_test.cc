// Contract: ClientRepo, KeyRepo and MetaRepo (store.h), on every backend.
#include "tests/store/store_fixture.h"

namespace idm::store::testing {
namespace {

class ClientKeyMetaTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!HasFatalFailure()) realm_ = MakeRealm("acme");
  }
  core::SigningKey Key(const std::string& kid, core::UnixMillis created_at) {
    core::SigningKey k;
    k.kid = kid;
    k.realm_id = realm_.id;
    k.alg = "ES256";
    k.private_key_sealed = std::string("\x00\x01\xff\xfe sealed", 11);  // binary
    k.public_jwk = R"({"kty":"EC","crv":"P-256"})";
    k.created_at = created_at;
    return k;
  }
  core::Realm realm_;
};
IDM_STORE_SUITE(ClientKeyMetaTest);

void ExpectSameOidcSettings(const core::Client& got, const core::Client& want) {
  EXPECT_EQ(got.require_pkce, want.require_pkce);
  EXPECT_EQ(got.consent_required, want.consent_required);
  EXPECT_EQ(got.id_token_signed_response_alg, want.id_token_signed_response_alg);
  EXPECT_EQ(got.subject_type, want.subject_type);
  EXPECT_EQ(got.sector_identifier, want.sector_identifier);
  EXPECT_EQ(got.jwks, want.jwks);
  EXPECT_EQ(got.jwks_uri, want.jwks_uri);
  EXPECT_EQ(got.frontchannel_logout_uri, want.frontchannel_logout_uri);
  EXPECT_EQ(got.backchannel_logout_uri, want.backchannel_logout_uri);
  EXPECT_EQ(got.backchannel_logout_session_required, want.backchannel_logout_session_required);
  EXPECT_EQ(got.default_scopes, want.default_scopes);
  EXPECT_EQ(got.access_token_ttl_s, want.access_token_ttl_s);
  EXPECT_EQ(got.refresh_token_ttl_s, want.refresh_token_ttl_s);
  EXPECT_EQ(got.require_mfa, want.require_mfa);  // migration 0007
  EXPECT_EQ(got.require_phishing_resistant, want.require_phishing_resistant);
}

TEST_P(ClientKeyMetaTest, ClientRoundTripsEveryField) {
  core::Client c;
  c.id = NewId();
  c.realm_id = realm_.id;
  c.client_id = "web-app";
  c.name = "Web";
  c.description = "The web app";
  c.enabled = false;
  c.type = core::ClientType::kPublic;
  c.secret_hash = "sha256:abcd";
  c.redirect_uris = {"https://a.example/cb", "https://b.example/cb"};
  c.post_logout_redirect_uris = {"https://a.example/bye"};
  c.grant_types = {"authorization_code", "refresh_token"};
  c.token_endpoint_auth_method = "none";
  c.scopes = {"openid", "profile"};
  c.attributes = {{"logo", {"x.png"}}};
  c.require_pkce = false;
  c.consent_required = false;
  c.id_token_signed_response_alg = "PS256";
  c.subject_type = "pairwise";
  c.sector_identifier = "https://a.example/sector.json";
  c.jwks = R"({"keys":[]})";
  c.jwks_uri = "https://a.example/jwks";
  c.frontchannel_logout_uri = "https://a.example/fc";
  c.backchannel_logout_uri = "https://a.example/bc";
  c.backchannel_logout_session_required = true;
  c.default_scopes = {"openid", "email"};
  c.access_token_ttl_s = 120;
  c.refresh_token_ttl_s = 3600;
  c.require_mfa = true;
  c.require_phishing_resistant = true;
  c.created_at = 3;
  c.updated_at = 4;
  auto tx = Write();
  auto created = tx->clients().Create(c);
  ASSERT_STORE_OK(created);
  EXPECT_EQ(created->version, 1);
  ASSERT_STORE_OK(tx->Commit());
  auto got = Read()->clients().GetByClientId(realm_.id, "web-app");
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->id, c.id);
  EXPECT_EQ(got->name, "Web");
  EXPECT_EQ(got->description, "The web app");
  EXPECT_FALSE(got->enabled);
  EXPECT_EQ(got->type, core::ClientType::kPublic);
  EXPECT_EQ(got->secret_hash, "sha256:abcd");
  EXPECT_EQ(got->redirect_uris, c.redirect_uris);
  EXPECT_EQ(got->post_logout_redirect_uris, c.post_logout_redirect_uris);
  EXPECT_EQ(got->grant_types, c.grant_types);
  EXPECT_EQ(got->token_endpoint_auth_method, "none");
  EXPECT_EQ(got->scopes, c.scopes);
  EXPECT_EQ(got->attributes, c.attributes);
  EXPECT_EQ(got->created_at, 3);
  EXPECT_EQ(got->updated_at, 4);
  ExpectSameOidcSettings(*got, c);
}

TEST_P(ClientKeyMetaTest, ClientIdIsUniquePerRealmAndLookupsOfUnknownAreNotFound) {
  MakeClient(realm_.id, "app");
  core::Client dup;
  dup.id = NewId();
  dup.realm_id = realm_.id;
  dup.client_id = "app";
  EXPECT_STORE_ERROR(Write()->clients().Create(dup), ErrorCode::kConflict);
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->clients().Get(realm_.id, "nope"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->clients().GetByClientId(realm_.id, "nope"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->clients().Delete(realm_.id, "nope"), ErrorCode::kNotFound);
}

TEST_P(ClientKeyMetaTest, ClientUpdateReplacesEverythingWithVersionCheck) {
  core::Client c = MakeClient(realm_.id, "app");
  MakeClient(realm_.id, "other");
  core::Client changed = c;
  changed.secret_hash = "sha256:new";
  changed.redirect_uris = {"https://new.example/cb"};
  changed.type = core::ClientType::kPublic;
  changed.subject_type = "pairwise";
  changed.require_pkce = false;
  changed.default_scopes = {"openid"};
  changed.backchannel_logout_uri = "https://new.example/bc";
  changed.refresh_token_ttl_s = 60;
  changed.require_mfa = true;
  auto tx = Write();
  auto updated = tx->clients().Update(changed);
  ASSERT_STORE_OK(updated);
  EXPECT_EQ(updated->version, 2);
  ExpectSameOidcSettings(*updated, changed);
  EXPECT_EQ(updated->secret_hash, "sha256:new");
  EXPECT_EQ(updated->redirect_uris, changed.redirect_uris);
  EXPECT_EQ(updated->type, core::ClientType::kPublic);
  EXPECT_STORE_ERROR(tx->clients().Update(c), ErrorCode::kVersionMismatch);
  core::Client ghost = *updated;
  ghost.id = NewId();
  EXPECT_STORE_ERROR(tx->clients().Update(ghost), ErrorCode::kNotFound);
  core::Client clash = *updated;
  clash.client_id = "other";
  EXPECT_STORE_ERROR(tx->clients().Update(clash), ErrorCode::kConflict);
}

TEST_P(ClientKeyMetaTest, ClientListPagesByClientIdAndSearchesClientIdOrName) {
  for (const char* id : {"delta", "alpha", "charlie", "bravo"}) MakeClient(realm_.id, id);
  {
    core::Client named;
    named.id = NewId();
    named.realm_id = realm_.id;
    named.client_id = "zulu";
    named.name = "Alphabet Soup";
    auto tx = Write();
    ASSERT_STORE_OK(tx->clients().Create(named));
    ASSERT_STORE_OK(tx->Commit());
  }
  ListQuery q;
  q.limit = 2;
  std::vector<std::string> ids;
  for (int guard = 0; guard < 5; ++guard) {
    auto page = Read()->clients().List(realm_.id, q);
    ASSERT_STORE_OK(page);
    for (auto& c : page->items) ids.push_back(c.client_id);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "zulu"}));
  ListQuery p;
  p.prefix = "ALPHA";
  auto found = Read()->clients().List(realm_.id, p);
  ASSERT_STORE_OK(found);
  ASSERT_EQ(found->items.size(), 2u);
  EXPECT_EQ(found->items[0].client_id, "alpha");
  EXPECT_EQ(found->items[1].client_id, "zulu");
}

TEST_P(ClientKeyMetaTest, KeysRoundTripBinarySealedKeyNewestFirst) {
  auto tx = Write();
  ASSERT_STORE_OK(tx->keys().Insert(Key("old", 100)));
  ASSERT_STORE_OK(tx->keys().Insert(Key("new", 200)));
  ASSERT_STORE_OK(tx->Commit());
  tx.reset();
  EXPECT_STORE_ERROR(Write()->keys().Insert(Key("new", 300)), ErrorCode::kConflict);
  auto keys = Read()->keys().List(realm_.id);
  ASSERT_STORE_OK(keys);
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].kid, "new");
  EXPECT_EQ((*keys)[1].kid, "old");
  EXPECT_EQ((*keys)[0].private_key_sealed, Key("x", 0).private_key_sealed);
  EXPECT_EQ((*keys)[0].public_jwk, Key("x", 0).public_jwk);
  EXPECT_EQ((*keys)[0].status, core::KeyStatus::kNext);
}

TEST_P(ClientKeyMetaTest, KeyUpdateChangesStatusAndTimesAndUnknownIsNotFound) {
  auto tx = Write();
  ASSERT_STORE_OK(tx->keys().Insert(Key("k1", 100)));
  core::SigningKey k = Key("k1", 100);
  k.status = core::KeyStatus::kRetired;
  k.activated_at = 150;
  k.retired_at = 200;
  k.expires_at = 300;
  ASSERT_STORE_OK(tx->keys().Update(k));
  auto keys = tx->keys().List(realm_.id);
  ASSERT_STORE_OK(keys);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].status, core::KeyStatus::kRetired);
  EXPECT_EQ((*keys)[0].activated_at, 150);
  EXPECT_EQ((*keys)[0].retired_at, 200);
  EXPECT_EQ((*keys)[0].expires_at, 300);
  core::SigningKey ghost = Key("ghost", 1);
  EXPECT_STORE_ERROR(tx->keys().Update(ghost), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->keys().Delete(realm_.id, "k1"));
  EXPECT_STORE_ERROR(tx->keys().Delete(realm_.id, "k1"), ErrorCode::kNotFound);
}

TEST_P(ClientKeyMetaTest, MetaGetOfMissingKeyIsNotFoundAndPutUpserts) {
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->meta().Get("kek_check"), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->meta().Put("kek_check", "v1"));
  ASSERT_STORE_OK(tx->meta().Put("kek_check", "v2"));
  ASSERT_STORE_OK(tx->meta().Put("bootstrap.admin", "done"));
  ASSERT_STORE_OK(tx->Commit());
  auto rt = Read();
  auto v = rt->meta().Get("kek_check");
  ASSERT_STORE_OK(v);
  EXPECT_EQ(*v, "v2");
  auto b = rt->meta().Get("bootstrap.admin");
  ASSERT_STORE_OK(b);
  EXPECT_EQ(*b, "done");
}

}  // namespace
}  // namespace idm::store::testing
