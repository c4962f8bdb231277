// OpenID Connect Discovery 1.0 §4 / RFC 8414 §3 authorization server metadata.
#include "idm/oauth/discovery_endpoint.h"

#include <algorithm>

#include "idm/oauth/issuer.h"
#include "idm/oauth/pkce.h"
#include "idm/oauth/token_endpoint.h"
#include "idm/oauth/token_response.h"

namespace idm::oauth {
namespace {

constexpr const char* kDiscoveryCacheControl = "public, max-age=300";

core::Json SigningAlgs(const core::Realm& realm, const DiscoveryOptions& options) {
  std::vector<std::string> algs = {realm.settings.default_signing_alg};
  if (realm.settings.default_signing_alg != "RS256") algs.push_back("RS256");
  for (const std::string& alg : options.extra_id_token_signing_algs) {
    if (std::find(algs.begin(), algs.end(), alg) == algs.end()) algs.push_back(alg);
  }
  return algs;
}

// RFC 8414 §2, RFC 9207 §3, OIDC Discovery §3: what the authorization endpoint accepts, from the
// same constants its checks use.
void AddAuthorizationEndpoint(const std::string& issuer, core::Json* doc) {
  (*doc)["authorization_endpoint"] = issuer + std::string(kAuthorizationPath);
  (*doc)["response_types_supported"] = core::Json::array({"code"});
  (*doc)["response_modes_supported"] = core::Json::array({"query", "form_post"});
  (*doc)["code_challenge_methods_supported"] = core::Json::array({std::string(kPkceMethodS256)});
  (*doc)["prompt_values_supported"] =
      core::Json::array({"none", "login", "consent", "select_account"});
  (*doc)["authorization_response_iss_parameter_supported"] = true;
  (*doc)["request_parameter_supported"] = false;
  (*doc)["request_uri_parameter_supported"] = false;
  (*doc)["grant_types_supported"].push_back("authorization_code");
  (*doc)["grant_types_supported"].push_back("refresh_token");  // refresh tokens come with codes
}

// RFC 8414 §2 / RFC 7662 / RFC 7009: client authentication at the token, introspection and
// revocation endpoints (client_authenticator.h); JWT assertions are signed with asymmetric algs.
void AddClientAuthentication(const std::string& issuer, core::Json* doc) {
  core::Json methods = {"client_secret_basic", "client_secret_post", "private_key_jwt", "none"};
  core::Json algs = {"ES256", "RS256", "PS256", "EdDSA"};
  (*doc)["token_endpoint_auth_methods_supported"] = methods;
  (*doc)["token_endpoint_auth_signing_alg_values_supported"] = algs;
  (*doc)["introspection_endpoint"] = issuer + "/protocol/openid-connect/token/introspect";
  (*doc)["introspection_endpoint_auth_methods_supported"] = {
      "client_secret_basic", "client_secret_post", "private_key_jwt"};
  (*doc)["introspection_endpoint_auth_signing_alg_values_supported"] = algs;
  (*doc)["revocation_endpoint"] = issuer + "/protocol/openid-connect/revoke";
  (*doc)["revocation_endpoint_auth_methods_supported"] = methods;
  (*doc)["revocation_endpoint_auth_signing_alg_values_supported"] = algs;
}

}  // namespace

core::Json DiscoveryDocument(const std::string& public_url, const core::Realm& realm,
                             const DiscoveryOptions& options) {
  std::string issuer = IssuerOf(public_url, realm.name);
  core::Json doc = {
      {"issuer", issuer},
      {"token_endpoint", TokenEndpointOf(issuer)},
      {"jwks_uri", JwksUriOf(issuer)},
      {"grant_types_supported", {std::string(kGrantClientCredentials)}},
      {"token_endpoint_auth_methods_supported", {"client_secret_basic", "client_secret_post"}},
      {"response_types_supported", core::Json::array()},
      {"subject_types_supported", options.subject_types_supported},
      {"id_token_signing_alg_values_supported", SigningAlgs(realm, options)},
  };
  AddClientAuthentication(issuer, &doc);
  if (options.authorization_endpoint) {
    AddAuthorizationEndpoint(issuer, &doc);
    // OIDC Discovery §3: the realm's authentication levels (docs/design/020), and the `claims`
    // parameter, of which an essential id_token.acr is honoured (OIDC Core §5.5.1.1).
    doc["acr_values_supported"] = realm.settings.acr_levels;
    doc["claims_parameter_supported"] = true;
  }
  if (options.userinfo_endpoint) doc["userinfo_endpoint"] = issuer + std::string(kUserinfoPath);
  if (options.registration_endpoint && realm.settings.client_registration != "disabled") {
    doc["registration_endpoint"] = issuer + std::string(kClientRegistrationPath);
  }
  if (!options.claims_supported.empty()) doc["claims_supported"] = options.claims_supported;
  if (options.end_session_endpoint) {
    doc["end_session_endpoint"] = issuer + "/protocol/openid-connect/logout";
    doc["frontchannel_logout_supported"] = true;
    doc["frontchannel_logout_session_supported"] = true;
    doc["backchannel_logout_supported"] = true;
    doc["backchannel_logout_session_supported"] = true;
  }
  return doc;
}

std::shared_ptr<const std::string> DiscoveryEndpoint::Body(const core::Realm& realm) {
  std::lock_guard<std::mutex> lock(mu_);
  Cached& c = cache_[realm.id];
  if (!c.body || c.version != realm.version) {
    c.body =
        std::make_shared<const std::string>(DiscoveryDocument(public_url_, realm, options_).dump());
    c.version = realm.version;
  }
  return c.body;
}

http::WebResponse DiscoveryEndpoint::Handle(const http::WebRequest& request) {
  std::string name = request.PathParam("realm");
  Result<core::Realm> realm = LoadEnabledRealm(realms_, name);
  if (!realm) return TokenError(realm.error(), name);
  http::WebResponse r = http::WebResponse::Json(200, *Body(*realm));
  r.SetHeader("Cache-Control", kDiscoveryCacheControl);
  return r;
}

}  // namespace idm::oauth
