#include "idm/oauth/error.h"

namespace idm::oauth {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidRequest:
      return "invalid_request";
    case ErrorCode::kInvalidClient:
      return "invalid_client";
    case ErrorCode::kInvalidGrant:
      return "invalid_grant";
    case ErrorCode::kUnauthorizedClient:
      return "unauthorized_client";
    case ErrorCode::kUnsupportedGrantType:
      return "unsupported_grant_type";
    case ErrorCode::kInvalidScope:
      return "invalid_scope";
    case ErrorCode::kServerError:
      return "server_error";
    case ErrorCode::kTemporarilyUnavailable:
      return "temporarily_unavailable";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kUnsupportedTokenType:
      return "unsupported_token_type";
  }
  return "server_error";
}

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidClient:
      return 401;  // RFC 6749 §5.2
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kServerError:
      return 500;
    case ErrorCode::kTemporarilyUnavailable:
      return 503;
    default:
      return 400;  // RFC 6749 §5.2
  }
}

}  // namespace idm::oauth
