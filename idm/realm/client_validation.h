// Validation of OAuth client registration data (rules listed in client_service.h). Each function
// returns every violation found (empty = valid), with the field named as the admin API names it.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/service_error.h"

namespace idm::realm {

// [A-Za-z0-9._:-]{1,128}
bool IsValidClientId(const std::string& client_id);

// "" if uri is an acceptable redirect URI, else the reason (RFC 6749 §3.1.2, RFC 8252 §7,
// RFC 9700 §2.1).
std::string RedirectUriProblem(const std::string& uri);

// All registration rules for a client as it would be stored.
std::vector<core::FieldViolation> ValidateClient(const core::Client& client);

}  // namespace idm::realm
