// KeyService: per-realm keys, publish-before-sign rotation, retired keys kept, pruning, the KEK
// check, sealed private keys and the per-node cache.
#include "idm/oauth/keys/key_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "idm/core/json.h"
#include "idm/crypto/jwt.h"
#include "idm/oauth/keys/key_store_ops.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {
namespace {

using core::Json;

class KeyServiceTest : public OAuthTest {
 protected:
  std::vector<core::SigningKey> StoredKeys() {
    auto tx = store_->Begin(store::TxMode::kReadOnly);
    EXPECT_TRUE(tx);
    auto keys = (*tx)->keys().List(Realm().id);
    EXPECT_TRUE(keys);
    return keys ? *keys : std::vector<core::SigningKey>{};
  }
  std::vector<std::string> AuditTypes() {
    auto tx = store_->Begin(store::TxMode::kReadOnly);
    auto events = (*tx)->audit().List(Realm().id, 0, 1000);
    EXPECT_TRUE(events);
    std::vector<std::string> types;
    for (const auto& e : *events) {
      if (e.resource_type == "key") types.push_back(e.type);
    }
    return types;
  }
  std::set<std::string> JwksKids() {
    auto keys = keys_->Keys(Realm());
    EXPECT_TRUE(keys);
    std::set<std::string> kids;
    Json jwks = Json::parse((*keys)->jwks_json);
    for (const Json& k : jwks["keys"]) kids.insert(k["kid"]);
    return kids;
  }
  static const core::SigningKey* Find(const std::vector<core::SigningKey>& keys,
                                      const std::string& alg, core::KeyStatus status) {
    for (const auto& k : keys) {
      if (k.alg == alg && k.status == status) return &k;
    }
    return nullptr;
  }
  std::string TokenKid() {
    std::string secret = MakeClient(ClientSpec{"kc-" + std::to_string(n_++)});
    http::WebRequest r = TokenRequest("grant_type=client_credentials");
    AddBasic(&r, "kc-" + std::to_string(n_ - 1), secret);
    http::WebResponse resp = Serve(r);
    EXPECT_EQ(resp.status, 200) << resp.body;
    last_token_ = Json::parse(resp.body)["access_token"];
    return crypto::JwtDecodeUnverified(last_token_)->header["kid"];
  }
  int n_ = 0;
  std::string last_token_;
};

TEST_F(KeyServiceTest, EnsureKeysGivesActiveAndNextKeysForDefaultAlgAndRs256) {
  std::vector<core::SigningKey> keys = StoredKeys();
  ASSERT_EQ(keys.size(), 4u);
  for (const char* alg : {"ES256", "RS256"}) {
    EXPECT_NE(Find(keys, alg, core::KeyStatus::kActive), nullptr) << alg;
    EXPECT_NE(Find(keys, alg, core::KeyStatus::kNext), nullptr) << alg;
  }
  ASSERT_TRUE(keys_->EnsureKeys(Ctx(), Realm()));  // idempotent
  EXPECT_EQ(StoredKeys().size(), 4u);
  EXPECT_EQ(AuditTypes(), std::vector<std::string>(4, "KeyCreated"));
}

TEST_F(KeyServiceTest, PrivateKeysAreSealedAndBoundToRealmAndKid) {
  for (const core::SigningKey& k : StoredKeys()) {
    Json jwk = Json::parse(k.public_jwk);
    EXPECT_FALSE(jwk.contains("d")) << "public JWK must not hold the private key";
    EXPECT_EQ(jwk["kid"], k.kid);
    auto opened = kek_->Open(k.private_key_sealed, KeyStoreOps::SealAad(k.realm_id, k.kid));
    ASSERT_TRUE(opened) << k.kid;
    EXPECT_TRUE(crypto::SigningKey::FromPkcs8Der(*opened, *crypto::ParseJwsAlg(k.alg), k.kid));
    EXPECT_FALSE(kek_->Open(k.private_key_sealed, KeyStoreOps::SealAad(k.realm_id, "other")));
  }
}

TEST_F(KeyServiceTest, JwksPublishesNextAndActiveKeysWithoutPrivateParts) {
  std::set<std::string> kids = JwksKids();
  EXPECT_EQ(kids.size(), 4u);
  auto keys = keys_->Keys(Realm());
  Json jwks = Json::parse((*keys)->jwks_json);
  for (const Json& k : jwks["keys"]) {
    for (const char* priv : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(k.contains(priv));
  }
}

TEST_F(KeyServiceTest, RotationSignsWithTheKeyPublishedBeforeAndKeepsRetiredKey) {
  std::vector<core::SigningKey> before = StoredKeys();
  std::string old_active = Find(before, "ES256", core::KeyStatus::kActive)->kid;
  std::string next = Find(before, "ES256", core::KeyStatus::kNext)->kid;
  EXPECT_EQ(TokenKid(), old_active);
  std::string old_token = last_token_;
  ASSERT_TRUE(JwksKids().count(next)) << "next key is published before it signs";

  ASSERT_TRUE(keys_->Rotate(Ctx(), Realm(), "ES256"));
  EXPECT_EQ(TokenKid(), next);
  std::vector<core::SigningKey> after = StoredKeys();
  const core::SigningKey* retired = Find(after, "ES256", core::KeyStatus::kRetired);
  ASSERT_NE(retired, nullptr);
  EXPECT_EQ(retired->kid, old_active);
  EXPECT_EQ(retired->expires_at, clock_.NowMillis() + (300 + 60) * 1000);
  const core::SigningKey* new_next = Find(after, "ES256", core::KeyStatus::kNext);
  ASSERT_NE(new_next, nullptr);
  std::set<std::string> kids = JwksKids();
  EXPECT_TRUE(kids.count(old_active) && kids.count(next) && kids.count(new_next->kid));
  EXPECT_TRUE(verifier_->Verify(old_token)) << "tokens of the retired key still verify";
  std::vector<std::string> types = AuditTypes();
  std::vector<std::string> tail(types.end() - 3, types.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"KeyRotated", "KeyRetired", "KeyCreated"}));
}

TEST_F(KeyServiceTest, RotateRefusesAlgTheRealmDoesNotSignWith) {
  auto s = keys_->Rotate(Ctx(), Realm(), "PS256");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::ServiceErrorCode::kInvalidArgument);
  EXPECT_FALSE(keys_->Rotate(Ctx(), Realm(), "none"));
}

TEST_F(KeyServiceTest, PruneRemovesRetiredKeysOnlyAfterTheyExpire) {
  std::string old_active = Find(StoredKeys(), "ES256", core::KeyStatus::kActive)->kid;
  TokenKid();
  std::string old_token = last_token_;
  ASSERT_TRUE(keys_->Rotate(Ctx(), Realm(), "ES256"));
  auto none = keys_->Prune(Ctx(), Realm());
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);
  clock_.Advance(std::chrono::seconds(361));
  auto pruned = keys_->Prune(Ctx(), Realm());
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 1);
  EXPECT_FALSE(JwksKids().count(old_active));
  EXPECT_EQ(AuditTypes().back(), "KeyDeleted");
  auto r = verifier_->Verify(old_token);
  ASSERT_FALSE(r);
}

TEST_F(KeyServiceTest, OtherNodesRotationIsSeenAfterCacheTtl) {
  KeyService node2(*store_, *kek_, random_, clock_);
  std::string next = Find(StoredKeys(), "ES256", core::KeyStatus::kNext)->kid;
  std::string first = TokenKid();
  ASSERT_TRUE(node2.Rotate(Ctx(), Realm(), "ES256"));
  EXPECT_EQ(TokenKid(), first) << "cached for up to a minute";
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(TokenKid(), next);
}

TEST_F(KeyServiceTest, AnExpiredSetIsReloadedByOneCallerWhileTheOthersKeepUsingIt) {
  std::atomic<bool> block{false};
  std::promise<void> entered, release;
  std::future<void> in_reload = entered.get_future();
  std::shared_future<void> released = release.get_future().share();
  KeyServiceOptions options;
  options.generate_key = [&](crypto::JwsAlg alg) {
    if (block.exchange(false)) {
      entered.set_value();
      released.wait();
    }
    return crypto::SigningKey::Generate(alg);
  };
  KeyService node(*store_, *kek_, random_, clock_, options);
  auto first = node.Keys(Realm());
  ASSERT_TRUE(first) << first.error().detail;
  clock_.Advance(std::chrono::seconds(61));
  // An EdDSA default makes the reload create keys, and the generator holds it there.
  core::Realm eddsa = Realm();
  eddsa.settings.default_signing_alg = "EdDSA";
  block = true;
  std::thread reloader([&] {
    auto k = node.Keys(eddsa);
    ASSERT_TRUE(k) << k.error().detail;
    EXPECT_NE((*k)->ActiveKey(crypto::JwsAlg::kEdDsa), nullptr);
  });
  in_reload.wait();
  auto meanwhile = node.Keys(eddsa);  // does not wait for the reload, nor start another
  ASSERT_TRUE(meanwhile);
  EXPECT_EQ(meanwhile->get(), first->get()) << "the expired set, at once";
  release.set_value();
  reloader.join();
  auto after = node.Keys(eddsa);
  ASSERT_TRUE(after);
  EXPECT_NE((*after)->ActiveKey(crypto::JwsAlg::kEdDsa), nullptr);
  EXPECT_NE(after->get(), first->get());
}

TEST_F(KeyServiceTest, RealmCreatedLaterGetsKeysOnFirstUse) {
  core::Realm draft;
  draft.name = "later";
  draft.settings.default_signing_alg = "RS256";
  auto later = realms_->Create(Ctx(), draft);
  ASSERT_TRUE(later);
  auto keys = keys_->Keys(*later);
  ASSERT_TRUE(keys) << keys.error().detail;
  EXPECT_NE((*keys)->ActiveKey(crypto::JwsAlg::kRs256), nullptr);
  EXPECT_EQ((*keys)->ActiveKey(crypto::JwsAlg::kEs256), nullptr);
  EXPECT_EQ(Json::parse((*keys)->jwks_json)["keys"].size(), 2u);
}

TEST_F(KeyServiceTest, VerifyKekStoresCheckOnceAndAcceptsSameKek) {
  auto tx = store_->Begin(store::TxMode::kReadOnly);
  auto check = (*tx)->meta().Get("kek_check");
  ASSERT_TRUE(check);
  EXPECT_TRUE(kek_->MatchesCheck(*check));
  tx->reset();
  EXPECT_TRUE(keys_->VerifyKek());
}

TEST_F(KeyServiceTest, WrongKekIsDetectedBeforeAnythingIsWritten) {
  std::string stored_check;
  {
    auto tx = store_->Begin(store::TxMode::kReadOnly);
    stored_check = *(*tx)->meta().Get("kek_check");
  }
  OpenServices(crypto::Kek::Generate(random_));
  auto s = keys_->VerifyKek();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::ServiceErrorCode::kFailedPrecondition);
  EXPECT_NE(s.error().detail.find("key-encryption key does not match"), std::string::npos);
  auto tx = store_->Begin(store::TxMode::kReadOnly);
  EXPECT_EQ(*(*tx)->meta().Get("kek_check"), stored_check);
}

TEST_F(KeyServiceTest, KeysSealedUnderAnotherKekAreAnInternalErrorNotAKey) {
  OpenServices(crypto::Kek::Generate(random_));
  auto keys = keys_->Keys(Realm());
  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().code, core::ServiceErrorCode::kInternal);
}

}  // namespace
}  // namespace idm::oauth::testing
