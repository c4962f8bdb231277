// ClientRepo over portable SQL. String lists and attributes are JSON TEXT; the secret is stored
// only as the hash the caller computed (ARCHITECTURE.md decision 4). Listed by (client_id, id);
// prefix search on the lower-cased client_id and name.
#include "idm/core/client_scopes_json.h"
#include "idm/store/repos/common.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store::repos {
namespace {

constexpr char kClientCols[] =
    "id, realm_id, client_id, name, description, enabled, type, secret_hash, redirect_uris, "
    "post_logout_redirect_uris, grant_types, token_endpoint_auth_method, scopes, attributes, "
    "created_at, updated_at, version, require_pkce, consent_required, "
    "id_token_signed_response_alg, subject_type, sector_identifier, jwks, jwks_uri, "
    "frontchannel_logout_uri, backchannel_logout_uri, backchannel_logout_session_required, "
    "default_scopes, access_token_ttl_s, refresh_token_ttl_s, client_scopes, require_mfa, "
    "require_phishing_resistant";

// The client's own scopes and claim mappers (column 30; migration 0003), JSON text.
Status ClientScopesFromRow(const sql::Rows& r, size_t i, core::Client& c) {
  core::Json j = core::Json::parse(r.Text(i, 30), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Corrupt("stored client scopes are not JSON");
  auto scopes = core::ClientScopesFromJson(j);
  if (!scopes) return Corrupt("stored client scopes are malformed: " + scopes.error());
  c.client_scopes = std::move(*scopes);
  c.require_mfa = r.Int(i, 31) != 0;  // columns 31..32: migration 0007
  c.require_phishing_resistant = r.Int(i, 32) != 0;
  return {};
}

// The OIDC settings (columns 17..29 of kClientCols; migration 0002).
Status OidcFromRow(const sql::Rows& r, size_t i, core::Client& c) {
  c.require_pkce = r.Int(i, 17) != 0;
  c.consent_required = r.Int(i, 18) != 0;
  c.id_token_signed_response_alg = r.Text(i, 19);
  c.subject_type = r.Text(i, 20);
  c.sector_identifier = r.Text(i, 21);
  c.jwks = r.Text(i, 22);
  c.jwks_uri = r.Text(i, 23);
  c.frontchannel_logout_uri = r.Text(i, 24);
  c.backchannel_logout_uri = r.Text(i, 25);
  c.backchannel_logout_session_required = r.Int(i, 26) != 0;
  IDM_ASSIGN_OR_RETURN(c.default_scopes, DecodeStrings(r.Text(i, 27)));
  c.access_token_ttl_s = r.Int(i, 28);
  c.refresh_token_ttl_s = r.Int(i, 29);
  return ClientScopesFromRow(r, i, c);
}

// The OIDC settings as parameters, in the column order of kOidcSet.
std::vector<sql::Value> OidcValues(const core::Client& c) {
  return {Bool(c.require_pkce),
          Bool(c.consent_required),
          c.id_token_signed_response_alg,
          c.subject_type,
          c.sector_identifier,
          c.jwks,
          c.jwks_uri,
          c.frontchannel_logout_uri,
          c.backchannel_logout_uri,
          Bool(c.backchannel_logout_session_required),
          EncodeStrings(c.default_scopes),
          Int(c.access_token_ttl_s),
          Int(c.refresh_token_ttl_s),
          core::ClientScopesToJson(c.client_scopes).dump(),
          Bool(c.require_mfa),
          Bool(c.require_phishing_resistant)};
}

// Writes the OIDC settings of the client (id, realm_id) in a second statement of the caller's
// transaction, so the long INSERT/UPDATE of 0001's columns stays readable.
Status WriteOidc(sql::Connection& conn, const core::Client& c) {
  std::vector<sql::Value> p = OidcValues(c);
  p.push_back(c.realm_id);
  p.push_back(c.id);
  IDM_ASSIGN_OR_RETURN(
      int64_t n,
      Exec(conn,
           "UPDATE clients SET require_pkce = $1, consent_required = $2, "
           "id_token_signed_response_alg = $3, subject_type = $4, sector_identifier = $5, "
           "jwks = $6, jwks_uri = $7, frontchannel_logout_uri = $8, backchannel_logout_uri = $9, "
           "backchannel_logout_session_required = $10, default_scopes = $11, "
           "access_token_ttl_s = $12, refresh_token_ttl_s = $13, client_scopes = $14, "
           "require_mfa = $15, require_phishing_resistant = $16 "
           "WHERE realm_id = $17 AND id = $18",
           p));
  if (n == 0) return NotFound("client not found");
  return {};
}

Result<core::Client> ClientFromRow(const sql::Rows& r, size_t i) {
  core::Client c;
  c.id = r.Text(i, 0);
  c.realm_id = r.Text(i, 1);
  c.client_id = r.Text(i, 2);
  c.name = r.Text(i, 3);
  c.description = r.Text(i, 4);
  c.enabled = r.Int(i, 5) != 0;
  int64_t type = r.Int(i, 6);
  if (type != static_cast<int64_t>(core::ClientType::kConfidential) &&
      type != static_cast<int64_t>(core::ClientType::kPublic)) {
    return Corrupt("stored client type is unknown");
  }
  c.type = static_cast<core::ClientType>(type);
  c.secret_hash = r.Text(i, 7);
  IDM_ASSIGN_OR_RETURN(c.redirect_uris, DecodeStrings(r.Text(i, 8)));
  IDM_ASSIGN_OR_RETURN(c.post_logout_redirect_uris, DecodeStrings(r.Text(i, 9)));
  IDM_ASSIGN_OR_RETURN(c.grant_types, DecodeStrings(r.Text(i, 10)));
  c.token_endpoint_auth_method = r.Text(i, 11);
  IDM_ASSIGN_OR_RETURN(c.scopes, DecodeStrings(r.Text(i, 12)));
  IDM_ASSIGN_OR_RETURN(c.attributes, DecodeAttributes(r.Text(i, 13)));
  c.created_at = r.Int(i, 14);
  c.updated_at = r.Int(i, 15);
  c.version = r.Int(i, 16);
  IDM_TRY(OidcFromRow(r, i, c));
  return c;
}

class SqlClientRepo final : public ClientRepo {
 public:
  explicit SqlClientRepo(sql::Connection& c) : c_(c) {}

  Result<core::Client> Create(const core::Client& client) override {
    core::Client out = client;
    out.version = 1;
    auto r = Exec(
        c_,
        "INSERT INTO clients (id, realm_id, client_id, client_id_lower, name, "
        "name_lower, description, enabled, type, secret_hash, redirect_uris, "
        "post_logout_redirect_uris, grant_types, token_endpoint_auth_method, scopes, "
        "attributes, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
        {out.id, out.realm_id, out.client_id, AsciiLower(out.client_id), out.name,
         AsciiLower(out.name), out.description, Bool(out.enabled),
         Int(static_cast<int64_t>(out.type)), out.secret_hash, EncodeStrings(out.redirect_uris),
         EncodeStrings(out.post_logout_redirect_uris), EncodeStrings(out.grant_types),
         out.token_endpoint_auth_method, EncodeStrings(out.scopes),
         EncodeAttributes(out.attributes), out.created_at, out.updated_at, out.version});
    if (!r) return WithMessage(r.error(), "client_id is taken, or the realm is absent");
    IDM_TRY(WriteOidc(c_, out));
    return out;
  }

  Result<core::Client> Get(const std::string& realm_id, const std::string& id) override {
    return One("realm_id = $1 AND id = $2", realm_id, id);
  }

  Result<core::Client> GetByClientId(const std::string& realm_id,
                                     const std::string& client_id) override {
    return One("realm_id = $1 AND client_id = $2", realm_id, client_id);
  }

  Result<Page<core::Client>> List(const std::string& realm_id, const ListQuery& q) override {
    std::string prefix = AsciiLower(q.prefix);
    std::string tag = "clients/" + realm_id + "/" + prefix;
    IDM_ASSIGN_OR_RETURN(PageStart p, StartPage(q, tag));
    QueryBuilder b("SELECT " + std::string(kClientCols) + " FROM clients WHERE realm_id = ");
    b.Add(b.Param(realm_id));
    AddPrefixFilter(b, prefix, {"client_id_lower", "name_lower"});
    AddPaging(b, p, "client_id");
    IDM_ASSIGN_OR_RETURN(auto rows, Query(c_, b));
    Page<core::Client> page;
    size_t n = std::min(rows.size(), static_cast<size_t>(p.limit));
    for (size_t i = 0; i < n; ++i) {
      IDM_ASSIGN_OR_RETURN(auto c, ClientFromRow(rows, i));
      page.items.push_back(std::move(c));
    }
    if (rows.size() > n) {
      page.next_cursor = MakeCursor(tag, page.items.back().client_id, page.items.back().id);
    }
    return page;
  }

  Result<core::Client> Update(const core::Client& c) override {
    auto n =
        Exec(c_,
             "UPDATE clients SET client_id = $1, client_id_lower = $2, name = $3, "
             "name_lower = $4, description = $5, enabled = $6, type = $7, secret_hash = $8, "
             "redirect_uris = $9, post_logout_redirect_uris = $10, grant_types = $11, "
             "token_endpoint_auth_method = $12, scopes = $13, attributes = $14, "
             "updated_at = $15, version = version + 1 "
             "WHERE realm_id = $16 AND id = $17 AND version = $18",
             {c.client_id, AsciiLower(c.client_id), c.name, AsciiLower(c.name), c.description,
              Bool(c.enabled), Int(static_cast<int64_t>(c.type)), c.secret_hash,
              EncodeStrings(c.redirect_uris), EncodeStrings(c.post_logout_redirect_uris),
              EncodeStrings(c.grant_types), c.token_endpoint_auth_method, EncodeStrings(c.scopes),
              EncodeAttributes(c.attributes), c.updated_at, c.realm_id, c.id, c.version});
    if (!n) return WithMessage(n.error(), "client_id is taken");
    if (*n == 0) {
      return NoRowUpdated(c_, "SELECT id FROM clients WHERE realm_id = $1 AND id = $2",
                          {c.realm_id, c.id}, "client");
    }
    IDM_TRY(WriteOidc(c_, c));
    return Get(c.realm_id, c.id);
  }

  Status Delete(const std::string& realm_id, const std::string& id) override {
    IDM_ASSIGN_OR_RETURN(
        int64_t n, Exec(c_, "DELETE FROM clients WHERE realm_id = $1 AND id = $2", {realm_id, id}));
    if (n == 0) return NotFound("client not found");
    return {};
  }

 private:
  Result<core::Client> One(const std::string& where, const std::string& a, const std::string& b) {
    IDM_ASSIGN_OR_RETURN(
        auto rows,
        Query(c_, "SELECT " + std::string(kClientCols) + " FROM clients WHERE " + where, {a, b}));
    if (rows.empty()) return NotFound("client not found");
    return ClientFromRow(rows, 0);
  }

  sql::Connection& c_;
};

}  // namespace

std::unique_ptr<ClientRepo> NewClientRepo(sql::Connection& c) {
  return std::make_unique<SqlClientRepo>(c);
}

}  // namespace idm::store::repos
