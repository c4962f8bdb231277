// RoleService: realm roles and client roles, composite roles (a role that includes others) and
// role mappings (grants of a role to a user or a group). Effective roles — what a user ends up
// holding — are computed by effective_roles.h.
//
// Rules:
//  - name: 1..255 printable characters without spaces at either end, unique per (realm, client);
//    description at most 1024 bytes;
//  - a client role belongs to a client of the same realm (Role::client_id = the client's internal
//    id); it cannot move between clients (Update keeps client_id);
//  - composites: parent and child in the same realm; adding an edge that would close a cycle
//    (including a role containing itself) is kFailedPrecondition;
//  - Grant is idempotent and still writes RoleGranted; Revoke of a mapping that does not exist is
//    kNotFound.
//
// Every mutating call writes one audit event in its transaction: RoleCreated, RoleUpdated,
// RoleDeleted, CompositeAdded, CompositeRemoved, RoleGranted, RoleRevoked.
//
// Failures: kInvalidArgument, kNotFound (realm, role, client, holder or edge), kAlreadyExists
// (name taken), kPreconditionFailed (version), kFailedPrecondition (cycle), kUnavailable,
// kInternal.
//
// Thread-safety: safe to share between threads; every call runs in its own store transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::rbac {

class RoleService {
 public:
  RoleService(store::Store& store, core::Random& random) : store_(store), random_(random) {}

  // Creates a realm role (draft.client_id nullopt) or a role of the client whose internal id is
  // draft.client_id, from name and description.
  core::ServiceResult<core::Role> Create(const core::OpContext& ctx, const std::string& realm,
                                         const core::Role& draft);

  core::ServiceResult<core::Role> Get(const std::string& realm, const std::string& id);
  // client_id: internal id of the client, nullopt for realm roles.
  core::ServiceResult<core::Role> GetByName(const std::string& realm,
                                            const std::optional<std::string>& client_id,
                                            const std::string& name);
  // Realm roles (client_id nullopt) or one client's roles, ordered by name.
  core::ServiceResult<core::Page<core::Role>> List(const std::string& realm,
                                                   const std::optional<std::string>& client_id,
                                                   const store::ListQuery& q);

  // Replaces name, description and require_mfa if the version is expected_version.
  core::ServiceResult<core::Role> Update(const core::OpContext& ctx, const std::string& realm,
                                         const std::string& id, const core::Role& changes,
                                         int64_t expected_version);
  // Deletes the role, its composite edges and its grants.
  core::ServiceStatus Delete(const core::OpContext& ctx, const std::string& realm,
                             const std::string& id);

  // parent includes child. kFailedPrecondition if child already (transitively) includes parent.
  core::ServiceStatus AddComposite(const core::OpContext& ctx, const std::string& realm,
                                   const std::string& parent_id, const std::string& child_id);
  core::ServiceStatus RemoveComposite(const core::OpContext& ctx, const std::string& realm,
                                      const std::string& parent_id, const std::string& child_id);
  // Direct children of parent_id.
  core::ServiceResult<std::vector<core::Role>> ListComposites(const std::string& realm,
                                                              const std::string& parent_id);

  // Role mappings of a user or a group.
  core::ServiceStatus Grant(const core::OpContext& ctx, const std::string& realm,
                            core::RoleHolderKind kind, const std::string& holder_id,
                            const std::string& role_id);
  core::ServiceStatus Revoke(const core::OpContext& ctx, const std::string& realm,
                             core::RoleHolderKind kind, const std::string& holder_id,
                             const std::string& role_id);
  // Roles granted directly to the holder (not through groups or composites).
  core::ServiceResult<std::vector<core::Role>> ListGranted(const std::string& realm,
                                                           core::RoleHolderKind kind,
                                                           const std::string& holder_id);

 private:
  store::Store& store_;
  core::Random& random_;
};

}  // namespace idm::rbac
