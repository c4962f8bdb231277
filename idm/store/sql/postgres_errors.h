// How the PostgreSQL driver turns libpq failures into store::Error values, and how it keeps the
// password of a connection URL out of every message. docs/design/004-postgresql.md has the table.
//
// Pure functions over values: thread-safe, no I/O, no failures of their own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idm/store/error.h"

namespace idm::store::sql {

// What a SQLSTATE (PostgreSQL manual, Appendix A) means to idm.
struct SqlStateClass {
  ErrorCode code = ErrorCode::kInvalid;
  // True when the connection must not be used again (it is closed and replaced lazily).
  bool connection_lost = false;
  // True for failures a retry of the whole transaction can cure (serialisation, deadlock).
  bool retryable = false;
};

// Maps a five-character SQLSTATE:
//   23505 unique_violation, 23503 foreign_key_violation            -> kConflict
//   40001 serialization_failure, 40P01 deadlock_detected            -> kConflict, retryable
//   class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown,
//   57P03 cannot_connect_now, 53300 too_many_connections            -> kUnavailable, connection
//   lost 25006 read_only_sql_transaction, class 53 (insufficient resources), 57014 query_canceled
//                                                                   -> kUnavailable
//   XX001 data_corrupted, XX002 index_corrupted                     -> kCorrupt
//   anything else (syntax errors, type errors, ...: a bug in idm)   -> kInvalid
// An empty SQLSTATE (libpq reports a lost connection without one) is kUnavailable, connection lost.
SqlStateClass ClassifySqlState(std::string_view sqlstate);

// The password of a libpq URL (postgresql://user:PASS@host/db?password=PASS) or keyword/value
// string (password=PASS), in every form a message could quote it: as written and percent-decoded.
// Empty when the URL carries no password.
std::vector<std::string> UrlSecrets(std::string_view url);

// `message` with every occurrence of each secret replaced by "***".
std::string ScrubSecrets(std::string message, const std::vector<std::string>& secrets);

// A description of the server a URL names ("host:port/dbname as user"), never the password; for
// messages. An unparsable URL describes itself as "an unparsable PostgreSQL URL".
std::string DescribeUrl(const std::string& url);

}  // namespace idm::store::sql
