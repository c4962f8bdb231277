// JSON representations and body readers; see representation.h.
#include "idm/admin/representation.h"

#include "idm/admin/json_fields.h"
#include "idm/core/client_scopes_json.h"
#include "idm/core/realm_settings_json.h"

namespace idm::admin {
namespace {

using core::Json;

Json AttributesToJson(const core::Attributes& attributes) {
  Json out = Json::object();
  for (const auto& [key, values] : attributes) out[key] = values;
  return out;
}

void AddMeta(Json& out, const std::string& id, core::UnixMillis created, core::UnixMillis updated,
             int64_t version) {
  out["id"] = id;
  out["created_at"] = created;
  out["updated_at"] = updated;
  out["version"] = version;
}

void IgnoreMeta(FieldReader& r) {
  for (const char* name : {"id", "created_at", "updated_at", "version"}) r.Ignore(name);
}

// One field of a settings object through FieldReader, by the member's type.
struct ReadField {
  FieldReader& r;
  void operator()(std::string_view name, int64_t& v) const { r.Int(name, v); }
  void operator()(std::string_view name, int& v) const { r.Int(name, v); }
  void operator()(std::string_view name, bool& v) const { r.Bool(name, v); }
  void operator()(std::string_view name, std::string& v) const { r.String(name, v); }
  void operator()(std::string_view name, std::vector<std::string>& v) const {
    r.StringList(name, v);
  }
};

void ReadSettings(FieldReader& r, core::RealmSettings& s) {
  core::VisitRealmSettings(s, ReadField{r});
  r.Object("password_policy", [&](FieldReader& nested) {
    core::VisitPasswordPolicy(s.password_policy, ReadField{nested});
  });
}

const char* ClientTypeName(core::ClientType type) {
  return type == core::ClientType::kPublic ? "public" : "confidential";
}

}  // namespace

Json RealmToJson(const core::Realm& realm) {
  Json out = {{"name", realm.name},
              {"display_name", realm.display_name},
              {"enabled", realm.enabled},
              {"settings", core::RealmSettingsToJson(realm.settings)}};
  AddMeta(out, realm.id, realm.created_at, realm.updated_at, realm.version);
  return out;
}

Json UserToJson(const core::User& user) {
  Json out = {{"username", user.username},
              {"email", user.email},
              {"email_verified", user.email_verified},
              {"first_name", user.first_name},
              {"last_name", user.last_name},
              {"enabled", user.enabled},
              {"attributes", AttributesToJson(user.attributes)}};
  AddMeta(out, user.id, user.created_at, user.updated_at, user.version);
  return out;
}

Json GroupToJson(const core::Group& group) {
  Json out = {{"name", group.name},
              {"parent_id", group.parent_id ? Json(*group.parent_id) : Json(nullptr)},
              {"attributes", AttributesToJson(group.attributes)}};
  AddMeta(out, group.id, group.created_at, group.updated_at, group.version);
  return out;
}

Json RoleToJson(const core::Role& role) {
  Json out = {{"name", role.name},
              {"description", role.description},
              {"client_id", role.client_id ? Json(*role.client_id) : Json(nullptr)},
              {"require_mfa", role.require_mfa}};
  AddMeta(out, role.id, role.created_at, role.updated_at, role.version);
  return out;
}

namespace {

// The OIDC settings (names of OIDC Dynamic Client Registration 1.0 §2). `jwks` is a JWK Set
// object (RFC 7517 §5), or null when the client has none.
void AddClientOidcSettings(const core::Client& c, Json& out) {
  Json jwks = c.jwks.empty() ? Json(nullptr) : Json::parse(c.jwks, nullptr, false);
  if (jwks.is_discarded()) jwks = nullptr;  // validated on write; never render a broken value
  out["require_pkce"] = c.require_pkce;
  out["consent_required"] = c.consent_required;
  out["id_token_signed_response_alg"] = c.id_token_signed_response_alg;
  out["subject_type"] = c.subject_type;
  out["sector_identifier"] = c.sector_identifier;
  out["jwks"] = std::move(jwks);
  out["jwks_uri"] = c.jwks_uri;
  out["frontchannel_logout_uri"] = c.frontchannel_logout_uri;
  out["backchannel_logout_uri"] = c.backchannel_logout_uri;
  out["backchannel_logout_session_required"] = c.backchannel_logout_session_required;
  out["default_scopes"] = c.default_scopes;
  out["access_token_ttl_s"] = c.access_token_ttl_s;
  out["refresh_token_ttl_s"] = c.refresh_token_ttl_s;
  out["client_scopes"] = core::ClientScopesToJson(c.client_scopes);
  out["require_mfa"] = c.require_mfa;  // docs/design/020
  out["require_phishing_resistant"] = c.require_phishing_resistant;
}

// Reads the OIDC settings; `jwks` must be an object or null (null clears it).
void ReadClientOidcSettings(const Json& body, FieldReader& r, core::Client& c) {
  r.Bool("require_pkce", c.require_pkce);
  r.Bool("consent_required", c.consent_required);
  r.String("id_token_signed_response_alg", c.id_token_signed_response_alg);
  r.String("subject_type", c.subject_type);
  r.String("sector_identifier", c.sector_identifier);
  r.Ignore("jwks");
  if (auto it = body.find("jwks"); it != body.end()) {
    if (it->is_null()) {
      c.jwks.clear();
    } else if (it->is_object()) {
      c.jwks = it->dump();
    } else {
      r.AddViolation("jwks", "expected a JWK Set object or null");
    }
  }
  r.String("jwks_uri", c.jwks_uri);
  r.String("frontchannel_logout_uri", c.frontchannel_logout_uri);
  r.String("backchannel_logout_uri", c.backchannel_logout_uri);
  r.Bool("backchannel_logout_session_required", c.backchannel_logout_session_required);
  r.StringList("default_scopes", c.default_scopes);
  r.Int("access_token_ttl_s", c.access_token_ttl_s);
  r.Int("refresh_token_ttl_s", c.refresh_token_ttl_s);
  r.Bool("require_mfa", c.require_mfa);
  r.Bool("require_phishing_resistant", c.require_phishing_resistant);
  r.Ignore("client_scopes");
  if (auto it = body.find("client_scopes"); it != body.end()) {
    auto scopes = core::ClientScopesFromJson(*it);
    if (scopes) {
      c.client_scopes = std::move(*scopes);
    } else {
      r.AddViolation("client_scopes", scopes.error());
    }
  }
}

}  // namespace

Json ClientToJson(const core::Client& c) {
  Json out = {{"client_id", c.client_id},
              {"name", c.name},
              {"description", c.description},
              {"enabled", c.enabled},
              {"type", ClientTypeName(c.type)},
              {"redirect_uris", c.redirect_uris},
              {"post_logout_redirect_uris", c.post_logout_redirect_uris},
              {"grant_types", c.grant_types},
              {"token_endpoint_auth_method", c.token_endpoint_auth_method},
              {"scopes", c.scopes},
              {"attributes", AttributesToJson(c.attributes)}};
  AddClientOidcSettings(c, out);
  AddMeta(out, c.id, c.created_at, c.updated_at, c.version);
  return out;
}

Json AuditEventToJson(const core::AuditEvent& e) {
  Json details = Json::parse(e.details, nullptr, /*allow_exceptions=*/false);
  if (details.is_discarded() || !details.is_object()) details = Json::object();
  return {{"seq", e.seq},
          {"id", e.id},
          {"time", e.time},
          {"type", e.type},
          {"actor", e.actor},
          {"resource_type", e.resource_type},
          {"resource_id", e.resource_id},
          {"details", std::move(details)},
          {"client_ip", e.client_ip},
          {"request_id", e.request_id},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

core::ServiceStatus ReadRealm(const Json& body, core::Realm& realm) {
  FieldReader r(body);
  r.String("name", realm.name);
  r.String("display_name", realm.display_name);
  r.Bool("enabled", realm.enabled);
  r.Object("settings", [&](FieldReader& nested) { ReadSettings(nested, realm.settings); });
  IgnoreMeta(r);
  return r.Finish();
}

core::ServiceStatus ReadUser(const Json& body, core::User& user,
                             std::optional<std::string>* password) {
  FieldReader r(body);
  r.String("username", user.username);
  r.String("email", user.email);
  r.Bool("email_verified", user.email_verified);
  r.String("first_name", user.first_name);
  r.String("last_name", user.last_name);
  r.Bool("enabled", user.enabled);
  r.Attributes("attributes", user.attributes);
  if (password != nullptr) r.OptionalString("password", *password);
  IgnoreMeta(r);
  return r.Finish();
}

core::ServiceStatus ReadGroup(const Json& body, core::Group& group) {
  FieldReader r(body);
  r.String("name", group.name);
  r.OptionalString("parent_id", group.parent_id);
  r.Attributes("attributes", group.attributes);
  IgnoreMeta(r);
  return r.Finish();
}

core::ServiceStatus ReadRole(const Json& body, core::Role& role) {
  FieldReader r(body);
  r.String("name", role.name);
  r.String("description", role.description);
  r.Bool("require_mfa", role.require_mfa);
  r.Ignore("client_id");  // fixed by where the role was created
  IgnoreMeta(r);
  return r.Finish();
}

core::ServiceStatus ReadClient(const Json& body, core::Client& c) {
  FieldReader r(body);
  r.String("client_id", c.client_id);
  r.String("name", c.name);
  r.String("description", c.description);
  r.Bool("enabled", c.enabled);
  std::string type = ClientTypeName(c.type);
  r.String("type", type);
  if (type == "public") {
    c.type = core::ClientType::kPublic;
  } else if (type == "confidential") {
    c.type = core::ClientType::kConfidential;
  } else {
    r.AddViolation("type", "must be \"confidential\" or \"public\"");
  }
  r.StringList("redirect_uris", c.redirect_uris);
  r.StringList("post_logout_redirect_uris", c.post_logout_redirect_uris);
  r.StringList("grant_types", c.grant_types);
  r.String("token_endpoint_auth_method", c.token_endpoint_auth_method);
  r.StringList("scopes", c.scopes);
  r.Attributes("attributes", c.attributes);
  ReadClientOidcSettings(body, r, c);
  // A public client authenticates with nothing (RFC 8252 §8.4); spare callers from saying so.
  if (c.type == core::ClientType::kPublic && !body.contains("token_endpoint_auth_method")) {
    c.token_endpoint_auth_method = "none";
  }
  IgnoreMeta(r);
  return r.Finish();
}

core::ServiceResult<std::string> ReadRoleRef(const Json& body) {
  std::optional<std::string> role_id;
  FieldReader r(body);
  r.OptionalString("role_id", role_id);
  if (!role_id || role_id->empty()) r.AddViolation("role_id", "required");
  IDM_TRY(r.Finish());
  return *role_id;
}

Json UpdateDocument(const std::string& method, const Json& current, const Json& body) {
  if (method != "PATCH") return body;
  Json merged = current;
  merged.merge_patch(body);
  return merged;
}

}  // namespace idm::admin
