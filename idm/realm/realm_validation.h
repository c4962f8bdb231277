// Validation of realm names and settings. Each function returns every violation it finds (empty
// vector = valid), with the field named as the admin API names it.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/service_error.h"

namespace idm::realm {

// Name: [a-z0-9][a-z0-9_-]{0,63} (a URL path segment that needs no escaping).
bool IsValidRealmName(const std::string& name);

// Token lifetimes in range (see realm_validation.cc for the bounds and their reasons), a known
// signing alg, a coherent password policy.
std::vector<core::FieldViolation> ValidateRealmSettings(const core::RealmSettings& settings);

// Free-form attributes of users, groups and clients: at most 100 keys of [A-Za-z0-9._:-]{1,255},
// at most 100 values per key, each at most 2048 bytes. Violations are appended to out under
// "attributes" / "attributes.<key>".
void AppendAttributeViolations(const core::Attributes& attributes,
                               std::vector<core::FieldViolation>& out);

// Name, display name (<= 255 bytes) and settings.
std::vector<core::FieldViolation> ValidateRealm(const core::Realm& realm);

}  // namespace idm::realm
