// Runtime: the objects one idm process works with — configuration, randomness, the password
// hasher, the opened store and the domain services — built in one place (the composition root)
// for `idm serve` and for every CLI subcommand that touches data.
//
// Thread-safety: after Open, every member is safe to share between threads (each service runs
// its calls in their own store transactions).
#pragma once

#include <memory>
#include <string>

#include "idm/account/user_service.h"
#include "idm/config/config.h"
#include "idm/core/op_context.h"
#include "idm/crypto/password.h"
#include "idm/crypto/secure_random.h"
#include "idm/rbac/group_service.h"
#include "idm/rbac/role_service.h"
#include "idm/realm/audit_service.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"
#include "idm/store/store.h"

namespace idm::app {

struct RuntimeOptions {
  bool migrate = true;     // apply pending migrations after opening (not with read_only)
  bool read_only = false;  // open the database without writing
};

// Why a runtime could not be built; `message` is for the operator (no secrets).
struct RuntimeError {
  std::string message;
};

class Runtime {
 public:
  // Opens config.db and builds the services. Fails with a clear message when the database is
  // corrupt, read-only (for a writing runtime), unreachable, or a migration fails; nothing is
  // written to a database that fails to open.
  static core::Result<std::unique_ptr<Runtime>, RuntimeError> Open(const config::Config& config,
                                                                   RuntimeOptions options);

  // Builds the services over an already opened (and migrated) store.
  static std::unique_ptr<Runtime> Create(const config::Config& config,
                                         std::unique_ptr<store::Store> store);

  const config::Config& config() const { return config_; }
  core::Random& random() { return random_; }
  const crypto::PasswordHasher& hasher() const { return hasher_; }
  store::Store& store() { return *store_; }
  realm::RealmService& realms() { return realms_; }
  realm::ClientService& clients() { return clients_; }
  realm::AuditService& audit() { return audit_; }
  account::UserService& users() { return users_; }
  rbac::GroupService& groups() { return groups_; }
  rbac::RoleService& roles() { return roles_; }

  // The OpContext of a CLI command: actor "cli", now.
  core::OpContext CliContext() const;

 private:
  Runtime(config::Config config, std::unique_ptr<store::Store> store);

  config::Config config_;
  crypto::SecureRandom random_;
  crypto::PasswordHasher hasher_;
  std::unique_ptr<store::Store> store_;
  realm::RealmService realms_;
  realm::ClientService clients_;
  realm::AuditService audit_;
  account::UserService users_;
  rbac::GroupService groups_;
  rbac::RoleService roles_;
};

// Opens the store named by config.db with the configured pool; the message of a failure says
// what is wrong and what to do (corrupt file, read-only file, unreachable server).
core::Result<std::unique_ptr<store::Store>, RuntimeError> OpenStore(const config::Config& config,
                                                                    bool read_only);

}  // namespace idm::app
