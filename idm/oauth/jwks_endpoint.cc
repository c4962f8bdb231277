// RFC 7517 §5 JWK Set endpoint.
#include "idm/oauth/jwks_endpoint.h"

#include "idm/oauth/service_error_mapping.h"
#include "idm/oauth/token_endpoint.h"
#include "idm/oauth/token_response.h"

namespace idm::oauth {
namespace {

// Short enough that a verifier caching the set learns a rotation's new next key soon.
constexpr const char* kJwksCacheControl = "public, max-age=60";

}  // namespace

http::WebResponse JwksEndpoint::Handle(const http::WebRequest& request) const {
  std::string name = request.PathParam("realm");
  Result<core::Realm> realm = LoadEnabledRealm(realms_, name);
  if (!realm) return TokenError(realm.error(), name);
  core::ServiceResult<std::shared_ptr<const RealmKeys>> keys = keys_.Keys(*realm);
  if (!keys) return TokenError(FromServiceError(keys.error(), "jwks"), name);
  http::WebResponse r = http::WebResponse::Json(200, (*keys)->jwks_json);
  r.SetHeader("Cache-Control", kJwksCacheControl);
  return r;
}

}  // namespace idm::oauth
