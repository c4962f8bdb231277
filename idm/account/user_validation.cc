// User and password validation; see user_validation.h and the rules in user_service.h.
#include "idm/account/user_validation.h"

#include <algorithm>
#include <cstring>

#include "idm/core/ascii.h"
#include "idm/realm/realm_validation.h"

namespace idm::account {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 §3.2.3 atext.
bool IsAtext(char c) {
  return IsAsciiAlnum(c) || (c != 0 && std::strchr("!#$%&'*+/=?^_`{|}~-", c));
}

bool IsDotAtom(const std::string& s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (!IsAtext(s[i])) {
      return false;
    }
  }
  return true;
}

// LDH labels (RFC 1035 §2.3.1), at least two of them.
bool IsDomain(const std::string& d) {
  if (d.empty() || d.size() > 253) return false;
  size_t labels = 0, start = 0;
  while (start <= d.size()) {
    size_t end = d.find('.', start);
    if (end == std::string::npos) end = d.size();
    std::string label = d.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    if (!std::all_of(label.begin(), label.end(),
                     [](char c) { return IsAsciiAlnum(c) || c == '-'; })) {
      return false;
    }
    ++labels;
    start = end + 1;
  }
  return labels >= 2;
}

bool HasControlChars(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

void CheckName(const std::string& value, const std::string& field,
               std::vector<core::FieldViolation>& out) {
  if (value.size() > 255) out.push_back({field, "must be at most 255 bytes"});
  if (HasControlChars(value)) out.push_back({field, "must not contain control characters"});
}

size_t Utf8Length(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

bool IsValidUsername(const std::string& u) {
  if (u.empty() || u.size() > 255) return false;
  return std::all_of(u.begin(), u.end(), [](char c) {
    // ':' because a client's service account is "service-account-<client_id>" and client_ids may
    // be URNs (client_validation.cc allows [A-Za-z0-9._:-]).
    return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '@' || c == '+' || c == '-' || c == ':';
  });
}

bool IsValidEmail(const std::string& email) {
  if (email.size() > 254) return false;  // RFC 5321 §4.5.3.1.3 (path limit minus brackets)
  size_t at = email.rfind('@');
  if (at == std::string::npos) return false;
  std::string local = email.substr(0, at);
  return local.size() <= 64 && IsDotAtom(local) && IsDomain(email.substr(at + 1));
}

std::vector<core::FieldViolation> ValidateUser(const core::User& user) {
  std::vector<core::FieldViolation> out;
  if (!IsValidUsername(user.username)) {
    out.push_back({"username", "must be 1 to 255 characters of A-Z a-z 0-9 . _ @ + - :"});
  }
  if (!user.email.empty() && !IsValidEmail(user.email)) {
    out.push_back({"email", "not a valid email address"});
  }
  CheckName(user.first_name, "first_name", out);
  CheckName(user.last_name, "last_name", out);
  realm::AppendAttributeViolations(user.attributes, out);
  return out;
}

std::vector<core::FieldViolation> CheckPasswordPolicy(const core::PasswordPolicy& policy,
                                                      const std::string& username,
                                                      const std::string& password) {
  std::vector<core::FieldViolation> out;
  size_t length = Utf8Length(password);
  if (length < static_cast<size_t>(policy.min_length)) {
    out.push_back(
        {"password", "must be at least " + std::to_string(policy.min_length) + " characters"});
  }
  if (length > static_cast<size_t>(policy.max_length)) {
    out.push_back(
        {"password", "must be at most " + std::to_string(policy.max_length) + " characters"});
  }
  auto has = [&](auto pred) { return std::any_of(password.begin(), password.end(), pred); };
  if (policy.require_digit && !has([](char c) { return c >= '0' && c <= '9'; })) {
    out.push_back({"password", "must contain a digit"});
  }
  if (policy.require_upper && !has([](char c) { return c >= 'A' && c <= 'Z'; })) {
    out.push_back({"password", "must contain an upper-case letter"});
  }
  if (policy.require_lower && !has([](char c) { return c >= 'a' && c <= 'z'; })) {
    out.push_back({"password", "must contain a lower-case letter"});
  }
  if (policy.require_symbol && !has([](char c) { return !IsAsciiAlnum(c) && c != ' '; })) {
    out.push_back({"password", "must contain a symbol"});
  }
  if (policy.not_username && !username.empty() && core::EqualsIgnoreCase(password, username)) {
    out.push_back({"password", "must not be the username"});
  }
  return out;
}

}  // namespace idm::account
