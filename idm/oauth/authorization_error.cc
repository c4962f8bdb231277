// RFC 6749 §4.1.2.1 and OIDC Core §3.1.2.6 authorization error codes.
#include "idm/oauth/authorization_error.h"

namespace idm::oauth {

const char* AuthzErrorCodeName(AuthzErrorCode code) {
  switch (code) {
    case AuthzErrorCode::kInvalidRequest:
      return "invalid_request";
    case AuthzErrorCode::kUnauthorizedClient:
      return "unauthorized_client";
    case AuthzErrorCode::kAccessDenied:
      return "access_denied";
    case AuthzErrorCode::kUnsupportedResponseType:
      return "unsupported_response_type";
    case AuthzErrorCode::kInvalidScope:
      return "invalid_scope";
    case AuthzErrorCode::kServerError:
      return "server_error";
    case AuthzErrorCode::kTemporarilyUnavailable:
      return "temporarily_unavailable";
    case AuthzErrorCode::kInteractionRequired:
      return "interaction_required";
    case AuthzErrorCode::kLoginRequired:
      return "login_required";
    case AuthzErrorCode::kAccountSelectionRequired:
      return "account_selection_required";
    case AuthzErrorCode::kConsentRequired:
      return "consent_required";
    case AuthzErrorCode::kRequestNotSupported:
      return "request_not_supported";
    case AuthzErrorCode::kRequestUriNotSupported:
      return "request_uri_not_supported";
    case AuthzErrorCode::kInvalidClient:
      return "invalid_client";
    case AuthzErrorCode::kUnmetAuthenticationRequirements:
      return "unmet_authentication_requirements";
  }
  return "server_error";
}

AuthorizationError NonRedirectableError(AuthzErrorCode code, std::string description) {
  AuthorizationError e;
  e.code = code;
  e.description = std::move(description);
  e.redirectable = false;
  return e;
}

}  // namespace idm::oauth
