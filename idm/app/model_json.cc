#include "idm/app/model_json.h"

#include "idm/core/client_scopes_json.h"
#include "idm/core/realm_settings_json.h"

namespace idm::app {
namespace {

using core::Json;

template <class T>
T Opt(const Json& j, const char* key, T fallback) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

}  // namespace

Json ToJson(const core::RealmSettings& s) { return core::RealmSettingsToJson(s); }

Json ToJson(const core::Realm& r) {
  return Json{{"id", r.id},           {"name", r.name},
              {"display_name", r.display_name}, {"enabled", r.enabled},
              {"settings", ToJson(r.settings)}, {"created_at", r.created_at},
              {"updated_at", r.updated_at},     {"version", r.version}};
}

Json ToJson(const core::User& u) {
  return Json{{"id", u.id},
              {"username", u.username},
              {"email", u.email},
              {"email_verified", u.email_verified},
              {"first_name", u.first_name},
              {"last_name", u.last_name},
              {"enabled", u.enabled},
              {"attributes", u.attributes},
              {"created_at", u.created_at},
              {"updated_at", u.updated_at},
              {"version", u.version}};
}

Json ToJson(const core::Group& g) {
  return Json{{"id", g.id},
              {"parent_id", g.parent_id ? Json(*g.parent_id) : Json(nullptr)},
              {"name", g.name},
              {"attributes", g.attributes},
              {"created_at", g.created_at},
              {"updated_at", g.updated_at},
              {"version", g.version}};
}

Json ToJson(const core::Role& r) {
  return Json{{"id", r.id},
              {"client_id", r.client_id ? Json(*r.client_id) : Json(nullptr)},
              {"name", r.name},
              {"description", r.description},
              {"require_mfa", r.require_mfa},
              {"created_at", r.created_at},
              {"updated_at", r.updated_at},
              {"version", r.version}};
}

namespace {

// The OIDC settings of a client (OIDC Dynamic Client Registration 1.0 §2 names).
void AddOidcSettings(const core::Client& c, Json& j) {
  j["require_pkce"] = c.require_pkce;
  j["consent_required"] = c.consent_required;
  j["id_token_signed_response_alg"] = c.id_token_signed_response_alg;
  j["subject_type"] = c.subject_type;
  j["sector_identifier"] = c.sector_identifier;
  j["jwks"] = c.jwks;
  j["jwks_uri"] = c.jwks_uri;
  j["frontchannel_logout_uri"] = c.frontchannel_logout_uri;
  j["backchannel_logout_uri"] = c.backchannel_logout_uri;
  j["backchannel_logout_session_required"] = c.backchannel_logout_session_required;
  j["default_scopes"] = c.default_scopes;
  j["access_token_ttl_s"] = c.access_token_ttl_s;
  j["refresh_token_ttl_s"] = c.refresh_token_ttl_s;
  j["client_scopes"] = core::ClientScopesToJson(c.client_scopes);
  j["require_mfa"] = c.require_mfa;
  j["require_phishing_resistant"] = c.require_phishing_resistant;
}

// Absent keys keep the secure defaults of core::Client (exports from before 0002 lack them).
void ReadOidcSettings(const Json& j, core::Client& c) {
  c.require_pkce = Opt(j, "require_pkce", c.require_pkce);
  c.consent_required = Opt(j, "consent_required", c.consent_required);
  c.id_token_signed_response_alg =
      Opt<std::string>(j, "id_token_signed_response_alg", c.id_token_signed_response_alg);
  c.subject_type = Opt<std::string>(j, "subject_type", c.subject_type);
  c.sector_identifier = Opt<std::string>(j, "sector_identifier", c.sector_identifier);
  c.jwks = Opt<std::string>(j, "jwks", c.jwks);
  c.jwks_uri = Opt<std::string>(j, "jwks_uri", c.jwks_uri);
  c.frontchannel_logout_uri =
      Opt<std::string>(j, "frontchannel_logout_uri", c.frontchannel_logout_uri);
  c.backchannel_logout_uri = Opt<std::string>(j, "backchannel_logout_uri", c.backchannel_logout_uri);
  c.backchannel_logout_session_required =
      Opt(j, "backchannel_logout_session_required", c.backchannel_logout_session_required);
  c.default_scopes = Opt(j, "default_scopes", c.default_scopes);
  c.access_token_ttl_s = Opt<int64_t>(j, "access_token_ttl_s", c.access_token_ttl_s);
  c.refresh_token_ttl_s = Opt<int64_t>(j, "refresh_token_ttl_s", c.refresh_token_ttl_s);
  c.require_mfa = Opt(j, "require_mfa", c.require_mfa);  // absent before 0007
  c.require_phishing_resistant =
      Opt(j, "require_phishing_resistant", c.require_phishing_resistant);
  // Exports from before 0003 lack client_scopes. A malformed value fails like every other
  // malformed field of an export: with a nlohmann exception that the import turns into kInvalid.
  if (auto it = j.find("client_scopes"); it != j.end()) {
    auto scopes = core::ClientScopesFromJson(*it);
    if (!scopes) {
      throw Json::other_error::create(501, "client_scopes" + scopes.error(), &j);
    }
    c.client_scopes = std::move(*scopes);
  }
}

}  // namespace

Json ToJson(const core::Client& c, bool with_secret_hash) {
  Json j{{"id", c.id},
         {"client_id", c.client_id},
         {"name", c.name},
         {"description", c.description},
         {"enabled", c.enabled},
         {"type", c.type == core::ClientType::kPublic ? "public" : "confidential"},
         {"redirect_uris", c.redirect_uris},
         {"post_logout_redirect_uris", c.post_logout_redirect_uris},
         {"grant_types", c.grant_types},
         {"token_endpoint_auth_method", c.token_endpoint_auth_method},
         {"scopes", c.scopes},
         {"attributes", c.attributes},
         {"created_at", c.created_at},
         {"updated_at", c.updated_at},
         {"version", c.version}};
  AddOidcSettings(c, j);
  if (with_secret_hash) j["secret_hash"] = c.secret_hash;
  return j;
}

core::RealmSettings RealmSettingsFromJson(const Json& j) {
  core::RealmSettings s;
  core::ReadRealmSettings(j, s);
  return s;
}

core::User UserFromJson(const Json& j) {
  core::User u;
  u.id = j.at("id").get<std::string>();
  u.username = j.at("username").get<std::string>();
  u.email = Opt<std::string>(j, "email", "");
  u.email_verified = Opt(j, "email_verified", false);
  u.first_name = Opt<std::string>(j, "first_name", "");
  u.last_name = Opt<std::string>(j, "last_name", "");
  u.enabled = Opt(j, "enabled", true);
  u.attributes = Opt(j, "attributes", core::Attributes{});
  u.created_at = Opt<int64_t>(j, "created_at", 0);
  return u;
}

core::Group GroupFromJson(const Json& j) {
  core::Group g;
  g.id = j.at("id").get<std::string>();
  g.name = j.at("name").get<std::string>();
  if (j.contains("parent_id") && !j.at("parent_id").is_null()) {
    g.parent_id = j.at("parent_id").get<std::string>();
  }
  g.attributes = Opt(j, "attributes", core::Attributes{});
  g.created_at = Opt<int64_t>(j, "created_at", 0);
  return g;
}

core::Role RoleFromJson(const Json& j) {
  core::Role r;
  r.id = j.at("id").get<std::string>();
  r.name = j.at("name").get<std::string>();
  if (j.contains("client_id") && !j.at("client_id").is_null()) {
    r.client_id = j.at("client_id").get<std::string>();
  }
  r.description = Opt<std::string>(j, "description", "");
  r.require_mfa = Opt(j, "require_mfa", false);  // absent in exports from before 0007
  r.created_at = Opt<int64_t>(j, "created_at", 0);
  return r;
}

core::Client ClientFromJson(const Json& j) {
  core::Client c;
  c.id = j.at("id").get<std::string>();
  c.client_id = j.at("client_id").get<std::string>();
  c.name = Opt<std::string>(j, "name", "");
  c.description = Opt<std::string>(j, "description", "");
  c.enabled = Opt(j, "enabled", true);
  c.type = Opt<std::string>(j, "type", "confidential") == "public" ? core::ClientType::kPublic
                                                                    : core::ClientType::kConfidential;
  c.secret_hash = Opt<std::string>(j, "secret_hash", "");
  c.redirect_uris = Opt(j, "redirect_uris", std::vector<std::string>{});
  c.post_logout_redirect_uris = Opt(j, "post_logout_redirect_uris", std::vector<std::string>{});
  c.grant_types = Opt(j, "grant_types", std::vector<std::string>{});
  c.token_endpoint_auth_method =
      Opt<std::string>(j, "token_endpoint_auth_method", c.token_endpoint_auth_method);
  c.scopes = Opt(j, "scopes", std::vector<std::string>{});
  c.attributes = Opt(j, "attributes", core::Attributes{});
  ReadOidcSettings(j, c);
  c.created_at = Opt<int64_t>(j, "created_at", 0);
  return c;
}

}  // namespace idm::app
