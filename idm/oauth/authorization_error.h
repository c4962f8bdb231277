// AuthorizationError: the error of an authorization-endpoint request (RFC 6749 §4.1.2.1 codes,
// OIDC Core §3.1.2.6 additions), and whether it may be sent back to the client's redirect URI.
//
// It is separate from oauth::Error (the token endpoint's RFC 6749 §5.2 codes) because it carries
// what the token endpoint never has: the redirect target. An error is redirectable only once the
// client and the redirect URI are both established; a missing, unknown or disabled client_id and
// a missing, repeated or unregistered redirect_uri are shown to the user and NEVER redirected
// (RFC 6749 §4.1.2.1 and §10.15, open redirector).
//
// Thread-safety: value types and pure functions.
#pragma once

#include <string>

#include "idm/core/result.h"

namespace idm::oauth {

enum class AuthzErrorCode {
  kInvalidRequest,            // RFC 6749 §4.1.2.1
  kUnauthorizedClient,        // RFC 6749 §4.1.2.1
  kAccessDenied,              // RFC 6749 §4.1.2.1
  kUnsupportedResponseType,   // RFC 6749 §4.1.2.1
  kInvalidScope,              // RFC 6749 §4.1.2.1
  kServerError,               // RFC 6749 §4.1.2.1
  kTemporarilyUnavailable,    // RFC 6749 §4.1.2.1
  kInteractionRequired,       // OIDC Core §3.1.2.6
  kLoginRequired,             // OIDC Core §3.1.2.6
  kAccountSelectionRequired,  // OIDC Core §3.1.2.6
  kConsentRequired,           // OIDC Core §3.1.2.6
  kRequestNotSupported,       // OIDC Core §3.1.2.6 (the `request` parameter, §6.1)
  kRequestUriNotSupported,    // OIDC Core §3.1.2.6 (the `request_uri` parameter, §6.2)
  kInvalidClient,             // not an RFC 6749 §4.1.2.1 code: unknown client, never redirected
  // "OpenID Connect Core Error Code unmet_authentication_requirements 1.0" §2: the OP cannot
  // authenticate the user as the request or the client's policy requires (docs/design/020).
  kUnmetAuthenticationRequirements,
};

enum class ResponseMode { kQuery, kFormPost };

struct AuthorizationError {
  AuthzErrorCode code = AuthzErrorCode::kServerError;
  std::string description;  // error_description; safe to show, no secrets
  // False: render an error page for the user; the values below are then empty.
  bool redirectable = false;
  std::string redirect_uri;  // the (validated) URI to send the error to
  ResponseMode response_mode = ResponseMode::kQuery;
  std::string state;  // echoed as received (RFC 6749 §4.1.2.1), "" when none
};

template <class T>
using AuthzResult = core::Result<T, AuthorizationError>;

// The RFC 6749 / OIDC spelling, e.g. "unsupported_response_type".
const char* AuthzErrorCodeName(AuthzErrorCode code);

// An error shown to the user, never redirected.
AuthorizationError NonRedirectableError(AuthzErrorCode code, std::string description);

}  // namespace idm::oauth
