#include "idm/oauth/access_token_claims.h"

#include <algorithm>

#include "idm/oauth/scope.h"

namespace idm::oauth {

bool AccessTokenClaims::HasRealmRole(std::string_view role) const {
  return std::find(realm_roles.begin(), realm_roles.end(), role) != realm_roles.end();
}

bool AccessTokenClaims::HasClientRole(std::string_view client, std::string_view role) const {
  auto it = client_roles.find(std::string(client));
  if (it == client_roles.end()) return false;
  return std::find(it->second.begin(), it->second.end(), role) != it->second.end();
}

bool AccessTokenClaims::HasScope(std::string_view scope_token) const {
  Result<std::vector<std::string>> tokens = ParseScope(scope);
  if (!tokens) return false;
  return std::find(tokens->begin(), tokens->end(), scope_token) != tokens->end();
}

}  // namespace idm::oauth
