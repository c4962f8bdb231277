// RFC 6749 §4.1.1 / OIDC Core §3.1.2.1-§3.1.2.2: the authorization request, checked in order.
#include "idm/oauth/authorization_request.h"

#include <algorithm>

#include "idm/oauth/authorization_request_checks.h"
#include "idm/oauth/redirect_uri.h"
#include "idm/oauth/scope.h"

namespace idm::oauth {
namespace {

using VoidResult = core::Result<void, AuthorizationError>;

AuthorizationError Fatal(std::string description) {
  return NonRedirectableError(AuthzErrorCode::kInvalidRequest, std::move(description));
}

size_t CountOf(const http::Params& params, const std::string& name) { return params.count(name); }

// Peeks at the scope only to decide whether redirect_uri is required (OIDC Core §3.1.2.1); the
// scope itself is checked later, once errors can be redirected.
bool LooksLikeOpenId(const http::Params& params) {
  std::optional<std::string> scope = Param(params, "scope");
  if (!scope) return false;
  Result<std::vector<std::string>> tokens = ParseScope(*scope);
  return tokens && std::find(tokens->begin(), tokens->end(), "openid") != tokens->end();
}

// RFC 6749 §3.1.2.3 and §4.1.2.1: the redirect URI is established (or the request fails without
// redirecting). It may be omitted only by a plain OAuth request of a client with exactly one
// registered URI; OIDC requires it.
VoidResult ResolveRedirectUri(const http::Params& params, const core::Client& client,
                              AuthorizationRequest* out) {
  if (CountOf(params, "redirect_uri") > 1) return Fatal("redirect_uri is repeated");
  std::optional<std::string> requested = Param(params, "redirect_uri");
  if (!requested) {
    if (LooksLikeOpenId(params)) return Fatal("redirect_uri is required");
    if (client.redirect_uris.size() != 1) return Fatal("redirect_uri is required");
    out->registered_redirect_uri = out->redirect_uri = client.redirect_uris.front();
    return {};
  }
  std::optional<std::string> match = FindRegisteredRedirectUri(client.redirect_uris, *requested);
  if (!match) return Fatal("redirect_uri is not registered for this client");
  out->registered_redirect_uri = *match;
  out->redirect_uri = *requested;
  out->redirect_uri_in_request = true;
  return {};
}

// Everything before the redirect URI is known: failures here are shown, never redirected.
VoidResult CheckClientAndRedirect(const http::Params& params, const core::Client& client,
                                  AuthorizationRequest* out) {
  AuthzResult<std::string> client_id = ReadClientId(params);
  if (!client_id) return client_id.error();
  if (*client_id != client.client_id || !client.enabled) return UnknownClientError();
  out->client_id = *client_id;
  return ResolveRedirectUri(params, client, out);
}

// The OIDC Core §6 request objects are not supported.
VoidResult CheckNoRequestObject(const http::Params& params) {
  if (params.count("request") > 0) {
    return NonRedirectableError(AuthzErrorCode::kRequestNotSupported,
                                "the request parameter is not supported");
  }
  if (params.count("request_uri") > 0) {
    return NonRedirectableError(AuthzErrorCode::kRequestUriNotSupported,
                                "the request_uri parameter is not supported");
  }
  return {};
}

VoidResult CheckProtocolParams(const http::Params& params, const core::Client& client,
                               bool pkce_required, AuthorizationRequest* out) {
  IDM_TRY(CheckNoRequestObject(params));
  if (std::optional<std::string> name = RepeatedParam(params)) {
    return NonRedirectableError(AuthzErrorCode::kInvalidRequest, *name + " is repeated");
  }
  IDM_TRY(CheckResponseType(Param(params, "response_type"), client));
  IDM_ASSIGN_OR_RETURN(out->scope, CheckScope(Param(params, "scope"), client));
  out->openid = std::find(out->scope.begin(), out->scope.end(), "openid") != out->scope.end();
  IDM_ASSIGN_OR_RETURN(out->prompt, ParsePrompt(Param(params, "prompt")));
  IDM_ASSIGN_OR_RETURN(out->max_age, ParseMaxAge(Param(params, "max_age")));
  IDM_ASSIGN_OR_RETURN(out->ui_locales, ParseSpaceList(Param(params, "ui_locales"), "ui_locales"));
  IDM_ASSIGN_OR_RETURN(out->acr_values, ParseSpaceList(Param(params, "acr_values"), "acr_values"));
  IDM_ASSIGN_OR_RETURN(out->essential_acr, ParseEssentialAcr(Param(params, "claims")));
  std::optional<std::string> challenge = Param(params, "code_challenge");
  std::optional<std::string> method = Param(params, "code_challenge_method");
  IDM_TRY(CheckPkceParams(challenge, method, pkce_required));
  out->code_challenge = challenge.value_or("");
  out->code_challenge_method = challenge ? *method : "";
  out->nonce = Param(params, "nonce").value_or("");
  out->login_hint = Param(params, "login_hint").value_or("");
  out->id_token_hint = Param(params, "id_token_hint").value_or("");
  return {};
}

}  // namespace

AuthzResult<std::string> ReadClientId(const http::Params& params) {
  if (params.count("client_id") > 1) return Fatal("client_id is repeated");
  std::optional<std::string> client_id = Param(params, "client_id");
  if (!client_id) return Fatal("client_id is required");
  return *client_id;
}

AuthorizationError UnknownClientError() {
  return NonRedirectableError(AuthzErrorCode::kInvalidClient, "unknown client");
}

AuthzResult<AuthorizationRequest> ParseAuthorizationRequest(const http::Params& params,
                                                            const core::Client& client,
                                                            bool require_pkce) {
  AuthorizationRequest out;
  IDM_TRY(CheckClientAndRedirect(params, client, &out));
  // From here on errors go back to the client (RFC 6749 §4.1.2.1), so first learn how: the
  // response mode (query when it is itself invalid) and the state (left out when repeated).
  AuthzResult<ResponseMode> mode = ParseResponseMode(Param(params, "response_mode"));
  out.response_mode = mode ? *mode : ResponseMode::kQuery;
  if (params.count("state") == 1) out.state = Param(params, "state").value_or("");
  auto redirect = [&out](AuthorizationError e) {
    e.redirectable = true;
    e.redirect_uri = out.redirect_uri;
    e.response_mode = out.response_mode;
    e.state = out.state;
    return e;
  };
  if (!mode) return redirect(mode.error());
  bool pkce_required = client.type == core::ClientType::kPublic || require_pkce;
  VoidResult checked = CheckProtocolParams(params, client, pkce_required, &out);
  if (!checked) return redirect(checked.error());
  return out;
}

AuthzResult<AuthorizationRequest> ParseAuthorizationRequest(const http::Params& params,
                                                            const core::Client& client) {
  return ParseAuthorizationRequest(params, client, client.require_pkce);
}

}  // namespace idm::oauth
