// RFC 7591 §2 client metadata <-> core::Client; see client_metadata.h.
#include "idm/oauth/client_metadata.h"

#include <algorithm>
#include <sstream>

namespace idm::oauth {
namespace {

using MetadataStatus = core::Result<void, MetadataError>;

constexpr const char* kAttributeFields[] = {"client_uri", "logo_uri",    "tos_uri",
                                            "policy_uri", "software_id", "software_version"};
constexpr const char* kDefaultScope = "openid profile email phone address";

MetadataError InvalidMetadata(std::string description) {
  return {"invalid_client_metadata", std::move(description)};
}

MetadataStatus ReadString(const core::Json& m, const char* name, std::string& out,
                          std::string fallback) {
  auto it = m.find(name);
  if (it == m.end() || it->is_null()) {
    out = std::move(fallback);
    return {};
  }
  if (!it->is_string()) return core::Err(InvalidMetadata(std::string(name) + " must be a string"));
  out = it->get<std::string>();
  return {};
}

MetadataStatus ReadStrings(const core::Json& m, const char* name, std::vector<std::string>& out,
                           std::vector<std::string> fallback) {
  auto it = m.find(name);
  if (it == m.end() || it->is_null()) {
    out = std::move(fallback);
    return {};
  }
  bool ok = it->is_array() &&
            std::all_of(it->begin(), it->end(), [](const core::Json& v) { return v.is_string(); });
  if (!ok) return core::Err(InvalidMetadata(std::string(name) + " must be an array of strings"));
  out = it->get<std::vector<std::string>>();
  return {};
}

MetadataStatus ReadBool(const core::Json& m, const char* name, bool& out) {
  auto it = m.find(name);
  if (it == m.end() || it->is_null()) {
    out = false;
    return {};
  }
  if (!it->is_boolean())
    return core::Err(InvalidMetadata(std::string(name) + " must be a boolean"));
  out = it->get<bool>();
  return {};
}

std::vector<std::string> SplitScope(const std::string& scope) {
  std::vector<std::string> out;
  std::istringstream in(scope);
  for (std::string s; in >> s;) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// RFC 7591 §2.1: grant_types and response_types must agree; idm's authorization endpoint only
// has the code flow (no implicit grant: RFC 9700 §2.1.2).
MetadataStatus CheckResponseTypes(const core::Json& m, const core::Client& c) {
  std::vector<std::string> response_types;
  IDM_TRY(ReadStrings(m, "response_types", response_types, {"code"}));
  for (const std::string& rt : response_types) {
    if (rt != "code")
      return core::Err(InvalidMetadata("response_types: only \"code\" is supported"));
  }
  bool code = Contains(response_types, "code");
  bool authorization_code = Contains(c.grant_types, "authorization_code");
  if (code != authorization_code) {
    return core::Err(InvalidMetadata(
        "grant_types and response_types disagree: authorization_code goes with code (RFC 7591 "
        "§2.1)"));
  }
  return {};
}

MetadataStatus ReadAttributes(const core::Json& m, core::Client& c) {
  for (const char* name : kAttributeFields) {
    std::string v;
    IDM_TRY(ReadString(m, name, v, ""));
    if (v.empty()) {
      c.attributes.erase(name);
    } else {
      c.attributes[name] = {v};
    }
  }
  std::vector<std::string> contacts;
  IDM_TRY(ReadStrings(m, "contacts", contacts, {}));
  if (contacts.empty()) {
    c.attributes.erase("contacts");
  } else {
    c.attributes["contacts"] = contacts;
  }
  return {};
}

MetadataStatus ReadJwks(const core::Json& m, core::Client& c) {
  auto it = m.find("jwks");
  if (it == m.end() || it->is_null()) {
    c.jwks.clear();
  } else if (it->is_object()) {
    c.jwks = it->dump();
  } else {
    return core::Err(InvalidMetadata("jwks must be a JWK Set object (RFC 7517 §5)"));
  }
  return ReadString(m, "jwks_uri", c.jwks_uri, "");
}

}  // namespace

core::Result<void, MetadataError> ApplyMetadata(const core::Json& m, core::Client& c) {
  if (!m.is_object()) return core::Err(InvalidMetadata("the request body must be a JSON object"));
  if (auto r = ReadStrings(m, "redirect_uris", c.redirect_uris, {}); !r) {
    return core::Err(MetadataError{"invalid_redirect_uri", r.error().description});
  }
  // Registration §2; fetched and checked by CheckSectorIdentifierUri (sector_identifier.h).
  IDM_TRY(ReadString(m, "sector_identifier_uri", c.sector_identifier, ""));
  IDM_TRY(ReadStrings(m, "post_logout_redirect_uris", c.post_logout_redirect_uris, {}));
  IDM_TRY(ReadStrings(m, "grant_types", c.grant_types, {"authorization_code"}));
  IDM_TRY(CheckResponseTypes(m, c));
  IDM_TRY(ReadString(m, "token_endpoint_auth_method", c.token_endpoint_auth_method,
                     "client_secret_basic"));
  c.type = c.token_endpoint_auth_method == "none" ? core::ClientType::kPublic
                                                  : core::ClientType::kConfidential;
  std::string scope;
  IDM_TRY(ReadString(m, "scope", scope, kDefaultScope));
  c.scopes = SplitScope(scope);
  IDM_TRY(ReadString(m, "client_name", c.name, ""));
  IDM_TRY(ReadJwks(m, c));
  IDM_TRY(ReadString(m, "subject_type", c.subject_type, "public"));
  IDM_TRY(ReadString(m, "id_token_signed_response_alg", c.id_token_signed_response_alg, ""));
  IDM_TRY(ReadString(m, "frontchannel_logout_uri", c.frontchannel_logout_uri, ""));
  IDM_TRY(ReadString(m, "backchannel_logout_uri", c.backchannel_logout_uri, ""));
  IDM_TRY(
      ReadBool(m, "backchannel_logout_session_required", c.backchannel_logout_session_required));
  return ReadAttributes(m, c);
}

core::Json MetadataOf(const core::Client& c) {
  std::string scope;
  for (const std::string& s : c.scopes) scope += (scope.empty() ? "" : " ") + s;
  bool code = Contains(c.grant_types, "authorization_code");
  core::Json m = {
      {"client_id", c.client_id},
      {"client_id_issued_at", c.created_at / 1000},
      {"client_name", c.name},
      {"redirect_uris", c.redirect_uris},
      {"post_logout_redirect_uris", c.post_logout_redirect_uris},
      {"grant_types", c.grant_types},
      {"response_types", code ? core::Json::array({"code"}) : core::Json::array()},
      {"token_endpoint_auth_method", c.token_endpoint_auth_method},
      {"scope", scope},
      {"subject_type", c.subject_type},
      {"backchannel_logout_session_required", c.backchannel_logout_session_required},
  };
  auto optional = [&m](const char* name, const std::string& v) {
    if (!v.empty()) m[name] = v;
  };
  optional("id_token_signed_response_alg", c.id_token_signed_response_alg);
  optional("jwks_uri", c.jwks_uri);
  optional("sector_identifier_uri", c.sector_identifier);
  optional("frontchannel_logout_uri", c.frontchannel_logout_uri);
  optional("backchannel_logout_uri", c.backchannel_logout_uri);
  if (!c.jwks.empty()) {
    core::Json jwks = core::Json::parse(c.jwks, nullptr, /*allow_exceptions=*/false);
    if (!jwks.is_discarded()) m["jwks"] = std::move(jwks);
  }
  for (const char* name : kAttributeFields) {
    auto it = c.attributes.find(name);
    if (it != c.attributes.end() && !it->second.empty()) m[name] = it->second.front();
  }
  if (auto it = c.attributes.find("contacts"); it != c.attributes.end()) m["contacts"] = it->second;
  return m;
}

}  // namespace idm::oauth
