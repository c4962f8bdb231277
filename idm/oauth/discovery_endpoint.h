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
#include <string_view>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/http/web.h"
#include "idm/realm/realm_service.h"

namespace idm::oauth {

// Paths under the issuer of endpoints that the composition root may enable.
inline constexpr std::string_view kAuthorizationPath = "/protocol/openid-connect/auth";
inline constexpr std::string_view kUserinfoPath = "/protocol/openid-connect/userinfo";
inline constexpr std::string_view kClientRegistrationPath = "/clients-registrations";

// What the caller (the composition root) says exists beyond the token and JWKS endpoints. Only
// what is enabled here is advertised (OIDC Discovery §3: metadata describes what the OP supports).
struct DiscoveryOptions {
  // The authorization endpoint (authorization_request.h) is served. Adds authorization_endpoint,
  // response_types_supported ["code"], response_modes_supported [query, form_post],
  // code_challenge_methods_supported ["S256"] (RFC 8414 §2), prompt_values_supported (OIDC
  // Prompt Create §4.1 registry), authorization_response_iss_parameter_supported true (RFC 9207
  // §3) and the authorization_code grant type.
  bool authorization_endpoint = false;
  bool userinfo_endpoint = false;             // adds userinfo_endpoint
  // The end-session endpoint (end_session_endpoint.h) is served: adds end_session_endpoint (RP-
  // Initiated Logout §2.1), frontchannel_logout_supported and _session_supported (Front-Channel
  // Logout §3), backchannel_logout_supported and _session_supported (Back-Channel Logout §2.1).
  bool end_session_endpoint = false;
  // Dynamic registration (RFC 7591) is served: adds registration_endpoint (RFC 8414 §2) for
  // realms whose client_registration is not "disabled".
  bool registration_endpoint = false;
  std::vector<std::string> claims_supported;  // omitted when empty (e.g. StandardClaimNames())
  std::vector<std::string> subject_types_supported = {"public"};  // add "pairwise" when offered
  // Further algorithms the realm signs ID tokens with, after its default and RS256.
  std::vector<std::string> extra_id_token_signing_algs;
};

// The metadata document of `realm` at `public_url`.
core::Json DiscoveryDocument(const std::string& public_url, const core::Realm& realm,
                             const DiscoveryOptions& options = {});

class DiscoveryEndpoint {
 public:
  DiscoveryEndpoint(std::string public_url, realm::RealmService& realms,
                    DiscoveryOptions options = {})
      : public_url_(std::move(public_url)), realms_(realms), options_(std::move(options)) {}

  http::WebResponse Handle(const http::WebRequest& request);

 private:
  struct Cached {
    int64_t version = 0;
    std::shared_ptr<const std::string> body;
  };
  std::shared_ptr<const std::string> Body(const core::Realm& realm);

  std::string public_url_;
  realm::RealmService& realms_;
  const DiscoveryOptions options_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;  // by realm id; guarded by mu_
};

}  // namespace idm::oauth
