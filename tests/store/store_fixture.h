// The storage contract suite's fixture: every test runs against each backend — "sqlite" always,
// "postgres" when IDM_TEST_PG_URL names an admin connection — each test on a fresh scratch
// database (tests/support/scratch_database.h).
//
// Thread-safety: one fixture per test, on the test's thread.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/random.h"
#include "idm/store/store.h"
#include "tests/support/scratch_database.h"

namespace idm::store::testing {

// A deterministic, seeded core::Random for ids in tests.
class TestRandom final : public core::Random {
 public:
  void Fill(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(gen_());
  }

 private:
  std::mt19937_64 gen_{std::random_device{}()};
};

// The database helpers are shared with the OAuth unit fixtures (tests/support).
using ::idm::testing::Backends;
using ::idm::testing::ScratchDatabase;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A committed realm / user / group / client / role with fresh ids.
  core::Realm MakeRealm(const std::string& name);
  core::User MakeUser(const std::string& realm_id, const std::string& username,
                      const std::string& email = "");
  core::Group MakeGroup(const std::string& realm_id, const std::string& name,
                        const std::optional<std::string>& parent = std::nullopt);
  core::Client MakeClient(const std::string& realm_id, const std::string& client_id);
  core::Role MakeRole(const std::string& realm_id, const std::string& name,
                      const std::optional<std::string>& client_id = std::nullopt);

  // Values with fresh ids, not stored.
  core::User NewUserValue(const std::string& realm_id, const std::string& username,
                          const std::string& email = "");
  std::string NewId() { return core::NewUuid(random_); }

  std::unique_ptr<Transaction> Write();
  std::unique_ptr<Transaction> Read();

  std::unique_ptr<ScratchDatabase> db_;
  std::unique_ptr<Store> store_;
  TestRandom random_;
};

// Test name suffix: the backend.
inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

#define IDM_STORE_SUITE(Suite)                                                              \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                 \
                           ::testing::ValuesIn(::idm::store::testing::Backends()),          \
                           ::idm::store::testing::BackendName)

// Asserts a Result is ok, printing the store error otherwise.
#define ASSERT_STORE_OK(expr)                                                           \
  do {                                                                                  \
    const auto& idm_r_ = (expr);                                                        \
    ASSERT_TRUE(idm_r_.ok()) << ::idm::store::ErrorCodeName(idm_r_.error().code) << ": " \
                             << idm_r_.error().message;                                 \
  } while (0)

// Expects a Result to fail with the given store::ErrorCode.
#define EXPECT_STORE_ERROR(expr, expected_code)                                           \
  do {                                                                                    \
    const auto& idm_r_ = (expr);                                                          \
    ASSERT_FALSE(idm_r_.ok()) << "expected " << ::idm::store::ErrorCodeName(expected_code); \
    EXPECT_EQ(idm_r_.error().code, expected_code)                                         \
        << ::idm::store::ErrorCodeName(idm_r_.error().code) << ": " << idm_r_.error().message; \
  } while (0)

}  // namespace idm::store::testing
