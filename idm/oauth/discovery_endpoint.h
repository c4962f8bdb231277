// Authorization server metadata: OpenID Connect Discovery 1.0 §4
// (GET /realms/{realm}/.well-known/openid-configuration) and RFC 8414 §3
// (GET /.well-known/oauth-authorization-server/realms/{realm}, plus the in-realm alias
// /realms/{realm}/.well-known/oauth-authorization-server). One document, advertising only what
// exists (docs/design/005-tokens.md lists the fields and why some are absent).
//
// The document's bytes are built once per realm and rebuilt when the realm's version changes
// (any realm update), so a request costs one realm read. Unknown or disabled realm: 404 JSON.
//
// Thread-safety: Handle is safe to call concurrently (the cache is mutex-guarded).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/http/web.h"
#include "idm/realm/realm_service.h"

namespace idm::oauth {

// The metadata document of `realm` at `public_url`.
core::Json DiscoveryDocument(const std::string& public_url, const core::Realm& realm);

class DiscoveryEndpoint {
 public:
  DiscoveryEndpoint(std::string public_url, realm::RealmService& realms)
      : public_url_(std::move(public_url)), realms_(realms) {}

  http::WebResponse Handle(const http::WebRequest& request);

 private:
  struct Cached {
    int64_t version = 0;
    std::shared_ptr<const std::string> body;
  };
  std::shared_ptr<const std::string> Body(const core::Realm& realm);

  std::string public_url_;
  realm::RealmService& realms_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;  // by realm id; guarded by mu_
};

}  // namespace idm::oauth
