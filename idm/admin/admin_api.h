// The admin REST API, /admin/api/v1 (schemas/openapi/admin-v1.json, docs/admin-api.md): realms,
// users, groups, roles, role mappings, clients and the audit trail, over the domain services.
//
// Every route is one entry of AdminRoutes(): method, path (OpenAPI form, relative to the API
// prefix), the access it needs (authorization.h) and its endpoint function. RegisterRoutes adds
// them all to the router, each wrapped so that the request is authenticated and authorized first,
// a core::OpContext is built for mutations, and a returned core::ServiceError becomes a problem
// response (problem.h). A unit test checks that AdminRoutes() and the OpenAPI document describe
// the same set of (method, path).
//
// Thread-safety: the route table is immutable; handlers are safe to run concurrently as long as
// the services in AdminDeps are (they are: each call runs in its own store transaction).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idm/account/user_service.h"
#include "idm/authn/consent_service.h"
#include "idm/authn/mfa_admin_service.h"
#include "idm/admin/authorization.h"
#include "idm/core/clock.h"
#include "idm/core/service_error.h"
#include "idm/http/router.h"
#include "idm/http/web.h"
#include "idm/mail/smtp_settings_service.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/rbac/group_service.h"
#include "idm/rbac/role_service.h"
#include "idm/realm/audit_service.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"
#include "idm/realm/registration_service.h"
#include "idm/store/store.h"

namespace idm::admin {

inline constexpr std::string_view kApiPrefix = "/admin/api/v1";

// What the admin API needs; owned by the composition root, all must outlive the router.
struct AdminDeps {
  realm::RealmService& realms;
  realm::ClientService& clients;
  realm::AuditService& audit;
  account::UserService& users;
  rbac::GroupService& groups;
  rbac::RoleService& roles;
  store::Store& store;  // effective-role resolution (rbac::EffectiveRoles) only
  const oauth::AccessTokenVerifier& verifier;
  const core::Clock& clock;  // "now" when a request carries no received_at
  // Consents and brute-force locks of users (user_security_endpoint.cc); the routes answer 503
  // when the composition root did not provide them.
  authn::ConsentService* consents = nullptr;
  authn::LockoutService* lockouts = nullptr;
  // Users' second factors (mfa_credentials_endpoint.cc); 503 while unset, as above.
  authn::MfaAdminService* mfa = nullptr;
  // Initial access tokens of dynamic registration; the routes answer 500 while it is unset.
  realm::RegistrationService* registrations = nullptr;
  // Realms' SMTP settings and test sends (smtp_endpoint.cc); 503 while unset.
  mail::SmtpSettingsService* smtp = nullptr;
};

// One authenticated request as an endpoint sees it.
struct Call {
  const http::WebRequest& request;
  core::OpContext op;  // actor, client ip, request id, now — for mutating service calls
  Caller caller;  // anonymous (empty) on Access::kPublic routes

  const std::string& Realm() const;  // the {realm} path parameter ("" when the route has none)
  std::string Param(const std::string& name) const { return request.PathParam(name); }
};

using Endpoint = core::ServiceResult<http::WebResponse> (*)(AdminDeps& deps, const Call& call);

struct Route {
  std::string_view method;
  std::string_view path;  // relative to kApiPrefix, e.g. "/realms/{realm}/users/{id}"
  Access access;
  Endpoint endpoint;
};

// Every admin route, in documentation order.
const std::vector<Route>& AdminRoutes();

// Adds every route of AdminRoutes() to `router` under kApiPrefix. `deps` must outlive the router.
void RegisterRoutes(http::Router& router, AdminDeps& deps);

// The embedded OpenAPI document (schemas/openapi/admin-v1.json).
std::string_view OpenApiDocument();

// Per-resource route lists, concatenated by AdminRoutes() (one resource per file).
std::vector<Route> RealmRoutes();
std::vector<Route> UserRoutes();
std::vector<Route> UserRoleRoutes();
std::vector<Route> GroupRoutes();
std::vector<Route> RoleRoutes();
std::vector<Route> ClientRoutes();
std::vector<Route> AuditRoutes();
std::vector<Route> UserSecurityRoutes();
std::vector<Route> InitialAccessTokenRoutes();
std::vector<Route> MfaCredentialRoutes();
std::vector<Route> SmtpRoutes();

}  // namespace idm::admin
