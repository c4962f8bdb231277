// RFC 6749 §3.2 Token Endpoint.
#include "idm/oauth/token_endpoint.h"

#include "idm/oauth/client_authentication.h"
#include "idm/oauth/service_error_mapping.h"
#include "idm/oauth/token_request_checks.h"
#include "idm/oauth/token_response.h"

namespace idm::oauth {
namespace {

std::string FormValue(const http::Params& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

// RFC 6749 §5.2 unsupported_grant_type.
Status CheckGrantSupported(const std::string& grant_type) {
  if (grant_type != kGrantClientCredentials) {
    return Error{ErrorCode::kUnsupportedGrantType, "grant type " + grant_type + " is not supported",
                 false};
  }
  return {};
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

Result<core::Client> TokenEndpoint::Authenticate(const core::Realm& realm,
                                                 const ClientCredentials& creds) const {
  bool basic = creds.method == ClientAuthMethod::kClientSecretBasic;
  Error invalid{ErrorCode::kInvalidClient, "client authentication failed", basic};
  if (creds.method == ClientAuthMethod::kNone) return invalid;
  core::ServiceResult<core::Client> client =
      deps_.clients.Authenticate(realm.name, creds.client_id, creds.client_secret);
  if (!client) {
    switch (client.error().code) {
      case core::ServiceErrorCode::kUnauthenticated:
      case core::ServiceErrorCode::kPermissionDenied:
      case core::ServiceErrorCode::kNotFound:
      case core::ServiceErrorCode::kInvalidArgument:
        return invalid;
      default:
        return FromServiceError(client.error(), "client authentication");
    }
  }
  IDM_TRY(CheckAuthMethodAllowed(creds, *client));
  return std::move(*client);
}

Result<TokenResponse> TokenEndpoint::Run(const http::WebRequest& request, const core::Realm& realm,
                                         std::string* grant_type) const {
  http::Params form = request.Form();
  IDM_TRY(CheckNoRepeatedParams(form));
  IDM_TRY(CheckGrantTypePresent(form));
  *grant_type = FormValue(form, "grant_type");
  IDM_ASSIGN_OR_RETURN(ClientCredentials creds, ExtractClientCredentials(request, form));
  IDM_ASSIGN_OR_RETURN(core::Client client, Authenticate(realm, creds));
  IDM_TRY(CheckGrantSupported(*grant_type));
  IDM_TRY(CheckGrantAllowed(client, *grant_type));
  core::UnixMillis now = request.received_at != 0 ? request.received_at : deps_.clock.NowMillis();
  return deps_.client_credentials.Exchange(realm, client, FormValue(form, "scope"), now);
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
