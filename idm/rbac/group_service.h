// GroupService: nested groups of a realm and their members. A user is a member of a group
// directly; roles granted to a group reach its direct members and the members of all its
// descendant groups (effective_roles.h).
//
// Rules:
//  - name: 1..255 printable characters, no '/', no spaces at either end; unique among siblings;
//  - parent_id names a group of the same realm; moving a group under itself or one of its
//    descendants is kFailedPrecondition;
//  - attributes bounded as for users;
//  - AddMember is idempotent (and still writes MemberAdded); RemoveMember of a non-member is
//    kNotFound.
//
// Every mutating call writes one audit event in its transaction: GroupCreated, GroupUpdated,
// GroupDeleted, MemberAdded, MemberRemoved.
//
// Failures: kInvalidArgument, kNotFound (realm, group, parent or user), kAlreadyExists (sibling
// name taken), kPreconditionFailed (version), kFailedPrecondition (move under a descendant),
// kUnavailable, kInternal.
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

class GroupService {
 public:
  GroupService(store::Store& store, core::Random& random) : store_(store), random_(random) {}

  // Creates a group from draft's name, parent_id and attributes.
  core::ServiceResult<core::Group> Create(const core::OpContext& ctx, const std::string& realm,
                                          const core::Group& draft);
  core::ServiceResult<core::Group> Get(const std::string& realm, const std::string& id);
  // Children of parent_id (nullopt = top-level groups), ordered by lower-case name.
  core::ServiceResult<core::Page<core::Group>> List(const std::string& realm,
                                                    const std::optional<std::string>& parent_id,
                                                    const store::ListQuery& q);
  // Replaces name, parent_id (a move) and attributes if the version is expected_version.
  core::ServiceResult<core::Group> Update(const core::OpContext& ctx, const std::string& realm,
                                          const std::string& id, const core::Group& changes,
                                          int64_t expected_version);
  // Deletes the group and its descendants, with their memberships and grants.
  core::ServiceStatus Delete(const core::OpContext& ctx, const std::string& realm,
                             const std::string& id);

  core::ServiceStatus AddMember(const core::OpContext& ctx, const std::string& realm,
                                const std::string& group_id, const std::string& user_id);
  core::ServiceStatus RemoveMember(const core::OpContext& ctx, const std::string& realm,
                                   const std::string& group_id, const std::string& user_id);
  // Direct members, ordered by lower-case username.
  core::ServiceResult<core::Page<core::User>> ListMembers(const std::string& realm,
                                                          const std::string& group_id,
                                                          const store::ListQuery& q);
  // Groups the user is directly a member of, ordered by name. kNotFound for an unknown user.
  core::ServiceResult<std::vector<core::Group>> ListUserGroups(const std::string& realm,
                                                               const std::string& user_id);

 private:
  store::Store& store_;
  core::Random& random_;
};

}  // namespace idm::rbac
