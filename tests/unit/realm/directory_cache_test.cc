// realm::DirectoryCache (directory_cache.h) over a real SQLite store: when it serves a cached
// object and when a change makes it load again.
#include "idm/realm/directory_cache.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

using core::ServiceErrorCode;
using std::chrono::milliseconds;

class DirectoryCacheTest : public ServiceTest {
 protected:
  // A loader that counts its calls and returns the realm's current display name.
  realm::DirectoryCache<std::string>::Loader Loader() {
    return [this]() -> core::ServiceResult<std::string> {
      ++loads_;
      auto r = env_.realms_->Get("acme");
      if (!r) return r.error();
      return r->display_name;
    };
  }
  int loads_ = 0;
};

TEST_F(DirectoryCacheTest, RepeatedReadsAreServedWithoutLoadingAgain) {
  realm::DirectoryCache<std::string> cache(*env_.store_);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(cache.Get("acme", Loader()).ok());
  EXPECT_EQ(loads_, 1);
}

TEST_F(DirectoryCacheTest, ACommittedDirectoryChangeOfThisProcessIsSeenByTheNextRead) {
  realm::DirectoryCache<std::string> cache(*env_.store_, milliseconds(60'000));
  ASSERT_EQ(*cache.Get("acme", Loader()), "");
  core::Realm changes = acme_;
  changes.display_name = "ACME Corp";
  ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", changes, acme_.version).ok());
  EXPECT_EQ(*cache.Get("acme", Loader()), "ACME Corp");
  EXPECT_EQ(loads_, 2);
}

TEST_F(DirectoryCacheTest, ReadsRollbacksAndNonDirectoryWritesKeepTheEntry) {
  realm::DirectoryCache<std::string> cache(*env_.store_, milliseconds(60'000));
  ASSERT_TRUE(cache.Get("acme", Loader()).ok());
  const uint64_t before = env_.store_->DirectoryGeneration();
  {
    auto read = env_.store_->Begin(store::TxMode::kReadOnly);
    ASSERT_TRUE(read.ok());
    ASSERT_TRUE((*read)->realms().GetByName("acme").ok());
  }
  {
    auto rolled_back = env_.store_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(rolled_back.ok());
    core::Realm changed = acme_;
    changed.display_name = "never committed";
    ASSERT_TRUE((*rolled_back)->realms().Update(changed).ok());
  }  // destroyed without Commit: rolled back
  {
    auto audit_only = env_.store_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(audit_only.ok());
    core::AuditEvent e;
    e.id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    e.realm_id = acme_.id;
    e.type = "Something";
    e.details = "{}";
    ASSERT_TRUE((*audit_only)->audit().Append(e).ok());
    ASSERT_TRUE((*audit_only)->Commit().ok());
  }
  EXPECT_EQ(env_.store_->DirectoryGeneration(), before);
  ASSERT_TRUE(cache.Get("acme", Loader()).ok());
  EXPECT_EQ(loads_, 1);
}

TEST_F(DirectoryCacheTest, AnEntryOlderThanMaxAgeIsLoadedAgain) {
  // Stands for a change committed by another node, which this process's generation never sees.
  realm::DirectoryCache<std::string> cache(*env_.store_, milliseconds(20));
  ASSERT_TRUE(cache.Get("acme", Loader()).ok());
  ASSERT_TRUE(cache.Get("acme", Loader()).ok());
  EXPECT_EQ(loads_, 1);
  std::this_thread::sleep_for(milliseconds(30));
  ASSERT_TRUE(cache.Get("acme", Loader()).ok());
  EXPECT_EQ(loads_, 2);
}

TEST_F(DirectoryCacheTest, NotFoundIsCachedButOtherErrorsAreNot) {
  realm::DirectoryCache<std::string> cache(*env_.store_, milliseconds(60'000));
  int calls = 0;
  auto missing = [&]() -> core::ServiceResult<std::string> {
    ++calls;
    return core::ServiceError{ServiceErrorCode::kNotFound, "realm not found", {}};
  };
  EXPECT_EQ(cache.Get("ghost", missing).error().code, ServiceErrorCode::kNotFound);
  EXPECT_EQ(cache.Get("ghost", missing).error().code, ServiceErrorCode::kNotFound);
  EXPECT_EQ(calls, 1);
  auto down = [&]() -> core::ServiceResult<std::string> {
    ++calls;
    return core::ServiceError{ServiceErrorCode::kUnavailable, "database down", {}};
  };
  EXPECT_EQ(cache.Get("flaky", down).error().code, ServiceErrorCode::kUnavailable);
  EXPECT_EQ(cache.Get("flaky", down).error().code, ServiceErrorCode::kUnavailable);
  EXPECT_EQ(calls, 3);
}

TEST_F(DirectoryCacheTest, AFullCacheStartsOverInsteadOfGrowing) {
  realm::DirectoryCache<std::string> cache(*env_.store_, milliseconds(60'000), 2);
  ASSERT_TRUE(cache.Get("a", Loader()).ok());
  ASSERT_TRUE(cache.Get("b", Loader()).ok());
  ASSERT_TRUE(cache.Get("c", Loader()).ok());  // clears a and b
  ASSERT_TRUE(cache.Get("c", Loader()).ok());
  EXPECT_EQ(loads_, 3);
  ASSERT_TRUE(cache.Get("a", Loader()).ok());
  EXPECT_EQ(loads_, 4);
}

}  // namespace
}  // namespace idm::svctest
