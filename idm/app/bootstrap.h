// First-start bootstrap (ARCHITECTURE.md decision 1): until it has completed once (meta row
// "bootstrap.done"), `idm serve` makes sure that
//   - realm `master` exists, with realm role `admin`;
//   - the administrator IDM_BOOTSTRAP_ADMIN_USERNAME (default "admin") exists in `master` and
//     holds `admin`; its password is IDM_BOOTSTRAP_ADMIN_PASSWORD or, when unset, a generated one
//     returned to the caller to print ONCE on the console;
//   - with IDM_BOOTSTRAP_ADMIN_CLIENT_ID/SECRET: a confidential client allowed client_credentials,
//     and its service-account user `service-account-<client_id>` holding `admin`, so automation can
//     call the admin API with a client-credentials token.
// Every step is get-or-create, so a start interrupted half-way completes on the next start. Each
// change goes through the domain services (actor "system") and so writes its audit event.
//
// Thread-safety: call once during start-up, before serving.
#pragma once

#include <string>

#include "idm/app/runtime.h"
#include "idm/core/service_error.h"

namespace idm::app {

inline constexpr char kAdminRole[] = "admin";
inline constexpr char kBootstrapDoneKey[] = "bootstrap.done";

struct BootstrapOutcome {
  bool ran = false;                // false when bootstrap had completed before
  bool created_admin = false;
  std::string generated_password;  // set only when a password was generated for the admin
  bool created_client = false;
};

// Failures: the services' errors (e.g. kInvalidArgument when the bootstrap password breaks the
// master realm's password policy or the client secret is shorter than 32 characters).
core::ServiceResult<BootstrapOutcome> Bootstrap(Runtime& rt);

}  // namespace idm::app
