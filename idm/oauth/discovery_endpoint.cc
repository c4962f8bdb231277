// OpenID Connect Discovery 1.0 §4 / RFC 8414 §3 authorization server metadata.
#include "idm/oauth/discovery_endpoint.h"

#include "idm/oauth/issuer.h"
#include "idm/oauth/token_endpoint.h"
#include "idm/oauth/token_response.h"

namespace idm::oauth {
namespace {

constexpr const char* kCacheControl = "public, max-age=300";

}  // namespace

core::Json DiscoveryDocument(const std::string& public_url, const core::Realm& realm) {
  std::string issuer = IssuerOf(public_url, realm.name);
  core::Json algs = core::Json::array({realm.settings.default_signing_alg});
  if (realm.settings.default_signing_alg != "RS256") algs.push_back("RS256");
  return {
      {"issuer", issuer},
      {"token_endpoint", TokenEndpointOf(issuer)},
      {"jwks_uri", JwksUriOf(issuer)},
      {"grant_types_supported", {std::string(kGrantClientCredentials)}},
      {"token_endpoint_auth_methods_supported", {"client_secret_basic", "client_secret_post"}},
      {"response_types_supported", core::Json::array()},  // no authorization endpoint yet
      {"subject_types_supported", {"public"}},
      {"id_token_signing_alg_values_supported", algs},
  };
}

std::shared_ptr<const std::string> DiscoveryEndpoint::Body(const core::Realm& realm) {
  std::lock_guard<std::mutex> lock(mu_);
  Cached& c = cache_[realm.id];
  if (!c.body || c.version != realm.version) {
    c.body = std::make_shared<const std::string>(DiscoveryDocument(public_url_, realm).dump());
    c.version = realm.version;
  }
  return c.body;
}

http::WebResponse DiscoveryEndpoint::Handle(const http::WebRequest& request) {
  std::string name = request.PathParam("realm");
  Result<core::Realm> realm = LoadEnabledRealm(realms_, name);
  if (!realm) return TokenError(realm.error(), name);
  http::WebResponse r = http::WebResponse::Json(200, *Body(*realm));
  r.SetHeader("Cache-Control", kCacheControl);
  return r;
}

}  // namespace idm::oauth
