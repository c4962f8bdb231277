// Repositories of migration 0006: email one-time codes and per-realm SMTP settings (value types
// in idm/core/email_model.h). Part of store::Transaction (store.h): `tx->email_codes()`,
// `tx->smtp_settings()`. Both are deleted with their realm (and codes with their user).
//
// Error contract as in store.h: every method may also fail with kUnavailable or kCorrupt.
// Issue and Use are one statement each: PostgreSQL makes a concurrent second write of the same row
// wait for the first and re-check its condition, SQLite's single writer serialises them, so of
// any number of concurrent calls on any nodes at most one issues a code per interval and exactly
// one uses a code (docs/design/019-email-codes-and-smtp.md).
//
// Thread-safety: a repository belongs to its transaction's thread.
#pragma once

#include <cstdint>
#include <string>

#include "idm/core/email_model.h"
#include "idm/store/error.h"

namespace idm::store {

class EmailCodeRepo {
 public:
  virtual ~EmailCodeRepo() = default;
  // Stores `code` as the user's one code for code.purpose, replacing an earlier one, unless the
  // earlier one was created after `not_before` (resend throttle): then nothing changes and the
  // result is false. kConflict if the realm or user is absent.
  virtual Result<bool> Issue(const core::EmailCode& code, core::UnixMillis not_before) = 0;
  // The user's code for `purpose` (used, expired or dead ones included). kNotFound if none.
  virtual Result<core::EmailCode> Get(const std::string& realm_id, const std::string& user_id,
                                      const std::string& purpose) = 0;
  // Marks the user's code for `purpose` used at `now` when its hash is `code_hash`, it is unused,
  // not expired (expires_at > now) and has had fewer than `max_attempts` wrong tries. True when
  // this call used it. Otherwise counts one wrong try on the user's unused code (if any) and
  // returns false: wrong, replayed, expired, dead and absent codes look the same to the caller.
  virtual Result<bool> Use(const std::string& realm_id, const std::string& user_id,
                           const std::string& purpose, const std::string& code_hash,
                           core::UnixMillis now, int64_t max_attempts) = 0;
  // Deletes the user's code for `purpose` (a mail that could not be sent). Absent is fine.
  virtual Status Delete(const std::string& realm_id, const std::string& user_id,
                        const std::string& purpose) = 0;
  // Deletes every code of the user; returns how many.
  virtual Result<int64_t> DeleteByUser(const std::string& realm_id,
                                       const std::string& user_id) = 0;
};

class SmtpSettingsRepo {
 public:
  virtual ~SmtpSettingsRepo() = default;
  // kNotFound when the realm has no SMTP settings.
  virtual Result<core::SmtpConfig> Get(const std::string& realm_id) = 0;
  // Inserts or replaces the realm's settings. kConflict if the realm is absent.
  virtual Status Put(const core::SmtpConfig& config) = 0;
  // kNotFound when there were none.
  virtual Status Delete(const std::string& realm_id) = 0;
};

}  // namespace idm::store
