// RFC 6749 §3.2 Token Endpoint.
#include "idm/oauth/token_endpoint.h"

#include "idm/oauth/client_authentication.h"
#include "idm/oauth/service_error_mapping.h"
#include "idm/oauth/token_request_checks.h"
#include "idm/oauth/token_response.h"
#include "idm/oauth/user_token_issuer.h"

namespace idm::oauth {
namespace {

// Grants a public client may use (RFC 6749 §2.1, §4.1; RFC 9700 §2.1.1 with PKCE): the ones that
// act for a user. client_credentials is for confidential clients only (§4.4).
bool PublicClientGrant(const std::string& grant_type) {
  return grant_type == kGrantAuthorizationCode || grant_type == kGrantRefreshToken;
}

}  // namespace

Result<core::Realm> LoadEnabledRealm(realm::RealmService& realms, const std::string& name) {
  core::ServiceResult<core::Realm> realm = realms.Get(name);
  if (!realm) {
    if (realm.error().code == core::ServiceErrorCode::kNotFound ||
        realm.error().code == core::ServiceErrorCode::kInvalidArgument) {
      return Error{ErrorCode::kNotFound, "realm not found", false};
    }
    return FromServiceError(realm.error(), "realm lookup");
  }
  if (!realm->enabled) return Error{ErrorCode::kNotFound, "realm not found", false};
  return std::move(*realm);
}

bool TokenEndpoint::Supported(const std::string& grant_type) const {
  if (grant_type == kGrantClientCredentials) return true;
  if (grant_type == kGrantAuthorizationCode) return deps_.authorization_code != nullptr;
  if (grant_type == kGrantRefreshToken) return deps_.refresh_token != nullptr;
  return false;
}

Result<TokenResponse> TokenEndpoint::RunGrant(const std::string& grant_type,
                                              const http::Params& form, const core::Realm& realm,
                                              const core::Client& client,
                                              const core::OpContext& ctx) const {
  if (grant_type == kGrantAuthorizationCode) {
    AuthorizationCodeParams params{FormValue(form, "code"), FormValue(form, "redirect_uri"),
                                   FormValue(form, "code_verifier")};
    return deps_.authorization_code->Exchange(realm, client, params, ctx);
  }
  if (grant_type == kGrantRefreshToken) {
    return deps_.refresh_token->Exchange(realm, client, FormValue(form, "refresh_token"),
                                         FormValue(form, "scope"), ctx);
  }
  return deps_.client_credentials.Exchange(realm, client, FormValue(form, "scope"), ctx);
}

Result<TokenResponse> TokenEndpoint::Run(const http::WebRequest& request, const core::Realm& realm,
                                         std::string* grant_type) const {
  http::Params form = request.Form();
  IDM_TRY(CheckNoRepeatedParams(form));
  IDM_TRY(CheckGrantTypePresent(form));
  *grant_type = FormValue(form, "grant_type");
  core::UnixMillis now = request.received_at != 0 ? request.received_at : deps_.clock.NowMillis();
  if (deps_.authenticator == nullptr) return ServerError("client authentication is not configured");
  IDM_ASSIGN_OR_RETURN(
      AuthenticatedClient auth,
      deps_.authenticator->Authenticate(realm, request, form, now, PublicClientGrant(*grant_type)));
  // RFC 6749 §5.2 unsupported_grant_type.
  if (!Supported(*grant_type)) {
    return Error{ErrorCode::kUnsupportedGrantType,
                 "grant type " + *grant_type + " is not supported", false};
  }
  IDM_TRY(CheckGrantAllowed(auth.client, *grant_type));
  core::OpContext ctx{"client:" + auth.client.client_id, request.remote_addr, request.request_id,
                      now};
  return RunGrant(*grant_type, form, realm, auth.client, ctx);
}

http::WebResponse TokenEndpoint::Handle(const http::WebRequest& request) const {
  std::string realm_name = request.PathParam("realm");
  if (auto s = CheckPost(request); !s) {
    http::WebResponse r = TokenError(s.error(), realm_name);
    r.status = 405;  // RFC 9110 §15.5.6
    r.SetHeader("Allow", "POST");
    return r;
  }
  if (auto s = CheckFormContentType(request); !s) return TokenError(s.error(), realm_name);
  Result<core::Realm> realm = LoadEnabledRealm(deps_.realms, realm_name);
  if (!realm) return TokenError(realm.error(), realm_name);
  std::string grant_type;
  Result<TokenResponse> token = Run(request, *realm, &grant_type);
  if (!token) return TokenError(token.error(), realm_name);
  if (deps_.tokens_issued != nullptr) {
    deps_.tokens_issued->WithLabels({realm->name, grant_type}).Inc();
  }
  return TokenSuccess(*token);
}

}  // namespace idm::oauth
