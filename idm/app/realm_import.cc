// ImportRealm (realm_transfer.h): everything in one read-write transaction.
#include <map>
#include <set>

#include "idm/app/model_json.h"
#include "idm/app/realm_transfer.h"
#include "idm/mail/smtp_settings_service.h"
#include "idm/realm/client_validation.h"
#include "idm/realm/service_support.h"

namespace idm::app {
namespace {

using core::Json;
using Status = core::Result<void, TransferError>;

TransferError Fail(TransferErrorCode code, std::string m) { return {code, std::move(m)}; }

TransferError ImportStoreError(const store::Error& e, const std::string& what) {
  switch (e.code) {
    case store::ErrorCode::kConflict:
      return Fail(TransferErrorCode::kAlreadyExists, what + " already exists in the target");
    case store::ErrorCode::kNotFound:
      return Fail(TransferErrorCode::kInvalid, what + " refers to an object missing from the file");
    case store::ErrorCode::kUnavailable:
      return Fail(TransferErrorCode::kUnavailable, e.message);
    default:
      return Fail(TransferErrorCode::kInternal, what + ": " + e.message);
  }
}

template <class R>
Status Check(const R& r, const std::string& what) {
  if (!r) return ImportStoreError(r.error(), what);
  return {};
}

struct Importer {
  store::Transaction& tx;
  const core::OpContext& ctx;
  std::string realm_id;
  ImportSummary summary;

  Status Users(const Json& users) {
    for (const Json& j : users) {
      core::User u = UserFromJson(j);
      u.realm_id = realm_id;
      u.updated_at = ctx.now;
      if (u.created_at == 0) u.created_at = ctx.now;
      IDM_TRY(Check(tx.users().Create(u), "user " + u.username));
      if (j.contains("password_hash")) {
        std::string phc = j.at("password_hash").get<std::string>();
        if (phc.rfind("$argon2", 0) != 0) {
          return Fail(TransferErrorCode::kInvalid,
                      "user " + u.username + ": password_hash is not an Argon2 PHC string");
        }
        IDM_TRY(Check(tx.users().SetPasswordHash(realm_id, u.id, phc, ctx.now), "password"));
      }
      ++summary.users;
    }
    return {};
  }

  Status Clients(const Json& clients) {
    for (const Json& j : clients) {
      std::string type = j.value("type", "confidential");
      if (type != "public" && type != "confidential") {
        return Fail(TransferErrorCode::kInvalid, "client type must be public or confidential");
      }
      core::Client c = ClientFromJson(j);
      if (!c.secret_hash.empty() && c.secret_hash.rfind("sha256:", 0) != 0) {
        return Fail(TransferErrorCode::kInvalid, "client " + c.client_id + ": bad secret_hash");
      }
      // An edited file must not install OIDC settings the admin API would refuse.
      std::vector<core::FieldViolation> oidc;
      realm::AppendOidcViolations(c, oidc);
      if (!oidc.empty()) {
        return Fail(TransferErrorCode::kInvalid,
                    "client " + c.client_id + ": " + oidc[0].field + ": " + oidc[0].message);
      }
      c.realm_id = realm_id;
      c.updated_at = ctx.now;
      if (c.created_at == 0) c.created_at = ctx.now;
      IDM_TRY(Check(tx.clients().Create(c), "client " + c.client_id));
      ++summary.clients;
    }
    return {};
  }

  Status Roles(const Json& roles) {
    for (const Json& j : roles) {
      core::Role r = RoleFromJson(j);
      r.realm_id = realm_id;
      r.updated_at = ctx.now;
      if (r.created_at == 0) r.created_at = ctx.now;
      IDM_TRY(Check(tx.roles().Create(r), "role " + r.name));
      ++summary.roles;
    }
    return {};
  }

  // Parents before children, whatever the order in the file.
  Status Groups(const Json& groups) {
    std::vector<core::Group> pending;
    for (const Json& j : groups) pending.push_back(GroupFromJson(j));
    std::set<std::string> created;
    while (!pending.empty()) {
      std::vector<core::Group> later;
      for (core::Group& g : pending) {
        if (g.parent_id && !created.count(*g.parent_id)) {
          later.push_back(std::move(g));
          continue;
        }
        g.realm_id = realm_id;
        g.updated_at = ctx.now;
        if (g.created_at == 0) g.created_at = ctx.now;
        IDM_TRY(Check(tx.groups().Create(g), "group " + g.name));
        created.insert(g.id);
        ++summary.groups;
      }
      if (later.size() == pending.size()) {
        return Fail(TransferErrorCode::kInvalid,
                    "group " + later.front().name + " has a parent that is not in the file");
      }
      pending = std::move(later);
    }
    return {};
  }

  // The realm's SMTP settings, checked as the admin API checks them. An export never holds the
  // password (realm_export.cc); one added to the file by hand is refused rather than stored in
  // clear: the operator sets it with PUT /admin/api/v1/realms/{realm}/smtp after the import.
  Status Smtp(const Json& j) {
    if (j.contains("password")) {
      return Fail(TransferErrorCode::kInvalid,
                  "smtp: an export carries no password; remove it from the file and set it with "
                  "PUT /admin/api/v1/realms/{realm}/smtp after the import");
    }
    mail::SmtpInput in;
    in.host = j.at("host").get<std::string>();
    in.port = j.value("port", in.port);
    in.security = j.value("security", in.security);
    in.username = j.value("username", "");
    in.from_address = j.at("from_address").get<std::string>();
    in.from_name = j.value("from_name", "");
    if (auto v = mail::ValidateSmtpInput(in); !v.empty()) {
      return Fail(TransferErrorCode::kInvalid, "smtp." + v[0].field + ": " + v[0].message);
    }
    core::SmtpConfig c{realm_id, in.host,         in.port,      in.security, in.username,
                       "",       in.from_address, in.from_name, ctx.now};
    return Check(tx.smtp_settings().Put(c), "smtp settings");
  }

  Status Links(const Json& doc) {
    for (const Json& e : doc.at("composites")) {
      IDM_TRY(Check(tx.roles().AddComposite(realm_id, e.at("parent_id").get<std::string>(),
                                            e.at("child_id").get<std::string>()),
                    "composite role"));
    }
    for (const Json& m : doc.at("role_mappings")) {
      std::string kind = m.at("kind").get<std::string>();
      if (kind != "user" && kind != "group") {
        return Fail(TransferErrorCode::kInvalid, "role mapping kind must be user or group");
      }
      auto k = kind == "user" ? core::RoleHolderKind::kUser : core::RoleHolderKind::kGroup;
      IDM_TRY(Check(tx.roles().Grant(realm_id, k, m.at("holder_id").get<std::string>(),
                                     m.at("role_id").get<std::string>()),
                    "role mapping"));
    }
    for (const Json& m : doc.at("memberships")) {
      IDM_TRY(Check(tx.groups().AddMember(realm_id, m.at("group_id").get<std::string>(),
                                          m.at("user_id").get<std::string>()),
                    "group membership"));
    }
    return {};
  }
};

Status CheckFormat(const Json& doc) {
  if (!doc.is_object() || doc.value("format", "") != kExportFormat) {
    return Fail(TransferErrorCode::kInvalid,
                std::string("not an idm realm export (format must be \"") + kExportFormat + "\")");
  }
  if (doc.value("version", 0) != kExportVersion) {
    return Fail(TransferErrorCode::kInvalid, "unsupported export version (this idm reads version " +
                                                 std::to_string(kExportVersion) + ")");
  }
  return {};
}

core::Result<ImportSummary, TransferError> Run(store::Transaction& tx, const Json& doc,
                                               const core::OpContext& ctx, core::Random& random) {
  const Json& r = doc.at("realm");
  core::Realm realm;
  realm.id = core::NewUuid(random);
  realm.name = r.at("name").get<std::string>();
  realm.display_name = r.value("display_name", "");
  realm.enabled = r.value("enabled", true);
  realm.settings = RealmSettingsFromJson(r.value("settings", Json::object()));
  realm.created_at = realm.updated_at = ctx.now;
  auto existing = tx.realms().GetByName(realm.name);
  if (existing) {
    return Fail(TransferErrorCode::kAlreadyExists, "realm " + realm.name + " already exists");
  }
  if (existing.error().code != store::ErrorCode::kNotFound)
    return ImportStoreError(existing.error(), "realm");
  IDM_TRY(Check(tx.realms().Create(realm), "realm " + realm.name));
  Importer im{tx, ctx, realm.id, {}};
  im.summary.realm = realm.name;
  IDM_TRY(im.Users(doc.at("users")));
  IDM_TRY(im.Clients(doc.at("clients")));
  IDM_TRY(im.Roles(doc.at("roles")));
  IDM_TRY(im.Groups(doc.at("groups")));
  IDM_TRY(im.Links(doc));
  if (doc.contains("smtp")) {
    IDM_TRY(im.Smtp(doc.at("smtp")));
  }
  core::AuditEvent ev =
      realm::MakeAuditEvent(ctx, random, realm.id, "RealmImported", "realm", realm.id,
                            Json{{"name", realm.name},
                                 {"users", im.summary.users},
                                 {"groups", im.summary.groups},
                                 {"roles", im.summary.roles},
                                 {"clients", im.summary.clients}});
  IDM_TRY(Check(tx.audit().Append(ev), "audit event"));
  return im.summary;
}

}  // namespace

core::Result<ImportSummary, TransferError> ImportRealm(store::Store& store, const Json& doc,
                                                       const core::OpContext& ctx,
                                                       core::Random& random) {
  IDM_TRY(CheckFormat(doc));
  auto tx = store.Begin(store::TxMode::kReadWrite);
  if (!tx) return ImportStoreError(tx.error(), "database");
  core::Result<ImportSummary, TransferError> result = Fail(TransferErrorCode::kInternal, "");
  try {  // nlohmann throws on missing fields or wrong types; the import stops here, rolled back
    result = Run(**tx, doc, ctx, random);
  } catch (const nlohmann::json::exception& e) {
    return Fail(TransferErrorCode::kInvalid, std::string("malformed export: ") + e.what());
  }
  if (!result) return result;
  auto committed = (*tx)->Commit();
  if (!committed) return ImportStoreError(committed.error(), "import");
  return result;
}

}  // namespace idm::app
