// Claim mappers (claims.h): user data into token and UserInfo claims, as configured per client.
#include <optional>

#include "idm/oauth/claims.h"

namespace idm::oauth {
namespace {

bool Wanted(const ClaimMapper& m, ClaimTarget target) {
  switch (target) {
    case ClaimTarget::kIdToken:
      return m.in_id_token;
    case ClaimTarget::kAccessToken:
      return m.in_access_token;
    case ClaimTarget::kUserinfo:
      return m.in_userinfo;
  }
  return false;
}

std::vector<std::string> UserValues(const core::User& user, const std::string& source) {
  if (source == "username") return {user.username};
  if (source == "email") return {user.email};
  if (source == "first_name") return {user.first_name};
  if (source == "last_name") return {user.last_name};
  if (source == "id") return {user.id};
  auto it = user.attributes.find(source);
  return it == user.attributes.end() ? std::vector<std::string>{} : it->second;
}

// The claim value of one mapper, or nullopt when it has none.
std::optional<core::Json> MapperValue(const ClaimMapper& m, const ClaimSources& s) {
  switch (m.kind) {
    case ClaimMapperKind::kFixedValue:
      return core::Json(m.source);
    case ClaimMapperKind::kRealmRoles:
      return core::Json(s.realm_roles);
    case ClaimMapperKind::kGroups:
      return core::Json(s.group_paths);
    case ClaimMapperKind::kClientRoles: {
      auto it = s.client_roles.find(m.client_id);
      if (it == s.client_roles.end()) return std::nullopt;
      return core::Json(it->second);
    }
    case ClaimMapperKind::kUserAttribute: {
      if (s.user == nullptr) return std::nullopt;
      std::vector<std::string> values = UserValues(*s.user, m.source);
      if (values.empty() || (values.size() == 1 && values.front().empty())) return std::nullopt;
      if (m.multivalued) return core::Json(values);
      return core::Json(values.front());
    }
  }
  return std::nullopt;
}

void SetPath(const std::vector<std::string>& path, core::Json value, core::Json* claims) {
  core::Json* node = claims;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    core::Json& child = (*node)[path[i]];
    if (!child.is_object()) child = core::Json::object();
    node = &child;
  }
  (*node)[path.back()] = std::move(value);
}

}  // namespace

std::vector<std::string> SplitClaimPath(std::string_view claim_name) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < claim_name.size(); ++i) {
    char c = claim_name[i];
    if (c == '\\' && i + 1 < claim_name.size() && claim_name[i + 1] == '.') {
      parts.back().push_back('.');
      ++i;
    } else if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }
  return parts;
}

void ApplyMappers(const std::vector<ClaimMapper>& mappers, const ClaimSources& sources,
                  ClaimTarget target, core::Json* claims) {
  for (const ClaimMapper& m : mappers) {
    if (!Wanted(m, target)) continue;
    std::vector<std::string> path = SplitClaimPath(m.claim_name);
    bool empty_segment = false;
    for (const std::string& p : path) empty_segment = empty_segment || p.empty();
    if (empty_segment) continue;  // "", "a..b", ".a": not a usable claim name
    std::optional<core::Json> value = MapperValue(m, sources);
    if (value) SetPath(path, std::move(*value), claims);
  }
}

}  // namespace idm::oauth
