// Scratch databases for tests that run on every storage backend: "sqlite" always (a fresh file in
// a temporary folder), "postgres" when IDM_TEST_PG_URL names an admin connection (then each
// scratch database is a fresh database idm_t_<random>, created and dropped through libpq here;
// tests may use libpq directly, idm/ code may not). Shared by the storage contract suite
// (tests/store) and the OAuth unit fixtures (tests/unit/oauth), linked as idm_test_support.
//
// Thread-safety: one ScratchDatabase per test, on the test's thread.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace idm::testing {

// IDM_TEST_PG_URL (the PostgreSQL admin connection of this run), or "" when it is not set.
std::string PostgresAdminUrl();

// The backends this run covers: {"sqlite"} plus "postgres" when IDM_TEST_PG_URL is set.
std::vector<std::string> Backends();

// Every backend, {"sqlite", "postgres"}, for suites that list the PostgreSQL case even when it
// cannot run (their fixture calls GTEST_SKIP when !BackendAvailable(backend)).
std::vector<std::string> AllBackends();
bool BackendAvailable(const std::string& backend);

// A scratch database for one test: a SQLite file or a PostgreSQL database, removed afterwards.
class ScratchDatabase {
 public:
  // On failure (PostgreSQL unreachable, CREATE DATABASE refused) url() is "" and error() says why.
  explicit ScratchDatabase(const std::string& backend);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& error() const { return error_; }  // non-empty if setting up failed

 private:
  std::string backend_;
  std::string url_;
  std::string dir_;      // sqlite
  std::string db_name_;  // postgres
  std::string error_;
};

// Test name suffix for a backend parameter: "Sqlite" / "Postgres".
std::string BackendTestName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace idm::testing
