// Bearer authentication and admin authorization; see authorization.h.
#include "idm/admin/authorization.h"

#include <algorithm>

#include "idm/admin/problem.h"
#include "idm/core/ascii.h"

namespace idm::admin {
namespace {

// The credential of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110
// §11.1). nullopt when the header is absent or uses another scheme.
std::optional<std::string> BearerToken(const http::WebRequest& request) {
  std::optional<std::string> header = request.Header("Authorization");
  if (!header) return std::nullopt;
  constexpr std::string_view kScheme = "bearer ";
  if (header->size() <= kScheme.size()) return std::nullopt;
  if (!core::StartsWithIgnoreCase(*header, kScheme)) return std::nullopt;
  std::string token = header->substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  while (!token.empty() && token.back() == ' ') token.pop_back();
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace

bool Caller::MayAdminister(const std::string& name) const {
  return master_admin || (realm_admin && name == realm);
}

Caller CallerFromClaims(const oauth::AccessTokenClaims& claims) {
  Caller caller;
  caller.realm = claims.realm;
  const bool client_itself = claims.subject.empty() || claims.subject == claims.client_id;
  caller.actor = client_itself ? "client:" + claims.client_id : "user:" + claims.subject;
  caller.master_admin = claims.realm == "master" && claims.HasRealmRole(kAdminRole);
  caller.realm_admin = claims.HasRealmRole(kRealmAdminRole);
  return caller;
}

core::Result<Caller, http::WebResponse> Authenticate(const oauth::AccessTokenVerifier& verifier,
                                                     const http::WebRequest& request) {
  std::optional<std::string> token = BearerToken(request);
  if (!token) {
    const bool sent_something = request.Header("Authorization").has_value();
    return core::Err(Unauthorized(sent_something ? "The Authorization header is not a Bearer token."
                                                 : "A bearer access token is required.",
                                  sent_something, request.request_id));
  }
  auto claims = verifier.Verify(*token);
  if (!claims) {
    if (claims.error().code == oauth::TokenErrorCode::kUnavailable) {
      return core::Err(
          Problem(503, "The token could not be checked; retry later.", request.request_id));
    }
    return core::Err(
        Unauthorized("The access token is invalid or has expired.", true, request.request_id));
  }
  return CallerFromClaims(*claims);
}

core::ServiceStatus Authorize(const Caller& caller, Access access, const std::string& realm) {
  const core::ServiceError denied{core::ServiceErrorCode::kPermissionDenied,
                                  "The access token does not allow this operation.",
                                  {}};
  switch (access) {
    case Access::kPublic:
      return {};
    case Access::kMasterAdmin:
      if (caller.master_admin) return {};
      return denied;
    case Access::kAnyAdmin:
      if (caller.master_admin || caller.realm_admin) return {};
      return denied;
    case Access::kRealm:
      if (caller.MayAdminister(realm)) return {};
      return denied;
  }
  return denied;
}

core::OpContext ContextFor(const Caller& caller, const http::WebRequest& request) {
  return core::OpContext{caller.actor, request.remote_addr, request.request_id,
                         request.received_at};
}

}  // namespace idm::admin
