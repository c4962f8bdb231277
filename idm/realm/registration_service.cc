// Dynamic client registration (RFC 7591 §3, RFC 7592 §2) and initial access tokens; see
// registration_service.h.
#include "idm/realm/registration_service.h"

#include "idm/crypto/secret.h"
#include "idm/realm/service_support.h"

namespace idm::realm {
namespace {

constexpr int64_t kMaxInitialTokenLifetimeS = 86400 * 365;
constexpr int64_t kMaxInitialTokenUses = 10000;

core::ServiceError Unauthenticated(std::string detail) {
  return {core::ServiceErrorCode::kUnauthenticated, std::move(detail), {}};
}

// The realm's registration policy (RealmSettings::client_registration) applied to a request.
core::ServiceStatus CheckPolicy(const core::Realm& realm,
                                const std::optional<std::string>& initial_access_token) {
  const std::string& policy = realm.settings.client_registration;
  if (policy == "open") return {};
  if (policy == "initial_access_token") {
    if (!initial_access_token) return Unauthenticated("an initial access token is required");
    return {};
  }
  return core::ServiceError{core::ServiceErrorCode::kPermissionDenied,
                            "dynamic client registration is disabled in this realm",
                            {}};
}

}  // namespace

core::ServiceResult<IssuedInitialAccessToken> RegistrationService::CreateInitialAccessToken(
    const core::OpContext& ctx, const std::string& realm, int64_t expires_in_s, int64_t max_uses,
    const std::string& description) {
  std::vector<core::FieldViolation> v;
  if (expires_in_s < 1 || expires_in_s > kMaxInitialTokenLifetimeS) {
    v.push_back({"expires_in", "must be 1 to 31536000 seconds"});
  }
  if (max_uses < 0 || max_uses > kMaxInitialTokenUses) {
    v.push_back({"max_uses", "must be 0 (unlimited) to 10000"});
  }
  if (description.size() > 255) v.push_back({"description", "must be at most 255 bytes"});
  if (!v.empty()) return core::InvalidArgument("invalid initial access token", std::move(v));
  IssuedInitialAccessToken out;
  out.token = crypto::NewSecret(random_, crypto::kInitialAccessTokenPrefix);
  core::InitialAccessToken& t = out.info;
  t.id = core::NewUuid(random_);
  t.token_hash = crypto::HashSecret(out.token);
  t.description = description;
  t.created_at = ctx.now;
  t.expires_at = ctx.now + expires_in_s * 1000;
  t.max_uses = max_uses;
  t.created_by = ctx.actor;
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  t.realm_id = r.id;
  if (auto s = tx->registrations().InsertInitialAccessToken(t); !s) {
    return FromStoreError(s.error(), "initial access token");
  }
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "InitialAccessTokenCreated",
                          "initial_access_token", t.id,
                          {{"expires_at", t.expires_at}, {"max_uses", t.max_uses}}));
  IDM_TRY(CommitTx(*tx));
  return out;
}

core::ServiceResult<std::vector<core::InitialAccessToken>>
RegistrationService::ListInitialAccessTokens(const std::string& realm) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto list = tx->registrations().ListInitialAccessTokens(r.id);
  if (!list) return FromStoreError(list.error(), "initial access token");
  return std::move(*list);
}

core::ServiceStatus RegistrationService::DeleteInitialAccessToken(const core::OpContext& ctx,
                                                                  const std::string& realm,
                                                                  const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  if (auto s = tx->registrations().DeleteInitialAccessToken(r.id, id); !s) {
    return FromStoreError(s.error(), "initial access token");
  }
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "InitialAccessTokenDeleted",
                          "initial_access_token", id, core::Json::object()));
  return CommitTx(*tx);
}

core::ServiceResult<RegisteredClient> RegistrationService::Register(
    const core::OpContext& ctx, const std::string& realm, const core::Client& draft,
    const std::optional<std::string>& initial_access_token) {
  bool consume = false;
  {
    IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
    IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
    IDM_TRY(CheckPolicy(r, initial_access_token));
    consume = r.settings.client_registration == "initial_access_token";
  }
  RegisteredClient out;
  out.registration_access_token =
      crypto::NewSecret(random_, crypto::kRegistrationAccessTokenPrefix);
  core::Client c = draft;
  c.client_id = core::NewUuid(random_);  // RFC 7591 §3.2.1: the server issues the client_id
  // Runs in the creation transaction: the token's use and the registration commit with the client.
  InTransaction also = [&](store::Transaction& tx,
                           const core::Client& created) -> core::ServiceStatus {
    if (consume) {
      auto used = tx.registrations().ConsumeInitialAccessToken(
          created.realm_id, crypto::HashSecret(*initial_access_token), ctx.now);
      if (!used) {
        if (used.error().code == store::ErrorCode::kNotFound) {
          return Unauthenticated("the initial access token is invalid, expired or used up");
        }
        return FromStoreError(used.error(), "initial access token");
      }
    }
    core::ClientRegistration g{created.id, created.realm_id,
                               crypto::HashSecret(out.registration_access_token), ctx.now, ctx.now};
    if (auto s = tx.registrations().PutClientRegistration(g); !s) {
      return FromStoreError(s.error(), "client registration");
    }
    return {};
  };
  IDM_ASSIGN_OR_RETURN(CreatedClient created, clients_.Create(ctx, realm, c, std::nullopt, also));
  out.client = std::move(created.client);
  out.client_secret = std::move(created.secret);
  return out;
}

core::ServiceResult<core::Client> RegistrationService::Authorize(
    const std::string& realm, const std::string& client_id,
    const std::string& registration_access_token) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  return AuthorizeIn(*tx, r, client_id, registration_access_token);
}

core::ServiceResult<core::Client> RegistrationService::AuthorizeIn(
    store::Transaction& tx, const core::Realm& r, const std::string& client_id,
    const std::string& registration_access_token) {
  auto client = tx.clients().GetByClientId(r.id, client_id);
  if (!client && client.error().code != store::ErrorCode::kNotFound) {
    return FromStoreError(client.error(), "client");
  }
  // A hash no token matches, so that an unknown client costs the same work as a known one.
  static const std::string kNoRegistration = crypto::HashSecret("idm: not registered");
  std::string stored_hash = kNoRegistration;
  bool registered = false;
  if (client) {
    auto g = tx.registrations().GetClientRegistration(r.id, client->id);
    if (!g && g.error().code != store::ErrorCode::kNotFound) {
      return FromStoreError(g.error(), "client registration");
    }
    if (g) {
      stored_hash = g->token_hash;
      registered = true;
    }
  }
  // One hash and one constant-time comparison whatever was found (as ClientService::Authenticate).
  bool ok = crypto::VerifySecret(registration_access_token, stored_hash);
  if (!ok || !registered) return Unauthenticated("invalid registration access token");
  return std::move(*client);
}

core::ServiceStatus RegistrationService::Rotate(store::Transaction& tx, const core::OpContext& ctx,
                                                const core::Client& client,
                                                const std::string& old_token,
                                                const std::string& new_token, const char* reason) {
  // RFC 7592 §3: the server MAY issue a new registration access token with a read or update
  // response; the client MUST then discard the old one. idm keeps only hashes, so it cannot show
  // the old token again and always rotates. The UPDATE is conditional on the old hash: a request
  // that lost a race with another use of the same token is refused like any stale token.
  auto replaced = tx.registrations().ReplaceClientRegistrationToken(
      client.realm_id, client.id, crypto::HashSecret(old_token), crypto::HashSecret(new_token),
      ctx.now);
  if (!replaced) {
    if (replaced.error().code == store::ErrorCode::kVersionMismatch ||
        replaced.error().code == store::ErrorCode::kNotFound) {
      return Unauthenticated("invalid registration access token");
    }
    return FromStoreError(replaced.error(), "client registration");
  }
  return WriteAuditEvent(tx, ctx, random_, client.realm_id, "RegistrationAccessTokenRotated",
                         "client", client.id,
                         {{"client_id", client.client_id}, {"reason", reason}});
}

core::ServiceResult<RegisteredClient> RegistrationService::Read(
    const core::OpContext& ctx, const std::string& realm, const std::string& client_id,
    const std::string& registration_access_token) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  RegisteredClient out;
  IDM_ASSIGN_OR_RETURN(out.client, AuthorizeIn(*tx, r, client_id, registration_access_token));
  out.registration_access_token =
      crypto::NewSecret(random_, crypto::kRegistrationAccessTokenPrefix);
  IDM_TRY(Rotate(*tx, ctx, out.client, registration_access_token, out.registration_access_token,
                 "read"));
  IDM_TRY(CommitTx(*tx));
  return out;
}

core::ServiceResult<RegisteredClient> RegistrationService::Update(
    const core::OpContext& ctx, const std::string& realm, const std::string& client_id,
    const std::string& registration_access_token, const core::Client& changes) {
  IDM_ASSIGN_OR_RETURN(core::Client current,
                       Authorize(realm, client_id, registration_access_token));
  if (changes.client_id != current.client_id) {
    return core::InvalidArgument("client_id cannot change",
                                 {{"client_id", "must equal the registered client_id"}});
  }
  RegisteredClient out;
  out.registration_access_token =
      crypto::NewSecret(random_, crypto::kRegistrationAccessTokenPrefix);
  InTransaction rotate = [&](store::Transaction& tx,
                             const core::Client& updated) -> core::ServiceStatus {
    return Rotate(tx, ctx, updated, registration_access_token, out.registration_access_token,
                  "update");
  };
  IDM_ASSIGN_OR_RETURN(out.client,
                       clients_.Update(ctx, realm, current.id, changes, current.version, rotate));
  return out;
}

core::ServiceStatus RegistrationService::Delete(const core::OpContext& ctx,
                                                const std::string& realm,
                                                const std::string& client_id,
                                                const std::string& registration_access_token) {
  IDM_ASSIGN_OR_RETURN(core::Client current,
                       Authorize(realm, client_id, registration_access_token));
  return clients_.Delete(ctx, realm, current.id);
}

}  // namespace idm::realm
