// PostgreSQL for integration tests: a fresh database per test on the cluster named by
// IDM_TEST_PG_URL (started by scripts/run-tests.sh), and a private cluster through
// tests/scripts/pg.sh for tests that stop and restart the server.
//
// Thread-safety: one test thread.
#pragma once

#include <optional>
#include <string>

namespace idm::testing {

// A new empty database on IDM_TEST_PG_URL's server; its URL, or nullopt when IDM_TEST_PG_URL is
// unset or the database cannot be created.
std::optional<std::string> CreateTestDatabase();
// Drops a database made by CreateTestDatabase (best effort).
void DropTestDatabase(const std::string& url);

// tests/scripts/pg.sh COMMAND DIR; returns its trimmed stdout, nullopt when it failed or is absent.
std::optional<std::string> PgScript(const std::string& command, const std::string& dir);

}  // namespace idm::testing
