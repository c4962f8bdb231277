// Contract: rotation of registration access tokens (RFC 7592 §3; docs/design/015). The stored
// hash is replaced by a conditional update on the old hash, so of two uses of one token — two
// requests, possibly on two nodes — exactly one gets a new token, on every backend.
#include <atomic>
#include <chrono>
#include <thread>

#include "idm/crypto/secret.h"
#include "idm/crypto/secure_random.h"
#include "idm/realm/client_service.h"
#include "idm/realm/registration_service.h"
#include "tests/store/oidc_fixture.h"

namespace idm::store::testing {
namespace {

class RegistrationTokenRotationTest : public OidcStoreTest {
 protected:
  void Register(const std::string& hash) {
    auto tx = Write();
    ASSERT_STORE_OK(
        tx->registrations().PutClientRegistration({client_.id, realm_.id, hash, kNow, kNow}));
    ASSERT_STORE_OK(tx->Commit());
  }
  Status ReplaceAlone(const std::string& old_hash, const std::string& new_hash) {
    IDM_ASSIGN_OR_RETURN(auto tx, store_->Begin(TxMode::kReadWrite));
    IDM_TRY(tx->registrations().ReplaceClientRegistrationToken(realm_.id, client_.id, old_hash,
                                                               new_hash, kNow + 1));
    return tx->Commit();
  }
  std::string StoredHash() {
    auto g = Read()->registrations().GetClientRegistration(realm_.id, client_.id);
    EXPECT_TRUE(g.ok());
    return g.ok() ? g->token_hash : "";
  }
};
IDM_STORE_SUITE(RegistrationTokenRotationTest);

TEST_P(RegistrationTokenRotationTest, ReplaceSucceedsOnlyForTheCurrentHash) {
  std::string h0 = Hash(), h1 = Hash();
  Register(h0);
  ASSERT_STORE_OK(ReplaceAlone(h0, h1));
  EXPECT_EQ(StoredHash(), h1);
  auto g = Read()->registrations().GetClientRegistration(realm_.id, client_.id);
  ASSERT_STORE_OK(g);
  EXPECT_EQ(g->updated_at, kNow + 1);
  // The old hash no longer names the registration.
  EXPECT_STORE_ERROR(ReplaceAlone(h0, Hash()), ErrorCode::kVersionMismatch);
  EXPECT_EQ(StoredHash(), h1);
  // A client without a registration.
  core::Client other = MakeClient(realm_.id, "other");
  auto tx = Write();
  EXPECT_STORE_ERROR(
      tx->registrations().ReplaceClientRegistrationToken(realm_.id, other.id, h1, Hash(), kNow),
      ErrorCode::kNotFound);
}

// The rival's update waits for the first transaction (row lock on PostgreSQL, the single writer on
// SQLite) and then finds the old hash gone.
TEST_P(RegistrationTokenRotationTest, ConcurrentReplaceOfOneHashLetsExactlyOneWin) {
  std::string h0 = Hash(), h1 = Hash(), h2 = Hash();
  Register(h0);
  auto first = Write();
  ASSERT_STORE_OK(
      first->registrations().ReplaceClientRegistrationToken(realm_.id, client_.id, h0, h1, kNow));
  std::atomic<int> rival_code{-1};
  std::thread rival([&] {
    Status s = ReplaceAlone(h0, h2);
    rival_code = s.ok() ? 100 : static_cast<int>(s.error().code);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // let the rival block
  ASSERT_STORE_OK(first->Commit());
  first.reset();
  rival.join();
  EXPECT_EQ(rival_code.load(), static_cast<int>(ErrorCode::kVersionMismatch));
  EXPECT_EQ(StoredHash(), h1);
}

// Two nodes (each its own services and randomness) read the registration with the same token at
// once: exactly one answers with a new token, the other refuses the token as stale, and only the
// winner's new token works afterwards.
TEST_P(RegistrationTokenRotationTest, TwoRacingReadsWithOneTokenYieldOneValidToken) {
  crypto::SecureRandom token_random;
  std::string token = crypto::NewSecret(token_random, crypto::kRegistrationAccessTokenPrefix);
  Register(crypto::HashSecret(token));
  struct Node {
    crypto::SecureRandom random;
    std::unique_ptr<realm::ClientService> clients;
    std::unique_ptr<realm::RegistrationService> registrations;
  } nodes[2];
  for (Node& n : nodes) {
    n.clients = std::make_unique<realm::ClientService>(*store_, n.random);
    n.registrations = std::make_unique<realm::RegistrationService>(*store_, *n.clients, n.random);
  }
  core::OpContext ctx{"client:web", "", "", kNow};
  std::optional<core::ServiceResult<realm::RegisteredClient>> results[2];
  std::thread a([&] { results[0] = nodes[0].registrations->Read(ctx, "acme", "web", token); });
  std::thread b([&] { results[1] = nodes[1].registrations->Read(ctx, "acme", "web", token); });
  a.join();
  b.join();
  int won = 0;
  std::string new_token;
  for (const auto& r : results) {
    ASSERT_TRUE(r.has_value());
    if (r->ok()) {
      ++won;
      new_token = (*r)->registration_access_token;
    } else {
      EXPECT_EQ(r->error().code, core::ServiceErrorCode::kUnauthenticated) << r->error().detail;
    }
  }
  ASSERT_EQ(won, 1);
  EXPECT_TRUE(crypto::VerifySecret(new_token, StoredHash()));
  EXPECT_FALSE(nodes[0].registrations->Authorize("acme", "web", token).ok());
  EXPECT_TRUE(nodes[0].registrations->Authorize("acme", "web", new_token).ok());
}

}  // namespace
}  // namespace idm::store::testing
