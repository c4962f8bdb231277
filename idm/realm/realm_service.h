// RealmService: creates, reads, changes and deletes realms (ARCHITECTURE.md decision 1). A realm's
// name is its URL segment and part of its issuer (`{public_url}/realms/{name}`), so it is
// validated strictly and never changes after creation. Realm `master` holds the operators: it
// can be neither deleted nor disabled.
//
// Every mutating call takes the OpContext of the request and writes exactly one audit event in the
// same transaction as the change: RealmCreated (in the new realm's chain), RealmUpdated (in the
// realm's chain) and RealmDeleted (in the master realm's chain, since the deleted realm's own
// chain goes with it).
//
// Failures (core::ServiceError):
//  - kInvalidArgument with field violations ("name", "settings.access_token_ttl_s", ...);
//  - kNotFound for an unknown realm name;
//  - kAlreadyExists when the name is taken;
//  - kPreconditionFailed when expected_version is not the stored version (someone else wrote);
//  - kFailedPrecondition for deleting or disabling `master`, or deleting a realm while no
//    `master` realm exists to record it;
//  - kUnavailable when the database is unreachable (retry), kInternal otherwise (details logged).
//
// Thread-safety: safe to share between threads; every call runs in its own store transaction.
#pragma once

#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/realm/directory_cache.h"
#include "idm/store/store.h"

namespace idm::realm {

inline constexpr char kMasterRealm[] = "master";

class RealmService {
 public:
  RealmService(store::Store& store, core::Random& random)
      : store_(store), random_(random), by_name_(store) {}

  // Creates a realm from draft's name, display_name, enabled and settings (id, timestamps and
  // version are assigned here). Returns the stored realm (version 1).
  core::ServiceResult<core::Realm> Create(const core::OpContext& ctx, const core::Realm& draft);

  // The realm named `name`; kNotFound if none. Served from a DirectoryCache: a change committed
  // through this process is seen at once, one made by another node within kDirectoryCacheMaxAge.
  core::ServiceResult<core::Realm> Get(const std::string& name);

  // Every realm, ordered by name.
  core::ServiceResult<std::vector<core::Realm>> List();

  // Replaces display_name, enabled and settings of realm `name` if its stored version equals
  // expected_version; returns the stored realm (version + 1). changes.name must be empty or equal
  // to `name` (renaming would change the issuer: kInvalidArgument, field "name").
  core::ServiceResult<core::Realm> Update(const core::OpContext& ctx, const std::string& name,
                                          const core::Realm& changes, int64_t expected_version);

  // Deletes realm `name` and everything in it. `master` cannot be deleted (kFailedPrecondition).
  core::ServiceStatus Delete(const core::OpContext& ctx, const std::string& name);

 private:
  store::Store& store_;
  core::Random& random_;
  DirectoryCache<core::Realm> by_name_;
};

}  // namespace idm::realm
