// AccessTokenClaims: what a verified RFC 9068 JWT access token says, as resource servers inside
// idm (the admin API) consume it. Minted by the token endpoint's grants (access_token_minter.h),
// produced from a token by AccessTokenVerifier.
//
// Thread-safety: value type.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/clock.h"

namespace idm::oauth {

// The audience every access token of this version carries: the idm admin API of the issuing realm
// (docs/design/005-tokens.md, "Audiences").
inline constexpr std::string_view kAdminAudience = "idm-admin";

struct AccessTokenClaims {
  std::string issuer;                    // iss: {public_url}/realms/{realm}
  std::string realm;                     // the realm's name, from iss
  std::string realm_id;                  // the realm's internal id
  std::string subject;                   // sub
  std::string client_id;                 // client_id (RFC 9068 §2.2)
  std::vector<std::string> audience;     // aud
  std::string scope;                     // space-separated (RFC 9068 §2.2.3); "" when none
  std::vector<std::string> realm_roles;  // realm_access.roles
  std::map<std::string, std::vector<std::string>>
      client_roles;  // resource_access.{client_id}.roles
  std::string jti;
  std::string session_id;            // sid of a user grant's SSO session; "" when absent
  core::UnixSeconds issued_at = 0;   // iat
  core::UnixSeconds expires_at = 0;  // exp

  bool HasRealmRole(std::string_view role) const;
  bool HasClientRole(std::string_view client_id, std::string_view role) const;
  bool HasScope(std::string_view scope_token) const;
};

}  // namespace idm::oauth
