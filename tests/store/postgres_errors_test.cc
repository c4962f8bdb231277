// The PostgreSQL driver's error mapping and secret hygiene. These need no server: the
// unreachable-server cases connect to a closed port of 127.0.0.1.
#include "idm/store/sql/postgres_errors.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "idm/store/sql/drivers.h"

namespace idm::store::sql {
namespace {

struct SqlStateCase {
  const char* sqlstate;
  ErrorCode code;
  bool connection_lost;
  bool retryable;
};

TEST(PostgresErrors, MapsSqlStatesToStoreErrors) {
  const SqlStateCase cases[] = {
      {"23505", ErrorCode::kConflict, false, false},    // unique_violation
      {"23503", ErrorCode::kConflict, false, false},    // foreign_key_violation
      {"40001", ErrorCode::kConflict, false, true},     // serialization_failure
      {"40P01", ErrorCode::kConflict, false, true},     // deadlock_detected
      {"08006", ErrorCode::kUnavailable, true, false},  // connection_failure
      {"08001", ErrorCode::kUnavailable, true, false},  // unable to connect
      {"57P01", ErrorCode::kUnavailable, true, false},  // admin_shutdown
      {"57P02", ErrorCode::kUnavailable, true, false},  // crash_shutdown
      {"57P03", ErrorCode::kUnavailable, true, false},  // cannot_connect_now
      {"53300", ErrorCode::kUnavailable, true, false},  // too_many_connections
      {"25006", ErrorCode::kUnavailable, false, true},  // read_only_sql_transaction
      {"53100", ErrorCode::kUnavailable, false, true},  // disk_full
      {"57014", ErrorCode::kUnavailable, false, true},  // query_canceled
      {"XX001", ErrorCode::kCorrupt, false, false},     // data_corrupted
      {"XX002", ErrorCode::kCorrupt, false, false},     // index_corrupted
      {"42601", ErrorCode::kInvalid, false, false},     // syntax_error
      {"42P01", ErrorCode::kInvalid, false, false},     // undefined_table
      {"22P02", ErrorCode::kInvalid, false, false},     // invalid_text_representation
      {"23502", ErrorCode::kInvalid, false, false},     // not_null_violation
      {"XX000", ErrorCode::kInvalid, false, false},     // internal_error
      {"", ErrorCode::kUnavailable, true, false},       // libpq: connection lost, no SQLSTATE
  };
  for (const SqlStateCase& c : cases) {
    SqlStateClass got = ClassifySqlState(c.sqlstate);
    EXPECT_EQ(got.code, c.code) << c.sqlstate;
    EXPECT_EQ(got.connection_lost, c.connection_lost) << c.sqlstate;
    EXPECT_EQ(got.retryable, c.retryable) << c.sqlstate;
  }
}

TEST(PostgresErrors, FindsPasswordsInUrisAsWrittenAndDecoded) {
  std::vector<std::string> s = UrlSecrets("postgresql://idm:p%40ss%2Fw0rd@db.example:5432/idm");
  EXPECT_EQ(s, (std::vector<std::string>{"p%40ss%2Fw0rd", "p@ss/w0rd"}));
  s = UrlSecrets("postgres://idm@db/idm?sslmode=require&password=qu%20ery&x=1");
  EXPECT_EQ(s, (std::vector<std::string>{"qu%20ery", "qu ery"}));
  EXPECT_TRUE(UrlSecrets("postgresql://idm@db/idm").empty());
  EXPECT_TRUE(UrlSecrets("postgresql://db:5432/idm").empty());
}

TEST(PostgresErrors, FindsPasswordsInKeywordValueStrings) {
  EXPECT_EQ(UrlSecrets("host=db password=plain user=idm"), (std::vector<std::string>{"plain"}));
  EXPECT_EQ(UrlSecrets("host=db password = 'with space\\'s' user=idm"),
            (std::vector<std::string>{"with space's"}));
}

TEST(PostgresErrors, ScrubsEveryOccurrenceOfEverySecret) {
  EXPECT_EQ(ScrubSecrets("a hunter2 b hunter2 c p@ss", {"hunter2", "p@ss"}), "a *** b *** c ***");
  EXPECT_EQ(ScrubSecrets("unchanged", {}), "unchanged");
  EXPECT_EQ(ScrubSecrets("unchanged", {""}), "unchanged");
}

TEST(PostgresErrors, DescribesUrlWithoutItsPassword) {
  std::string d = DescribeUrl("postgresql://idm:topsecret@db.example:6543/idmdb");
  EXPECT_EQ(d, "db.example:6543/idmdb as idm");
  EXPECT_EQ(DescribeUrl("postgresql://u:pw@h/d?nonsense=1"), "an unparsable PostgreSQL URL");
}

TEST(PostgresDriverOpen, UnreachableServerIsUnavailableQuicklyAndHidesThePassword) {
  OpenOptions options;
  options.acquire_timeout_ms = 1000;
  auto start = std::chrono::steady_clock::now();
  auto driver = OpenPostgresDriver("postgresql://idm:Zq%21uniquePw@127.0.0.1:1/idm", options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(driver.ok());
  EXPECT_EQ(driver.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(elapsed, std::chrono::seconds(3));
  EXPECT_NE(driver.error().message.find("127.0.0.1:1/idm"), std::string::npos)
      << driver.error().message;
  EXPECT_EQ(driver.error().message.find("uniquePw"), std::string::npos) << driver.error().message;
}

TEST(PostgresDriverOpen, MalformedUrlIsInvalidAndHidesThePassword) {
  auto driver =
      OpenPostgresDriver("postgresql://idm:Zq%21uniquePw@127.0.0.1:1/idm?nosuchoption=Zq", {});
  ASSERT_FALSE(driver.ok());
  EXPECT_EQ(driver.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(driver.error().message.find("uniquePw"), std::string::npos) << driver.error().message;
}

TEST(PostgresDriverOpen, RejectsAnEmptyPool) {
  OpenOptions options;
  options.pool_size = 0;
  auto driver = OpenPostgresDriver("postgresql://idm@127.0.0.1:1/idm", options);
  ASSERT_FALSE(driver.ok());
  EXPECT_EQ(driver.error().code, ErrorCode::kInvalid);
}

}  // namespace
}  // namespace idm::store::sql
