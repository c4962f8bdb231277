// core::ServiceError: the one error type of the domain services (idm/realm, idm/account,
// idm/rbac, ...). Endpoints map it once at their edge: the admin API to problem+json (RFC 9457),
// OAuth endpoints to RFC 6749 §5.2 codes, the CLI to a message and exit code. `detail` is safe to
// show to the caller; internal detail (SQL, store messages) goes to logs only.
#pragma once

#include <string>
#include <vector>

#include "idm/core/result.h"

namespace idm::core {

enum class ServiceErrorCode {
  kInvalidArgument,     // bad input; `field` names the offending field when there is one
  kNotFound,
  kAlreadyExists,       // a uniqueness rule (username, email, client_id, name)
  kPreconditionFailed,  // If-Match / version mismatch
  kFailedPrecondition,  // the state forbids it (e.g. a composite cycle, deleting the master realm)
  kPermissionDenied,
  kUnauthenticated,
  kUnavailable,         // the database is down; retry later
  kInternal,            // a bug or corrupt data; details are in the log
};

struct FieldViolation {
  std::string field;    // JSON pointer-ish name, e.g. "redirect_uris[2]"
  std::string message;
};

struct ServiceError {
  ServiceErrorCode code = ServiceErrorCode::kInternal;
  std::string detail;
  std::vector<FieldViolation> violations;
};

template <class T>
using ServiceResult = Result<T, ServiceError>;
using ServiceStatus = Result<void, ServiceError>;

inline ServiceError InvalidArgument(std::string detail, std::vector<FieldViolation> v = {}) {
  return {ServiceErrorCode::kInvalidArgument, std::move(detail), std::move(v)};
}
inline ServiceError NotFoundError(std::string detail) {
  return {ServiceErrorCode::kNotFound, std::move(detail), {}};
}
inline ServiceError AlreadyExists(std::string detail) {
  return {ServiceErrorCode::kAlreadyExists, std::move(detail), {}};
}

}  // namespace idm::core
