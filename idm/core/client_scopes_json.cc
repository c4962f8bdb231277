// JSON form of client scopes and claim mappers; see client_scopes_json.h.
#include "idm/core/client_scopes_json.h"

#include <array>
#include <set>
#include <utility>

namespace idm::core {
namespace {

constexpr std::array<std::pair<ClaimMapperKind, const char*>, 5> kKinds = {{
    {ClaimMapperKind::kUserAttribute, "user_attribute"},
    {ClaimMapperKind::kRealmRoles, "realm_roles"},
    {ClaimMapperKind::kClientRoles, "client_roles"},
    {ClaimMapperKind::kGroups, "groups"},
    {ClaimMapperKind::kFixedValue, "fixed_value"},
}};

using Status = Result<void, std::string>;

Status CheckMembers(const Json& j, const std::set<std::string>& known, const std::string& at) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!known.count(it.key())) return Err(at + "." + it.key() + ": unknown field");
  }
  return {};
}

Status ReadString(const Json& j, const char* name, bool required, const std::string& at,
                  std::string& out) {
  auto it = j.find(name);
  if (it == j.end()) {
    if (required) return Err(at + "." + name + ": required");
    return {};
  }
  if (!it->is_string()) return Err(at + "." + name + ": expected a string");
  out = it->get<std::string>();
  return {};
}

Status ReadBool(const Json& j, const char* name, const std::string& at, bool& out) {
  auto it = j.find(name);
  if (it == j.end()) return {};
  if (!it->is_boolean()) return Err(at + "." + name + ": expected a boolean");
  out = it->get<bool>();
  return {};
}

Result<ClaimMapper, std::string> MapperFromJson(const Json& j, const std::string& at) {
  if (!j.is_object()) return Err(at + ": expected an object");
  IDM_TRY(CheckMembers(j,
                       {"kind", "claim_name", "source", "client_id", "in_id_token",
                        "in_access_token", "in_userinfo", "multivalued"},
                       at));
  ClaimMapper m;
  std::string kind;
  IDM_TRY(ReadString(j, "kind", true, at, kind));
  std::optional<ClaimMapperKind> parsed = ParseClaimMapperKind(kind);
  if (!parsed) return Err(at + ".kind: unknown kind");
  m.kind = *parsed;
  IDM_TRY(ReadString(j, "claim_name", true, at, m.claim_name));
  IDM_TRY(ReadString(j, "source", false, at, m.source));
  IDM_TRY(ReadString(j, "client_id", false, at, m.client_id));
  IDM_TRY(ReadBool(j, "in_id_token", at, m.in_id_token));
  IDM_TRY(ReadBool(j, "in_access_token", at, m.in_access_token));
  IDM_TRY(ReadBool(j, "in_userinfo", at, m.in_userinfo));
  IDM_TRY(ReadBool(j, "multivalued", at, m.multivalued));
  return m;
}

Result<ClientScope, std::string> ScopeFromJson(const Json& j, const std::string& at) {
  if (!j.is_object()) return Err(at + ": expected an object");
  IDM_TRY(CheckMembers(j, {"name", "description", "mappers"}, at));
  ClientScope s;
  IDM_TRY(ReadString(j, "name", true, at, s.name));
  IDM_TRY(ReadString(j, "description", false, at, s.description));
  auto it = j.find("mappers");
  if (it == j.end()) return s;
  if (!it->is_array()) return Err(at + ".mappers: expected an array");
  for (size_t i = 0; i < it->size(); ++i) {
    IDM_ASSIGN_OR_RETURN(ClaimMapper m,
                         MapperFromJson((*it)[i], at + ".mappers[" + std::to_string(i) + "]"));
    s.mappers.push_back(std::move(m));
  }
  return s;
}

}  // namespace

const char* ClaimMapperKindName(ClaimMapperKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<ClaimMapperKind> ParseClaimMapperKind(std::string_view name) {
  for (const auto& [k, n] : kKinds) {
    if (name == n) return k;
  }
  return std::nullopt;
}

Json ClientScopesToJson(const std::vector<ClientScope>& scopes) {
  Json out = Json::array();
  for (const ClientScope& s : scopes) {
    Json mappers = Json::array();
    for (const ClaimMapper& m : s.mappers) {
      mappers.push_back({{"kind", ClaimMapperKindName(m.kind)},
                         {"claim_name", m.claim_name},
                         {"source", m.source},
                         {"client_id", m.client_id},
                         {"in_id_token", m.in_id_token},
                         {"in_access_token", m.in_access_token},
                         {"in_userinfo", m.in_userinfo},
                         {"multivalued", m.multivalued}});
    }
    out.push_back({{"name", s.name}, {"description", s.description}, {"mappers", mappers}});
  }
  return out;
}

Result<std::vector<ClientScope>, std::string> ClientScopesFromJson(const Json& j) {
  if (!j.is_array()) return Err(std::string("expected an array of client scopes"));
  std::vector<ClientScope> out;
  for (size_t i = 0; i < j.size(); ++i) {
    IDM_ASSIGN_OR_RETURN(ClientScope s, ScopeFromJson(j[i], "[" + std::to_string(i) + "]"));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace idm::core
