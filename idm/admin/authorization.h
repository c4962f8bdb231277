// Who may call the admin API (brief: delegated administration, ARCHITECTURE.md "RBAC").
//
// A caller presents `Authorization: Bearer <JWT access token>` (RFC 6750 §2.1), verified by
// oauth::AccessTokenVerifier. The verified claims grant:
//  - realm `master` + realm role `admin`: every route;
//  - realm R + realm role `realm-admin`: the routes of realm R only, never creating or deleting a
//    realm (so a realm administrator cannot escape its realm);
//  - anything else: 403.
// No token, a malformed header or an invalid token is 401 with WWW-Authenticate (RFC 6750 §3);
// a store outage while verifying is 503.
//
// Thread-safety: free functions over values; the verifier is safe to share.
#pragma once

#include <optional>
#include <string>

#include "idm/core/op_context.h"
#include "idm/core/service_error.h"
#include "idm/http/web.h"
#include "idm/oauth/access_token_claims.h"
#include "idm/oauth/access_token_verifier.h"

namespace idm::admin {

inline constexpr char kAdminRole[] = "admin";             // in realm master: everything
inline constexpr char kRealmAdminRole[] = "realm-admin";  // in realm R: realm R only

// What a route needs of its caller.
enum class Access {
  kPublic,       // no token needed (the OpenAPI document: it holds no data)
  kAnyAdmin,     // any admin; the handler narrows results to what the caller may see (list realms)
  kRealm,        // an admin of the route's {realm}
  kMasterAdmin,  // master `admin` only (create / delete realms)
};

// The authenticated caller of one request.
struct Caller {
  std::string realm;          // realm that issued the token
  std::string actor;          // "user:<sub>" or "client:<client_id>", for audit events
  bool master_admin = false;  // master + admin
  bool realm_admin = false;   // realm + realm-admin

  // Whether the caller may act on realm `name`.
  bool MayAdminister(const std::string& name) const;
};

// The caller described by verified claims. A token of a client acting for itself (sub empty or
// equal to its client_id, RFC 9068 §2.2) is "client:<client_id>", any other "user:<sub>".
Caller CallerFromClaims(const oauth::AccessTokenClaims& claims);

// Verifies the bearer token of `request`. Returns the caller, or the 401/503 problem response.
core::Result<Caller, http::WebResponse> Authenticate(const oauth::AccessTokenVerifier& verifier,
                                                     const http::WebRequest& request);

// OK when `caller` may use a route with `access` on realm `realm` ("" for routes without one);
// else kPermissionDenied.
core::ServiceStatus Authorize(const Caller& caller, Access access, const std::string& realm);

// The OpContext of a request made by `caller` (actor, client ip, request id, now).
core::OpContext ContextFor(const Caller& caller, const http::WebRequest& request);

}  // namespace idm::admin
