// store::Error: the one error type of the storage layer (CONVENTIONS.md §5). Services map it to
// their own errors; nothing above the services sees it.
#pragma once

#include <string>

#include "idm/core/result.h"

namespace idm::store {

enum class ErrorCode {
  kNotFound,         // no such row
  kConflict,         // a uniqueness or reference constraint refused the write
  kVersionMismatch,  // optimistic concurrency: the row's version is not the one the caller read
  kUnavailable,      // the database cannot be reached or is read-only / shutting down; retryable
  kCorrupt,          // the database file or a stored value is damaged; not retryable
  kInvalid,          // the caller passed something the store cannot represent (e.g. bad cursor)
};

struct Error {
  ErrorCode code = ErrorCode::kUnavailable;
  std::string message;  // for logs; may name tables and constraints, never values of secrets
};

const char* ErrorCodeName(ErrorCode code);

template <class T>
using Result = core::Result<T, Error>;
using Status = core::Result<void, Error>;

inline Error NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error Conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Error Unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m)}; }
inline Error Corrupt(std::string m) { return {ErrorCode::kCorrupt, std::move(m)}; }
inline Error Invalid(std::string m) { return {ErrorCode::kInvalid, std::move(m)}; }
inline Error VersionMismatch(std::string m) { return {ErrorCode::kVersionMismatch, std::move(m)}; }

}  // namespace idm::store
