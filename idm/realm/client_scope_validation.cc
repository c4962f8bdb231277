// Validation of a client's own scopes and claim mappers; see client_validation.h.
#include <set>

#include "idm/realm/client_validation.h"

namespace idm::realm {
namespace {

constexpr size_t kMaxClientScopes = 50;
constexpr size_t kMaxMappersPerScope = 50;
constexpr size_t kMaxClaimNameBytes = 255;
constexpr size_t kMaxSourceBytes = 1024;

// Scopes whose claims OIDC Core §5.4 defines, and offline_access (§11): a client cannot redefine
// them.
const std::set<std::string>& StandardScopes() {
  static const std::set<std::string> kScopes = {"openid", "profile", "email",
                                                "phone",  "address", "offline_access"};
  return kScopes;
}

// Claims the token minting code sets itself (RFC 7519 §4.1, RFC 9068 §2.2, OIDC Core §2 and
// §5.1 `sub`, RFC 9449 `cnf`): a mapper must not override them.
const std::set<std::string>& ReservedClaims() {
  static const std::set<std::string> kClaims = {
      "iss", "sub", "aud",       "exp",   "nbf", "iat",     "jti",    "azp", "nonce", "auth_time",
      "acr", "amr", "client_id", "scope", "typ", "at_hash", "c_hash", "sid", "cnf",   "s_hash"};
  return kClaims;
}

void CheckMapper(const core::ClaimMapper& m, const std::string& field,
                 std::vector<core::FieldViolation>& out) {
  std::vector<std::string> path;
  std::string part;
  bool empty_segment = m.claim_name.empty();
  for (size_t i = 0; i < m.claim_name.size(); ++i) {
    char c = m.claim_name[i];
    if (c == '\\' && i + 1 < m.claim_name.size() && m.claim_name[i + 1] == '.') {
      part.push_back('.');
      ++i;
    } else if (c == '.') {
      empty_segment = empty_segment || part.empty();
      path.push_back(std::move(part));
      part.clear();
    } else {
      part.push_back(c);
    }
  }
  empty_segment = empty_segment || part.empty();
  path.push_back(std::move(part));
  if (m.claim_name.size() > kMaxClaimNameBytes || empty_segment) {
    out.push_back({field + ".claim_name", "must be 1..255 bytes of non-empty dotted segments"});
  } else if (ReservedClaims().count(path.front())) {
    out.push_back({field + ".claim_name", "names a claim idm sets itself"});
  }
  bool needs_source = m.kind == core::ClaimMapperKind::kUserAttribute ||
                      m.kind == core::ClaimMapperKind::kFixedValue;
  if (needs_source && m.source.empty()) {
    out.push_back({field + ".source", "required for user_attribute and fixed_value mappers"});
  }
  if (m.source.size() > kMaxSourceBytes) {
    out.push_back({field + ".source", "must be at most 1024 bytes"});
  }
  if (m.kind == core::ClaimMapperKind::kClientRoles && !IsValidClientId(m.client_id)) {
    out.push_back({field + ".client_id", "client_roles mappers name a client_id"});
  }
  if (!m.in_id_token && !m.in_access_token && !m.in_userinfo) {
    out.push_back(
        {field, "must add its claim to at least one of ID token, access token, UserInfo"});
  }
}

}  // namespace

void AppendClientScopeViolations(const core::Client& c, std::vector<core::FieldViolation>& out) {
  if (c.client_scopes.size() > kMaxClientScopes) {
    out.push_back({"client_scopes", "at most 50 client scopes"});
    return;
  }
  std::set<std::string> allowed(c.scopes.begin(), c.scopes.end());
  std::set<std::string> seen;
  for (size_t i = 0; i < c.client_scopes.size(); ++i) {
    const core::ClientScope& s = c.client_scopes[i];
    std::string field = "client_scopes[" + std::to_string(i) + "]";
    if (!IsScopeToken(s.name)) {
      out.push_back({field + ".name", "not a scope token (RFC 6749 §3.3)"});
    } else if (StandardScopes().count(s.name)) {
      out.push_back({field + ".name", "standard OpenID Connect scopes cannot be redefined"});
    } else if (!seen.insert(s.name).second) {
      out.push_back({field + ".name", "defined twice"});
    } else if (!allowed.count(s.name)) {
      out.push_back({field + ".name", "must also be listed in scopes"});
    }
    if (s.description.size() > 1024) {
      out.push_back({field + ".description", "must be at most 1024 bytes"});
    }
    if (s.mappers.size() > kMaxMappersPerScope) {
      out.push_back({field + ".mappers", "at most 50 mappers per scope"});
      continue;
    }
    for (size_t j = 0; j < s.mappers.size(); ++j) {
      CheckMapper(s.mappers[j], field + ".mappers[" + std::to_string(j) + "]", out);
    }
  }
}

}  // namespace idm::realm
