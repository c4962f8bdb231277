// Effective roles of a user: every role granted to the user directly, to each group the user is a
// member of and to every ancestor of those groups, expanded through composite roles transitively.
// The expansion keeps a visited set, so it terminates even if a cycle got into the stored data
// (the role service refuses to create one). The output is deterministic: names sorted, unique.
// This is what tokens carry as realm_access.roles and resource_access.{client_id}.roles.
//
// Failures: kNotFound (realm or user), kUnavailable, kInternal.
//
// Thread-safety: free functions; the Transaction overload uses the caller's transaction (which
// belongs to the calling thread).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::rbac {

struct EffectiveRoleSet {
  std::vector<std::string> realm_roles;                          // sorted role names
  std::map<std::string, std::vector<std::string>> client_roles;  // OAuth client_id -> sorted names
  bool require_mfa = false;  // some effective role has Role::require_mfa (docs/design/020)
};

// Within the caller's transaction; realm_id is the realm's internal id.
core::ServiceResult<EffectiveRoleSet> EffectiveRoles(store::Transaction& tx,
                                                     const std::string& realm_id,
                                                     const std::string& user_id);

// In a read transaction of its own; realm is the realm's name.
core::ServiceResult<EffectiveRoleSet> EffectiveRoles(store::Store& store, const std::string& realm,
                                                     const std::string& user_id);

}  // namespace idm::rbac
