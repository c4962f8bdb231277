// Issuer identifiers. The issuer of realm R is `{public_url}/realms/R` (ARCHITECTURE.md decision
// 1; OIDC Discovery §3, RFC 8414 §2), and every endpoint URL of the realm is derived from it.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idm::oauth {

// `{public_url}/realms/{realm}`; a trailing '/' of public_url is dropped.
std::string IssuerOf(std::string_view public_url, std::string_view realm_name);

// The realm name of an issuer of this installation, or nullopt when `issuer` is not
// `{public_url}/realms/{name}` with a non-empty name free of '/', '?' and '#'.
std::optional<std::string> RealmFromIssuer(std::string_view public_url, std::string_view issuer);

// Endpoint URLs under the issuer.
std::string TokenEndpointOf(std::string_view issuer);  // {issuer}/protocol/openid-connect/token
std::string JwksUriOf(std::string_view issuer);        // {issuer}/protocol/openid-connect/certs

}  // namespace idm::oauth
