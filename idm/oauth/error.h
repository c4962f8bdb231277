// oauth::Error: the one error type of the OAuth endpoints (CONVENTIONS.md §5), carrying the
// RFC 6749 §5.2 error code. Endpoints map it once to a WebResponse (token_response.h); the
// description is shown to the client and so never holds secrets or internal detail.
//
// Thread-safety: value types and pure functions.
#pragma once

#include <string>

#include "idm/core/result.h"

namespace idm::oauth {

// RFC 6749 §5.2 error codes (plus the RFC 6749 §4.1.2.1 server_error / temporarily_unavailable
// pair for failures of our own), and kNotFound for an unknown or disabled realm.
enum class ErrorCode {
  kInvalidRequest,
  kInvalidClient,
  kInvalidGrant,
  kUnauthorizedClient,
  kUnsupportedGrantType,
  kInvalidScope,
  kServerError,
  kTemporarilyUnavailable,
  kNotFound,
  kUnsupportedTokenType,  // RFC 7009 §2.2.1 (revocation endpoint)
};

struct Error {
  ErrorCode code = ErrorCode::kServerError;
  std::string description;            // error_description: safe to show, no secrets
  bool basic_auth_attempted = false;  // invalid_client via HTTP Basic -> 401 + WWW-Authenticate
};

template <class T>
using Result = core::Result<T, Error>;
using Status = core::Result<void, Error>;

// The RFC 6749 §5.2 spelling, e.g. "invalid_client".
const char* ErrorCodeName(ErrorCode code);

// The HTTP status of the error response (RFC 6749 §5.2: 400, or 401 for invalid_client; 404 for
// an unknown realm; 500/503 for our own failures).
int HttpStatus(ErrorCode code);

inline Error InvalidRequest(std::string d) {
  return {ErrorCode::kInvalidRequest, std::move(d), false};
}
inline Error InvalidScope(std::string d) { return {ErrorCode::kInvalidScope, std::move(d), false}; }
inline Error UnauthorizedClient(std::string d) {
  return {ErrorCode::kUnauthorizedClient, std::move(d), false};
}
inline Error ServerError(std::string d) { return {ErrorCode::kServerError, std::move(d), false}; }

}  // namespace idm::oauth
