// Validation of user fields and of passwords against a realm's PasswordPolicy (rules listed in
// user_service.h). Each function returns every violation found (empty = valid).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/core/service_error.h"

namespace idm::account {

// [A-Za-z0-9._@+-]{1,255}
bool IsValidUsername(const std::string& username);

// A simple RFC 5322 addr-spec: dot-atom local part "@" a domain of LDH labels with at least one
// dot; at most 254 bytes. ("" is handled by the caller: it means "no email".)
bool IsValidEmail(const std::string& email);

// Username, email, names and attributes of a user as it would be stored.
std::vector<core::FieldViolation> ValidateUser(const core::User& user);

// The policy's length and class rules and, when not_username, inequality with the username
// (case-insensitive). Violations are reported under field "password"; the password itself never
// appears in a message. Length counts UTF-8 characters.
std::vector<core::FieldViolation> CheckPasswordPolicy(const core::PasswordPolicy& policy,
                                                      const std::string& username,
                                                      const std::string& password);

}  // namespace idm::account
