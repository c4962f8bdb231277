#include "idm/account/user_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

using core::ServiceErrorCode;

constexpr char kGoodPassword[] = "correct horse battery";

class UserServiceTest : public ServiceTest {
 protected:
  core::ServiceResult<core::User> CreateWithPassword(const std::string& username,
                                                     const std::string& password,
                                                     const std::string& email = "") {
    core::User draft;
    draft.username = username;
    draft.email = email;
    return env_.users_->Create(env_.ctx_, "acme", draft, password);
  }
};

TEST_F(UserServiceTest, CreateStoresTheUserAndWritesOneUserCreatedEvent) {
  auto created = CreateWithPassword("Alice", kGoodPassword, "Alice@Example.com");
  ASSERT_TRUE(created.ok()) << created.error().detail;
  EXPECT_FALSE(created->id.empty());
  EXPECT_EQ(created->username, "Alice");  // stored as given
  EXPECT_EQ(created->version, 1);
  auto events = env_.Events("acme");
  ASSERT_EQ(events.size(), 2u);  // RealmCreated, UserCreated: the password is part of the create
  EXPECT_EQ(events[1].type, "UserCreated");
  EXPECT_EQ(events[1].resource_id, created->id);
  EXPECT_EQ(events[1].details.find(kGoodPassword), std::string::npos);
  EXPECT_EQ(events[1].details.find("argon2"), std::string::npos);
}

TEST_F(UserServiceTest, RejectsDuplicateUsernameCaseInsensitively) {
  env_.MakeUser("acme", "alice");
  core::User draft;
  draft.username = "ALICE";
  auto dup = env_.users_->Create(env_.ctx_, "acme", draft, std::nullopt);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ServiceErrorCode::kAlreadyExists);
  EXPECT_EQ(env_.users_->GetByUsername("acme", "aLiCe")->username, "alice");
}

TEST_F(UserServiceTest, RejectsDuplicateEmailCaseInsensitively) {
  env_.MakeUser("acme", "alice", "alice@example.com");
  core::User draft;
  draft.username = "bob";
  draft.email = "ALICE@example.COM";
  EXPECT_EQ(env_.users_->Create(env_.ctx_, "acme", draft, std::nullopt).error().code,
            ServiceErrorCode::kAlreadyExists);
  // Users without email never collide.
  env_.MakeUser("acme", "carol");
  env_.MakeUser("acme", "dave");
}

TEST_F(UserServiceTest, CreateRejectsInvalidFieldsAndPolicyViolations) {
  core::User draft;
  draft.username = "bad name";
  draft.email = "nope";
  auto bad = env_.users_->Create(env_.ctx_, "acme", draft, std::nullopt);
  EXPECT_TRUE(HasViolation(bad.error(), "username"));
  EXPECT_TRUE(HasViolation(bad.error(), "email"));
  auto weak = CreateWithPassword("alice", "short");
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().code, ServiceErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasViolation(weak.error(), "password"));
  EXPECT_EQ(env_.users_->GetByUsername("acme", "alice").error().code, ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.Events("acme").size(), 1u);
}

TEST_F(UserServiceTest, SetPasswordFollowsTheRealmPolicy) {
  core::Realm changes = acme_;
  changes.settings.password_policy.require_digit = true;
  ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", changes, 1).ok());
  auto user = env_.MakeUser("acme", "alice.smith1");
  auto no_digit = env_.users_->SetPassword(env_.ctx_, "acme", user.id, kGoodPassword);
  EXPECT_TRUE(HasViolation(no_digit.error(), "password"));
  auto username = env_.users_->SetPassword(env_.ctx_, "acme", user.id, "ALICE.SMITH1");
  ASSERT_FALSE(username.ok());
  EXPECT_EQ(username.error().violations.size(), 1u);
  EXPECT_EQ(username.error().violations[0].message, "must not be the username");
  ASSERT_TRUE(env_.users_->SetPassword(env_.ctx_, "acme", user.id, "correct horse 42").ok());
  EXPECT_EQ(env_.LastEventType("acme"), "PasswordChanged");
  EXPECT_TRUE(env_.users_->VerifyPassword("acme", "alice.smith1", "correct horse 42").ok());
  EXPECT_EQ(env_.users_->SetPassword(env_.ctx_, "acme", "ghost", "correct horse 42").error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(UserServiceTest, VerifyPasswordByUsernameOrEmail) {
  auto created = CreateWithPassword("alice", kGoodPassword, "alice@example.com");
  ASSERT_TRUE(created.ok());
  auto by_name = env_.users_->VerifyPassword("acme", "ALICE", kGoodPassword);
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->id, created->id);
  auto by_email = env_.users_->VerifyPassword("acme", "Alice@Example.com", kGoodPassword);
  ASSERT_TRUE(by_email.ok());
  EXPECT_EQ(by_email->id, created->id);
}

TEST_F(UserServiceTest, VerifyPasswordFailsAlikeForUnknownUserWrongPasswordNoPasswordDisabled) {
  auto alice = CreateWithPassword("alice", kGoodPassword);
  env_.MakeUser("acme", "nopass");
  auto bob = CreateWithPassword("bob", kGoodPassword);
  core::User changes = *bob;
  changes.enabled = false;
  ASSERT_TRUE(env_.users_->Update(env_.ctx_, "acme", bob->id, changes, 1).ok());

  auto wrong = env_.users_->VerifyPassword("acme", "alice", "wrong password!");
  auto unknown = env_.users_->VerifyPassword("acme", "nobody", kGoodPassword);
  auto no_password = env_.users_->VerifyPassword("acme", "nopass", kGoodPassword);
  auto disabled = env_.users_->VerifyPassword("acme", "bob", kGoodPassword);
  auto other_realm = env_.users_->VerifyPassword("master", "alice", kGoodPassword);
  for (const auto* r : {&wrong, &unknown, &no_password, &disabled, &other_realm}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error().code, ServiceErrorCode::kUnauthenticated);
    EXPECT_EQ(r->error().detail, "invalid credentials");
    EXPECT_TRUE(r->error().violations.empty());
  }
}

TEST_F(UserServiceTest, VerifyPasswordFailsAlikeInADisabledRealmAndUnknownRealmIsNotFound) {
  ASSERT_TRUE(CreateWithPassword("alice", kGoodPassword).ok());
  core::Realm changes = acme_;
  changes.enabled = false;
  ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", changes, 1).ok());
  auto r = env_.users_->VerifyPassword("acme", "alice", kGoodPassword);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ServiceErrorCode::kUnauthenticated);
  EXPECT_EQ(r.error().detail, "invalid credentials");
  EXPECT_EQ(env_.users_->VerifyPassword("nope", "alice", kGoodPassword).error().code,
            ServiceErrorCode::kNotFound);
}

// Median wall time of fn over n runs, in microseconds.
template <class F>
int64_t MedianMicros(F fn, int n) {
  std::vector<int64_t> t;
  for (int i = 0; i < n; ++i) {
    auto start = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

TEST(UserServiceTiming, UnknownUserCostsAnArgon2VerificationLikeAKnownOne) {
  ServiceEnv env;
  env.MakeRealm("acme");
  // Heavier Argon2 than the other tests, so a skipped verification would stand out clearly
  // (a store lookup is ~100x cheaper than this hash).
  crypto::Argon2Params params;
  params.memory_kib = 8192;
  params.iterations = 2;
  crypto::PasswordHasher hasher(params, env.random_);
  account::UserService users(*env.store_, hasher, env.random_);
  core::User draft;
  draft.username = "alice";
  ASSERT_TRUE(users.Create(env.ctx_, "acme", draft, std::string(kGoodPassword)).ok());
  int64_t known = MedianMicros([&] { (void)users.VerifyPassword("acme", "alice", "x"); }, 7);
  int64_t unknown = MedianMicros([&] { (void)users.VerifyPassword("acme", "ghost", "x"); }, 7);
  EXPECT_GT(unknown * 3, known) << "known " << known << "us, unknown " << unknown << "us";
}

TEST_F(UserServiceTest, UpdateReplacesFieldsBumpsVersionAndWritesUserUpdated) {
  auto user = env_.MakeUser("acme", "alice");
  core::User changes = user;
  changes.first_name = "Alice";
  changes.email = "alice@example.com";
  changes.attributes = {{"dept", {"eng"}}};
  auto updated = env_.users_->Update(env_.ctx_, "acme", user.id, changes, 1);
  ASSERT_TRUE(updated.ok()) << updated.error().detail;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(env_.users_->Get("acme", user.id)->attributes.at("dept")[0], "eng");
  auto last = env_.Events("acme").back();
  EXPECT_EQ(last.type, "UserUpdated");
  EXPECT_NE(last.details.find("first_name"), std::string::npos);
}

TEST_F(UserServiceTest, UpdateWithStaleVersionOrTakenUsernameFails) {
  auto alice = env_.MakeUser("acme", "alice");
  env_.MakeUser("acme", "bob");
  core::User changes = alice;
  changes.first_name = "A";
  EXPECT_EQ(env_.users_->Update(env_.ctx_, "acme", alice.id, changes, 5).error().code,
            ServiceErrorCode::kPreconditionFailed);
  changes.username = "BOB";
  EXPECT_EQ(env_.users_->Update(env_.ctx_, "acme", alice.id, changes, 1).error().code,
            ServiceErrorCode::kAlreadyExists);
  changes.username = "al ice";
  EXPECT_TRUE(HasViolation(env_.users_->Update(env_.ctx_, "acme", alice.id, changes, 1).error(),
                           "username"));
  EXPECT_EQ(env_.users_->Update(env_.ctx_, "acme", "ghost", alice, 1).error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(UserServiceTest, ListPagesSearchesAndCounts) {
  for (const char* name : {"amy", "anna", "bert", "carl", "anton"}) env_.MakeUser("acme", name);
  EXPECT_EQ(*env_.users_->Count("acme"), 5);
  store::ListQuery q;
  q.prefix = "an";
  auto found = env_.users_->List("acme", q);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->items.size(), 2u);
  EXPECT_EQ(found->items[0].username, "anna");
  EXPECT_EQ(found->items[1].username, "anton");
  store::ListQuery page;
  page.limit = 2;
  std::vector<std::string> seen;
  for (int i = 0; i < 5; ++i) {
    auto p = env_.users_->List("acme", page);
    ASSERT_TRUE(p.ok());
    for (const auto& u : p->items) seen.push_back(u.username);
    if (p->next_cursor.empty()) break;
    page.cursor = p->next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"amy", "anna", "anton", "bert", "carl"}));
  page.cursor = "garbage";
  EXPECT_EQ(env_.users_->List("acme", page).error().code, ServiceErrorCode::kInvalidArgument);
}

TEST_F(UserServiceTest, DeleteRemovesTheUserAndWritesUserDeleted) {
  auto user = env_.MakeUser("acme", "alice");
  ASSERT_TRUE(env_.users_->Delete(env_.ctx_, "acme", user.id).ok());
  EXPECT_EQ(env_.users_->Get("acme", user.id).error().code, ServiceErrorCode::kNotFound);
  EXPECT_EQ(env_.LastEventType("acme"), "UserDeleted");
  EXPECT_EQ(env_.users_->Delete(env_.ctx_, "acme", user.id).error().code,
            ServiceErrorCode::kNotFound);
  EXPECT_EQ(*env_.users_->Count("acme"), 0);
}

}  // namespace
}  // namespace idm::svctest
