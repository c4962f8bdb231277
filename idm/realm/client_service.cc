// ClientService; see client_service.h.
#include "idm/realm/client_service.h"

#include <utility>

#include "idm/crypto/secret.h"
#include "idm/realm/client_validation.h"
#include "idm/realm/service_support.h"

namespace idm::realm {
namespace {

using core::ServiceError;
using core::ServiceErrorCode;

// Compared against when the client is unknown or has no secret, so every failed authentication
// costs one hash and one constant-time comparison. Well-formed, and no secret hashes to it.
const std::string kDummySecretHash = "sha256:" + std::string(64, '0');

core::ServiceStatus CheckClient(const core::Client& client) {
  auto violations = ValidateClient(client);
  if (violations.empty()) return {};
  return core::InvalidArgument("invalid client", std::move(violations));
}

core::ServiceStatus CheckChosenSecret(const core::Client& client, const std::string& secret) {
  if (!UsesSecret(client)) {
    return core::InvalidArgument("invalid client",
                                 {{"secret", "this client's auth method uses no secret"}});
  }
  bool printable = true;
  for (unsigned char c : secret) printable = printable && c > 0x20 && c < 0x7f;
  if (secret.size() < 32 || secret.size() > 512 || !printable) {
    return core::InvalidArgument("invalid client",
                                 {{"secret", "must be 32 to 512 printable ASCII characters"}});
  }
  return {};
}

core::Json Summary(const core::Client& c) {
  return {{"client_id", c.client_id},
          {"type", c.type == core::ClientType::kPublic ? "public" : "confidential"},
          {"token_endpoint_auth_method", c.token_endpoint_auth_method},
          {"grant_types", c.grant_types},
          {"enabled", c.enabled}};
}

// Copies the registration data of `changes` (every field, OIDC settings included) onto
// `current`; identity, secret, timestamps and version stay the stored ones.
core::Client Merge(const core::Client& current, const core::Client& changes) {
  core::Client c = changes;
  c.id = current.id;
  c.realm_id = current.realm_id;
  c.secret_hash = current.secret_hash;
  c.created_at = current.created_at;
  c.updated_at = current.updated_at;
  c.version = current.version;
  if (!UsesSecret(c)) c.secret_hash.clear();
  return c;
}

}  // namespace

bool UsesSecret(const core::Client& client) {
  return client.type == core::ClientType::kConfidential &&
         (client.token_endpoint_auth_method == "client_secret_basic" ||
          client.token_endpoint_auth_method == "client_secret_post");
}

core::ServiceResult<CreatedClient> ClientService::Create(
    const core::OpContext& ctx, const std::string& realm, const core::Client& draft,
    const std::optional<std::string>& chosen_secret, const InTransaction& also) {
  IDM_TRY(CheckClient(draft));
  if (chosen_secret) IDM_TRY(CheckChosenSecret(draft, *chosen_secret));
  CreatedClient out;
  out.client = draft;
  out.client.secret_hash.clear();
  if (UsesSecret(draft)) {
    out.secret =
        chosen_secret ? *chosen_secret : crypto::NewSecret(random_, crypto::kClientSecretPrefix);
    out.client.secret_hash = crypto::HashSecret(out.secret);
  }
  out.client.id = core::NewUuid(random_);
  out.client.created_at = ctx.now;
  out.client.updated_at = ctx.now;
  out.client.version = 1;
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  out.client.realm_id = r.id;
  auto created = tx->clients().Create(out.client);
  if (!created) return FromStoreError(created.error(), "client");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "ClientCreated", "client", created->id,
                          Summary(*created)));
  if (also) IDM_TRY(also(*tx, *created));
  IDM_TRY(CommitTx(*tx));
  out.client = std::move(*created);
  return out;
}

core::ServiceResult<core::Client> ClientService::Get(const std::string& realm,
                                                     const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto client = tx->clients().Get(r.id, id);
  if (!client) return FromStoreError(client.error(), "client");
  return std::move(*client);
}

core::ServiceResult<core::Client> ClientService::GetByClientId(const std::string& realm,
                                                               const std::string& client_id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto client = tx->clients().GetByClientId(r.id, client_id);
  if (!client) return FromStoreError(client.error(), "client");
  return std::move(*client);
}

core::ServiceResult<core::Page<core::Client>> ClientService::List(const std::string& realm,
                                                                  const store::ListQuery& q) {
  if (q.limit < 1 || q.limit > 1000) {
    return core::InvalidArgument("invalid paging parameters", {{"limit", "must be 1..1000"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto page = tx->clients().List(r.id, q);
  if (!page) return FromStoreError(page.error(), "client");
  return std::move(*page);
}

core::ServiceResult<core::Client> ClientService::Update(
    const core::OpContext& ctx, const std::string& realm, const std::string& id,
    const core::Client& changes, int64_t expected_version, const InTransaction& also) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto current = tx->clients().Get(r.id, id);
  if (!current) return FromStoreError(current.error(), "client");
  core::Client updated = Merge(*current, changes);
  IDM_TRY(CheckClient(updated));
  updated.updated_at = ctx.now;
  updated.version = expected_version;
  auto stored = tx->clients().Update(updated);
  if (!stored) return FromStoreError(stored.error(), "client");
  core::Json details = Summary(*stored);
  details["secret_removed"] = !current->secret_hash.empty() && stored->secret_hash.empty();
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "ClientUpdated", "client", id, details));
  if (also) IDM_TRY(also(*tx, *stored));
  IDM_TRY(CommitTx(*tx));
  return std::move(*stored);
}

core::ServiceStatus ClientService::Delete(const core::OpContext& ctx, const std::string& realm,
                                          const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto current = tx->clients().Get(r.id, id);
  if (!current) return FromStoreError(current.error(), "client");
  auto deleted = tx->clients().Delete(r.id, id);
  if (!deleted) return FromStoreError(deleted.error(), "client");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "ClientDeleted", "client", id,
                          {{"client_id", current->client_id}}));
  return CommitTx(*tx);
}

core::ServiceResult<std::string> ClientService::RegenerateSecret(const core::OpContext& ctx,
                                                                 const std::string& realm,
                                                                 const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto client = tx->clients().Get(r.id, id);
  if (!client) return FromStoreError(client.error(), "client");
  if (!UsesSecret(*client)) {
    return ServiceError{
        ServiceErrorCode::kFailedPrecondition, "this client's auth method uses no secret", {}};
  }
  std::string secret = crypto::NewSecret(random_, crypto::kClientSecretPrefix);
  client->secret_hash = crypto::HashSecret(secret);
  client->updated_at = ctx.now;
  auto stored = tx->clients().Update(*client);
  if (!stored) return FromStoreError(stored.error(), "client");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "ClientSecretRegenerated", "client", id,
                          {{"client_id", client->client_id}}));
  IDM_TRY(CommitTx(*tx));
  return secret;
}

core::ServiceResult<core::Client> ClientService::Authenticate(const std::string& realm,
                                                              const std::string& client_id,
                                                              const std::string& secret) {
  auto found = for_authentication_.Get(
      realm + '\n' + client_id, [&]() -> core::ServiceResult<RealmAndClient> {
        IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
        RealmAndClient rc;
        auto r = tx->realms().GetByName(realm);
        if (!r && r.error().code != store::ErrorCode::kNotFound) {
          return FromStoreError(r.error(), "realm");
        }
        if (!r) return rc;
        rc.realm = std::move(*r);
        auto c = tx->clients().GetByClientId(rc.realm->id, client_id);
        if (!c && c.error().code != store::ErrorCode::kNotFound) {
          return FromStoreError(c.error(), "client");
        }
        if (c) rc.client = std::move(*c);
        return rc;
      });
  if (!found) return found.error();
  const std::optional<core::Client>& client = found->client;
  const std::optional<core::Realm>& r = found->realm;
  bool has_secret = client && !client->secret_hash.empty();
  // Always one hash and one constant-time comparison, whatever was found.
  bool match = crypto::VerifySecret(secret, has_secret ? client->secret_hash : kDummySecretHash);
  if (!has_secret || !match) {
    return ServiceError{ServiceErrorCode::kUnauthenticated, "invalid client credentials", {}};
  }
  if (!client->enabled || !r->enabled) {
    return ServiceError{ServiceErrorCode::kPermissionDenied, "client is disabled", {}};
  }
  return std::move(*client);
}

}  // namespace idm::realm
