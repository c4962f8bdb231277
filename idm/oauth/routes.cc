#include "idm/oauth/routes.h"

#include "idm/oauth/claims.h"

namespace idm::oauth {
namespace {

core::metrics::CounterFamily* TokensIssued(core::metrics::Registry* registry) {
  if (registry == nullptr) return nullptr;
  return &registry->AddCounter("idm_tokens_issued_total", "Access tokens issued.",
                               {"realm", "grant"});
}

// What these endpoints add to discovery (OIDC Discovery §3).
// `o`: what the composition root serves besides (the authorization and end-session endpoints).
DiscoveryOptions ProviderDiscoveryOptions(DiscoveryOptions o) {
  o.userinfo_endpoint = true;
  o.claims_supported = StandardClaimNames();           // includes sub
  o.subject_types_supported = {"public", "pairwise"};  // OIDC Core §8
  o.registration_endpoint = true;  // per realm: not while client_registration is "disabled"
  return o;
}

}  // namespace

OAuthEndpoints::OAuthEndpoints(OAuthDeps deps)
    : minter_(deps.public_url, deps.keys, deps.random),
      client_credentials_(deps.store, deps.users, minter_, deps.random, deps.audit),
      discovery_(deps.public_url, deps.realms, ProviderDiscoveryOptions(deps.discovery)),
      jwks_(deps.realms, deps.keys),
      authenticator_(deps.public_url, deps.store, deps.clients),
      id_tokens_(deps.public_url, deps.keys),
      user_tokens_(deps.keys, minter_, id_tokens_, deps.random, deps.pairwise_secret),
      authorization_code_(deps.store, user_tokens_),
      refresh_token_(deps.store, user_tokens_),
      verifier_(VerifierOptions{deps.public_url}, deps.store, deps.keys, deps.clock),
      token_(TokenEndpointDeps{deps.realms, deps.clients, client_credentials_, deps.clock,
                               TokensIssued(deps.metrics), &authenticator_, &authorization_code_,
                               &refresh_token_}),
      userinfo_(deps.public_url, deps.store, deps.keys, deps.clock, deps.pairwise_secret),
      registrations_(deps.store, deps.clients, deps.random),
      registration_(deps.public_url, registrations_, deps.clock),
      introspection_(TokenInspectionDeps{deps.public_url, deps.realms, deps.store, authenticator_,
                                         verifier_, user_tokens_, deps.clock}),
      revocation_(TokenInspectionDeps{deps.public_url, deps.realms, deps.store, authenticator_,
                                      verifier_, user_tokens_, deps.clock}) {}

void RegisterRoutes(http::Router& router, OAuthEndpoints& endpoints) {
  auto discovery = [&endpoints](const http::WebRequest& r) {
    return endpoints.discovery().Handle(r);
  };
  router.Add("GET", "/realms/{realm}/.well-known/openid-configuration", discovery);
  router.Add("GET", "/.well-known/oauth-authorization-server/realms/{realm}", discovery);
  router.Add("GET", "/realms/{realm}/.well-known/oauth-authorization-server", discovery);
  router.Add("GET", "/realms/{realm}/protocol/openid-connect/certs",
             [&endpoints](const http::WebRequest& r) { return endpoints.jwks().Handle(r); });
  router.Add("POST", "/realms/{realm}/protocol/openid-connect/token",
             [&endpoints](const http::WebRequest& r) { return endpoints.token().Handle(r); });
  auto userinfo = [&endpoints](const http::WebRequest& r) {
    return endpoints.userinfo().Handle(r);
  };
  router.Add("GET", "/realms/{realm}/protocol/openid-connect/userinfo", userinfo);
  router.Add("POST", "/realms/{realm}/protocol/openid-connect/userinfo", userinfo);
  const RegistrationEndpoint& reg = endpoints.registration();
  router.Add("POST", "/realms/{realm}/clients-registrations",
             [&reg](const http::WebRequest& r) { return reg.Register(r); });
  router.Add("GET", "/realms/{realm}/clients-registrations/{client_id}",
             [&reg](const http::WebRequest& r) { return reg.Read(r); });
  router.Add("PUT", "/realms/{realm}/clients-registrations/{client_id}",
             [&reg](const http::WebRequest& r) { return reg.Update(r); });
  router.Add("DELETE", "/realms/{realm}/clients-registrations/{client_id}",
             [&reg](const http::WebRequest& r) { return reg.Delete(r); });
  router.Add(
      "POST", "/realms/{realm}/protocol/openid-connect/token/introspect",
      [&endpoints](const http::WebRequest& r) { return endpoints.introspection().Handle(r); });
  router.Add("POST", "/realms/{realm}/protocol/openid-connect/revoke",
             [&endpoints](const http::WebRequest& r) { return endpoints.revocation().Handle(r); });
}

}  // namespace idm::oauth
