// Contract: UserRepo (store.h), on every backend.
#include <set>

#include "tests/store/store_fixture.h"

namespace idm::store::testing {
namespace {

class UserRepoTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!HasFatalFailure()) realm_ = MakeRealm("acme");
  }
  core::Realm realm_;
};
IDM_STORE_SUITE(UserRepoTest);

TEST_P(UserRepoTest, CreateStoresEveryFieldAndStartsAtVersionOne) {
  core::User u = NewUserValue(realm_.id, "Alice", "Alice@Example.com");
  u.email_verified = true;
  u.enabled = false;
  u.first_name = "Alice";
  u.last_name = "Liddell";
  u.attributes = {{"dept", {"eng", "ops"}}, {"floor", {"3"}}};
  auto tx = Write();
  auto created = tx->users().Create(u);
  ASSERT_STORE_OK(created);
  EXPECT_EQ(created->version, 1);
  ASSERT_STORE_OK(tx->Commit());
  auto got = Read()->users().Get(realm_.id, u.id);
  ASSERT_STORE_OK(got);
  EXPECT_EQ(got->username, "Alice");  // stored as given
  EXPECT_EQ(got->email, "Alice@Example.com");
  EXPECT_TRUE(got->email_verified);
  EXPECT_FALSE(got->enabled);
  EXPECT_EQ(got->first_name, "Alice");
  EXPECT_EQ(got->last_name, "Liddell");
  EXPECT_EQ(got->attributes, u.attributes);
  EXPECT_EQ(got->created_at, u.created_at);
  EXPECT_EQ(got->version, 1);
}

TEST_P(UserRepoTest, RejectsDuplicateUsernameCaseInsensitively) {
  MakeUser(realm_.id, "alice");
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->users().Create(NewUserValue(realm_.id, "ALICE")), ErrorCode::kConflict);
}

TEST_P(UserRepoTest, RejectsDuplicateEmailCaseInsensitivelyButAllowsManyWithoutEmail) {
  MakeUser(realm_.id, "alice", "a@example.com");
  MakeUser(realm_.id, "bob");
  MakeUser(realm_.id, "carol");
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->users().Create(NewUserValue(realm_.id, "dave", "A@EXAMPLE.COM")),
                     ErrorCode::kConflict);
}

TEST_P(UserRepoTest, SameUsernameAndEmailInAnotherRealmIsFine) {
  MakeUser(realm_.id, "alice", "a@example.com");
  core::Realm other = MakeRealm("other");
  auto tx = Write();
  ASSERT_STORE_OK(tx->users().Create(NewUserValue(other.id, "alice", "a@example.com")));
  ASSERT_STORE_OK(tx->Commit());
}

TEST_P(UserRepoTest, CreateInUnknownRealmFails) {
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->users().Create(NewUserValue("no-such-realm", "x")), ErrorCode::kConflict);
}

TEST_P(UserRepoTest, LooksUpByUsernameAndEmailCaseInsensitively) {
  core::User u = MakeUser(realm_.id, "Alice", "Alice@Example.com");
  auto tx = Read();
  auto by_name = tx->users().GetByUsername(realm_.id, "aLiCe");
  ASSERT_STORE_OK(by_name);
  EXPECT_EQ(by_name->id, u.id);
  auto by_email = tx->users().GetByEmail(realm_.id, "ALICE@example.COM");
  ASSERT_STORE_OK(by_email);
  EXPECT_EQ(by_email->id, u.id);
  EXPECT_STORE_ERROR(tx->users().GetByUsername(realm_.id, "bob"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->users().GetByEmail(realm_.id, "b@example.com"), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->users().Get(realm_.id, "nope"), ErrorCode::kNotFound);
  // Another realm's user is not visible through this realm.
  core::Realm other = MakeRealm("other");
  EXPECT_STORE_ERROR(Read()->users().Get(other.id, u.id), ErrorCode::kNotFound);
}

TEST_P(UserRepoTest, GetByEmptyEmailIsNotFoundEvenWhenUsersHaveNoEmail) {
  MakeUser(realm_.id, "alice");
  EXPECT_STORE_ERROR(Read()->users().GetByEmail(realm_.id, ""), ErrorCode::kNotFound);
}

TEST_P(UserRepoTest, UpdateBumpsVersionAndRefusesStaleVersion) {
  core::User u = MakeUser(realm_.id, "alice", "a@example.com");
  core::User changed = u;
  changed.username = "Alicia";
  changed.email = "";
  changed.attributes = {{"k", {"v"}}};
  changed.updated_at = 5;
  auto tx = Write();
  auto updated = tx->users().Update(changed);
  ASSERT_STORE_OK(updated);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->username, "Alicia");
  EXPECT_EQ(updated->email, "");
  EXPECT_EQ(updated->attributes, changed.attributes);
  EXPECT_EQ(updated->updated_at, 5);
  EXPECT_STORE_ERROR(tx->users().Update(u), ErrorCode::kVersionMismatch);
  ASSERT_STORE_OK(tx->Commit());
  auto rt = Read();
  ASSERT_STORE_OK(rt->users().GetByUsername(realm_.id, "alicia"));
  EXPECT_STORE_ERROR(rt->users().GetByEmail(realm_.id, "a@example.com"), ErrorCode::kNotFound);
}

TEST_P(UserRepoTest, UpdateOfUnknownUserIsNotFoundAndTakenUsernameIsConflict) {
  core::User a = MakeUser(realm_.id, "alice");
  MakeUser(realm_.id, "bob", "bob@example.com");
  auto tx = Write();
  core::User ghost = a;
  ghost.id = NewId();
  EXPECT_STORE_ERROR(tx->users().Update(ghost), ErrorCode::kNotFound);
  core::User clash = a;
  clash.username = "BOB";
  EXPECT_STORE_ERROR(tx->users().Update(clash), ErrorCode::kConflict);
  tx.reset();  // a database error ends the transaction (store.h)
  clash = a;
  clash.email = "Bob@Example.com";
  EXPECT_STORE_ERROR(Write()->users().Update(clash), ErrorCode::kConflict);
}

TEST_P(UserRepoTest, DeleteRemovesUserAndUnknownIsNotFound) {
  core::User u = MakeUser(realm_.id, "alice");
  auto tx = Write();
  ASSERT_STORE_OK(tx->users().Delete(realm_.id, u.id));
  EXPECT_STORE_ERROR(tx->users().Get(realm_.id, u.id), ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->users().Delete(realm_.id, u.id), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->Commit());
}

TEST_P(UserRepoTest, DeleteCascadesToPasswordMembershipsAndGrants) {
  core::User u = MakeUser(realm_.id, "alice");
  core::Group g = MakeGroup(realm_.id, "staff");
  core::Role r = MakeRole(realm_.id, "admin");
  {
    auto tx = Write();
    ASSERT_STORE_OK(tx->users().SetPasswordHash(realm_.id, u.id, "$argon2id$v=19$x", 1));
    ASSERT_STORE_OK(tx->groups().AddMember(realm_.id, g.id, u.id));
    ASSERT_STORE_OK(tx->roles().Grant(realm_.id, core::RoleHolderKind::kUser, u.id, r.id));
    ASSERT_STORE_OK(tx->users().Delete(realm_.id, u.id));
    ASSERT_STORE_OK(tx->Commit());
  }
  auto tx = Read();
  EXPECT_STORE_ERROR(tx->users().GetPasswordHash(realm_.id, u.id), ErrorCode::kNotFound);
  auto members = tx->groups().ListMembers(realm_.id, g.id, {});
  ASSERT_STORE_OK(members);
  EXPECT_TRUE(members->items.empty());
  auto granted = tx->roles().ListGranted(realm_.id, core::RoleHolderKind::kUser, u.id);
  ASSERT_STORE_OK(granted);
  EXPECT_TRUE(granted->empty());
}

TEST_P(UserRepoTest, PasswordHashIsSetReplacedAndAbsentIsNotFound) {
  core::User u = MakeUser(realm_.id, "alice");
  core::Realm other = MakeRealm("other");
  auto tx = Write();
  EXPECT_STORE_ERROR(tx->users().GetPasswordHash(realm_.id, u.id), ErrorCode::kNotFound);
  ASSERT_STORE_OK(tx->users().SetPasswordHash(realm_.id, u.id, "$argon2id$one", 1));
  ASSERT_STORE_OK(tx->users().SetPasswordHash(realm_.id, u.id, "$argon2id$two", 2));
  auto phc = tx->users().GetPasswordHash(realm_.id, u.id);
  ASSERT_STORE_OK(phc);
  EXPECT_EQ(*phc, "$argon2id$two");
  EXPECT_STORE_ERROR(tx->users().SetPasswordHash(realm_.id, "nope", "$argon2id$x", 3),
                     ErrorCode::kNotFound);
  EXPECT_STORE_ERROR(tx->users().GetPasswordHash(other.id, u.id), ErrorCode::kNotFound);
}

TEST_P(UserRepoTest, CountCountsOnlyTheRealm) {
  MakeUser(realm_.id, "a");
  MakeUser(realm_.id, "b");
  core::Realm other = MakeRealm("other");
  MakeUser(other.id, "c");
  auto n = Read()->users().Count(realm_.id);
  ASSERT_STORE_OK(n);
  EXPECT_EQ(*n, 2);
}

TEST_P(UserRepoTest, ListPagesThroughEveryUserInLowerCaseUsernameOrder) {
  {
    auto tx = Write();
    for (int i = 0; i < 25; ++i) {
      std::string name = (i % 2 ? "User" : "user") + std::to_string(100 + i);
      ASSERT_STORE_OK(tx->users().Create(NewUserValue(realm_.id, name)));
    }
    ASSERT_STORE_OK(tx->Commit());
  }
  std::vector<std::string> seen;
  ListQuery q;
  q.limit = 10;
  int pages = 0;
  do {
    auto page = Read()->users().List(realm_.id, q);
    ASSERT_STORE_OK(page);
    EXPECT_LE(page->items.size(), 10u);
    for (const auto& u : page->items) seen.push_back(u.username);
    q.cursor = page->next_cursor;
    ++pages;
  } while (!q.cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  for (size_t i = 1; i < seen.size(); ++i) {
    EXPECT_LT(seen[i - 1].substr(4), seen[i].substr(4)) << i;
  }
}

TEST_P(UserRepoTest, ExactlyFullPageHasNoNextCursor) {
  MakeUser(realm_.id, "a");
  MakeUser(realm_.id, "b");
  ListQuery q;
  q.limit = 2;
  auto page = Read()->users().List(realm_.id, q);
  ASSERT_STORE_OK(page);
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->next_cursor, "");
}

TEST_P(UserRepoTest, PrefixSearchMatchesUsernameEmailFirstOrLastNameCaseInsensitively) {
  auto tx = Write();
  core::User a = NewUserValue(realm_.id, "alice", "wonder@example.com");
  core::User b = NewUserValue(realm_.id, "bob", "bob@example.com");
  b.first_name = "Alfred";
  core::User c = NewUserValue(realm_.id, "carol", "carol@example.com");
  c.last_name = "ALvarez";
  core::User d = NewUserValue(realm_.id, "dave", "dave@example.com");
  core::User e = NewUserValue(realm_.id, "erin", "ALERT@example.com");
  // Matches in all four columns: listed once.
  core::User f = NewUserValue(realm_.id, "alma", "alma@example.com");
  f.first_name = "Alma";
  f.last_name = "Almeida";
  for (const auto& u : {a, b, c, d, e, f}) ASSERT_STORE_OK(tx->users().Create(u));
  ASSERT_STORE_OK(tx->Commit());
  ListQuery q;
  q.prefix = "Al";
  auto page = Read()->users().List(realm_.id, q);
  ASSERT_STORE_OK(page);
  std::vector<std::string> names;
  for (const auto& u : page->items) names.push_back(u.username);
  EXPECT_EQ(names, (std::vector<std::string>{"alice", "alma", "bob", "carol", "erin"}));
  EXPECT_EQ(page->items[1].first_name, "Alma");
  EXPECT_EQ(page->items[1].last_name, "Almeida");
  q.prefix = "wonder@";
  page = Read()->users().List(realm_.id, q);
  ASSERT_STORE_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].username, "alice");
  q.prefix = "zz";
  page = Read()->users().List(realm_.id, q);
  ASSERT_STORE_OK(page);
  EXPECT_TRUE(page->items.empty());
}

// On PostgreSQL the search changes plan_cache_mode for its own statement (SET LOCAL, then RESET):
// the transaction it ran in goes on and commits as before.
TEST_P(UserRepoTest, PrefixSearchLeavesItsTransactionUsable) {
  MakeUser(realm_.id, "sam");
  auto tx = Write();
  ListQuery q;
  q.prefix = "sa";
  auto page = tx->users().List(realm_.id, q);
  ASSERT_STORE_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  ASSERT_STORE_OK(tx->users().Create(NewUserValue(realm_.id, "sandy")));
  page = tx->users().List(realm_.id, q);
  ASSERT_STORE_OK(page);
  EXPECT_EQ(page->items.size(), 2u);
  ASSERT_STORE_OK(tx->Commit());
  page = Read()->users().List(realm_.id, q);
  ASSERT_STORE_OK(page);
  EXPECT_EQ(page->items.size(), 2u);
}

TEST_P(UserRepoTest, PrefixSearchPagesThroughMatchesOnly) {
  {
    auto tx = Write();
    for (int i = 0; i < 7; ++i) {
      ASSERT_STORE_OK(tx->users().Create(NewUserValue(realm_.id, "sam" + std::to_string(i))));
      ASSERT_STORE_OK(tx->users().Create(NewUserValue(realm_.id, "tom" + std::to_string(i))));
    }
    ASSERT_STORE_OK(tx->Commit());
  }
  ListQuery q;
  q.prefix = "SAM";
  q.limit = 3;
  std::set<std::string> seen;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = Read()->users().List(realm_.id, q);
    ASSERT_STORE_OK(page);
    for (const auto& u : page->items) seen.insert(u.username);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen.size(), 7u);
  for (const auto& s : seen) EXPECT_EQ(s.substr(0, 3), "sam");
}

TEST_P(UserRepoTest, RejectsCursorOfAnotherQueryMalformedCursorAndBadLimit) {
  for (int i = 0; i < 3; ++i) MakeUser(realm_.id, "u" + std::to_string(i));
  ListQuery q;
  q.limit = 1;
  auto page = Read()->users().List(realm_.id, q);
  ASSERT_STORE_OK(page);
  ASSERT_FALSE(page->next_cursor.empty());
  ListQuery other = q;
  other.cursor = page->next_cursor;
  other.prefix = "u";  // a different query
  EXPECT_STORE_ERROR(Read()->users().List(realm_.id, other), ErrorCode::kInvalid);
  core::Realm r2 = MakeRealm("other");
  ListQuery cross = q;
  cross.cursor = page->next_cursor;
  EXPECT_STORE_ERROR(Read()->users().List(r2.id, cross), ErrorCode::kInvalid);
  ListQuery junk;
  junk.cursor = "not a cursor!";
  EXPECT_STORE_ERROR(Read()->users().List(realm_.id, junk), ErrorCode::kInvalid);
  junk.cursor = "e30";  // base64url of "{}"
  EXPECT_STORE_ERROR(Read()->users().List(realm_.id, junk), ErrorCode::kInvalid);
  ListQuery zero;
  zero.limit = 0;
  EXPECT_STORE_ERROR(Read()->users().List(realm_.id, zero), ErrorCode::kInvalid);
  ListQuery huge;
  huge.limit = 1001;
  EXPECT_STORE_ERROR(Read()->users().List(realm_.id, huge), ErrorCode::kInvalid);
}

}  // namespace
}  // namespace idm::store::testing
