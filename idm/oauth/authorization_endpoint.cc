// The authorization endpoint, RFC 6749 §3.1 and §4.1.1, OIDC Core §3.1.2:
// GET|POST /realms/{realm}/protocol/openid-connect/auth. The request passes the ordered checks of
// authorization_request.h; errors before the client and redirect URI are established are shown
// on an error page and never redirected (RFC 6749 §4.1.2.1, §10.15), later ones go back to the
// client with error, error_description, state and iss (RFC 9207 §2). A valid request goes to
// authn::LoginService::Begin.
#include <utility>

#include "idm/oauth/issuer.h"
#include "idm/oauth/login_pages.h"
#include "idm/oauth/login_pages_support.h"
#include "idm/oauth/token_endpoint.h"

namespace idm::oauth {

std::optional<BrowserLogin::Call> BrowserLogin::MakeCall(const http::WebRequest& request,
                                                         http::WebResponse* error) const {
  const core::UnixMillis now =
      request.received_at != 0 ? request.received_at : deps_.clock.NowMillis();
  Call call(
      request, core::OpContext{"anonymous", request.remote_addr, request.request_id, now},
      authn::Browser{
          request.Cookie(http::HostPrefixedName(http::kSessionCookieName, secure_)).value_or(""),
          request.Cookie(http::HostPrefixedName(kFlowCookieName, secure_)).value_or("")});
  Result<core::Realm> realm = LoadEnabledRealm(deps_.realms, request.PathParam("realm"));
  if (!realm) {
    *error = realm.error().code == ErrorCode::kNotFound
                 ? ErrorPage(call, 404, "not_found", "")
                 : ErrorPage(call, 503, "temporarily_unavailable", "");
    return std::nullopt;
  }
  call.realm = std::move(*realm);
  call.issuer = IssuerOf(deps_.public_url, call.realm.name);
  return call;
}

http::WebResponse BrowserLogin::AuthorizationErrorPage(const Call& call,
                                                       const AuthorizationError& e) const {
  std::string key = "invalid_request";
  if (e.code == AuthzErrorCode::kInvalidClient) {
    key = "invalid_client";
  } else if (e.code == AuthzErrorCode::kUnauthorizedClient) {
    key = "unauthorized_client";
  } else if (e.description.find("redirect_uri") != std::string::npos) {
    key = "invalid_redirect_uri";
  }
  return ErrorPage(call, 400, key, e.description);
}

http::WebResponse BrowserLogin::HandleAuthorize(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<Call> call = MakeCall(request, &error);
  if (!call) return error;
  // OIDC Core §3.1.2.1: POST carries the parameters form-serialized (RFC 6749 Appendix B).
  const http::Params params = request.method == "POST" ? request.Form() : request.query;
  AuthzResult<std::string> client_id = ReadClientId(params);
  if (!client_id) return AuthorizationErrorPage(*call, client_id.error());
  core::ServiceResult<core::Client> client =
      deps_.clients.GetByClientId(call->realm.name, *client_id);
  if (!client) {
    if (client.error().code != core::ServiceErrorCode::kNotFound) {
      return ErrorPage(*call, 503, "temporarily_unavailable", "");
    }
    return AuthorizationErrorPage(*call, UnknownClientError());
  }
  if (!client->enabled) return AuthorizationErrorPage(*call, UnknownClientError());
  AuthzResult<AuthorizationRequest> parsed = ParseAuthorizationRequest(params, *client);
  if (!parsed) {
    if (!parsed.error().redirectable) return AuthorizationErrorPage(*call, parsed.error());
    return Deliver(*call, ErrorResponse(parsed.error(), call->issuer));
  }
  return Respond(
      *call,
      deps_.login.Begin(call->ctx, call->realm, *client, ToAuthRequest(*parsed), call->browser),
      /*from_authorize=*/true);
}

}  // namespace idm::oauth
