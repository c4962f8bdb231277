// Validation of role and group fields (rules listed in role_service.h and group_service.h). Each
// function returns every violation found (empty = valid).
//
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "idm/core/model.h"
#include "idm/core/service_error.h"

namespace idm::rbac {

// Name 1..255 bytes, no control characters, no spaces at either end; description <= 1024 bytes.
std::vector<core::FieldViolation> ValidateRole(const core::Role& role);

// Name as for roles and without '/' (group paths use it); attributes bounded as for users.
std::vector<core::FieldViolation> ValidateGroup(const core::Group& group);

}  // namespace idm::rbac
