// Role and group validation; see rbac_validation.h.
#include "idm/rbac/rbac_validation.h"

#include <algorithm>
#include <string>

#include "idm/realm/realm_validation.h"

namespace idm::rbac {
namespace {

// "" if name is acceptable, else the reason.
std::string NameProblem(const std::string& name) {
  if (name.empty() || name.size() > 255) return "must be 1 to 255 bytes";
  if (name.front() == ' ' || name.back() == ' ') return "must not start or end with a space";
  bool control = std::any_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
  return control ? "must not contain control characters" : "";
}

}  // namespace

std::vector<core::FieldViolation> ValidateRole(const core::Role& role) {
  std::vector<core::FieldViolation> out;
  std::string problem = NameProblem(role.name);
  if (!problem.empty()) out.push_back({"name", problem});
  if (role.description.size() > 1024) {
    out.push_back({"description", "must be at most 1024 bytes"});
  }
  return out;
}

std::vector<core::FieldViolation> ValidateGroup(const core::Group& group) {
  std::vector<core::FieldViolation> out;
  std::string problem = NameProblem(group.name);
  if (problem.empty() && group.name.find('/') != std::string::npos) {
    problem = "must not contain '/'";
  }
  if (!problem.empty()) out.push_back({"name", problem});
  realm::AppendAttributeViolations(group.attributes, out);
  return out;
}

}  // namespace idm::rbac
