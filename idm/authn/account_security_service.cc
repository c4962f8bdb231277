// AccountSecurityService; see account_security_service.h and docs/design/023.
#include "idm/authn/account_security_service.h"

#include <utility>

#include "idm/authn/acr_levels.h"
#include "idm/authn/login_support.h"
#include "idm/crypto/secret.h"
#include "idm/rbac/effective_roles.h"
#include "idm/realm/service_support.h"

namespace idm::authn {
namespace {

using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::WriteAuditEvent;

// Code points of UTF-8 text; nullopt when it is not well-formed UTF-8 (RFC 3629 §4: no
// overlongs, no surrogates, at most U+10FFFF) or holds a control character (C0, DEL, C1).
std::optional<size_t> CountPrintableCodePoints(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (b < 0x80) {
      n = 1, cp = b;
    } else if ((b & 0xE0) == 0xC0) {
      n = 2, cp = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      n = 3, cp = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      n = 4, cp = b & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + n > s.size()) return std::nullopt;
    for (size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return std::nullopt;
    i += n;
  }
  return count;
}

core::OpContext SystemContext(const core::OpContext& ctx) {
  core::OpContext system = ctx;
  system.actor = "system";
  return system;
}

}  // namespace

std::optional<std::string> NormalizeCredentialName(std::string_view name) {
  const char* kSpace = " \t\r\n";
  const size_t first = name.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return std::nullopt;
  name = name.substr(first, name.find_last_not_of(kSpace) - first + 1);
  const std::optional<size_t> length = CountPrintableCodePoints(name);
  if (!length || *length == 0 || *length > kMaxCredentialNameLength) return std::nullopt;
  return std::string(name);
}

AccountSecurityService::AccountSecurityService(store::Store& store, core::Random& random,
                                               const session::SessionService& sessions,
                                               realm::ClientService& clients, SecondFactors factors)
    : store_(store), random_(random), sessions_(sessions), clients_(clients), factors_(factors) {}

// The user "has" a factor that the login would ask for: a method the realm allows, recovery codes
// left out (they back up another factor and never count as one; docs/design/020).
core::ServiceResult<bool> AccountSecurityService::HasAllowedFactor(
    store::Transaction& tx, const core::Realm& realm, const std::string& user_id) const {
  for (const factors::SecondFactor* f : factors_.All()) {
    if (f == &factors_.recovery_codes || !MethodAllowed(realm.settings, f->Id())) continue;
    IDM_ASSIGN_OR_RETURN(bool has, f->Has(tx, realm.id, user_id));
    if (has) return true;
  }
  return false;
}

core::ServiceResult<AccountSession> AccountSecurityService::Access(
    const core::OpContext& ctx, const core::Realm& realm, std::string_view session_cookie) const {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  AccountSession out;
  IDM_ASSIGN_OR_RETURN(std::optional<core::SsoSession> session,
                       sessions_.Find(*tx, realm, session_cookie, ctx.now));
  if (!session) return out;
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user, ActiveUser(*tx, realm.id, session->user_id));
  if (!user) return out;
  out.session = std::move(*session);
  out.user = std::move(*user);
  out.access = AccountAccess::kReauthenticate;
  // docs/design/023: a recent authentication, and a second factor in it when the user has one.
  if (ctx.now - out.session.auth_time > realm.settings.account_reauth_s * 1000) return out;
  if (SessionRank(out.session.acr) < kRankMfa) {
    IDM_ASSIGN_OR_RETURN(bool has_factor, HasAllowedFactor(*tx, realm, out.user.id));
    if (has_factor) return out;
  }
  out.access = AccountAccess::kAllowed;
  return out;
}

core::ServiceResult<SecurityOverview> AccountSecurityService::Overview(
    const core::Realm& realm, const core::User& user) const {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  auto creds = tx->credentials().ListByUser(realm.id, user.id);
  if (!creds) return FromStoreError(creds.error(), "credentials");
  auto codes = tx->recovery_codes().ListByUser(realm.id, user.id);
  if (!codes) return FromStoreError(codes.error(), "recovery codes");
  SecurityOverview out;
  for (const core::Credential& c : *creds) {
    if (c.confirmed_at == 0) continue;  // an enrolment never confirmed is not a factor
    out.factors.push_back({c.id, c.type, c.name, c.created_at, c.last_used_at});
  }
  for (const core::RecoveryCode& c : *codes) out.recovery_codes_left += c.used_at == 0 ? 1 : 0;
  if (factors_.email != nullptr && MethodAllowed(realm.settings, factors_.email->Id())) {
    IDM_ASSIGN_OR_RETURN(out.email_code, factors_.email->Has(*tx, realm.id, user.id));
  }
  IDM_ASSIGN_OR_RETURN(rbac::EffectiveRoleSet roles, rbac::EffectiveRoles(*tx, realm.id, user.id));
  out.mfa_required = realm.settings.mfa_policy == "required" || roles.require_mfa;
  out.can_add_totp = MethodAllowed(realm.settings, factors_.totp.Id());
  out.can_add_passkey = PasskeysAllowed(realm);
  return out;
}

std::string AccountPasskeyBinding(const std::string& session_id) {
  return "account-session:" + session_id;
}

bool AccountSecurityService::PasskeysAllowed(const core::Realm& realm) const {
  return factors_.webauthn != nullptr && MethodAllowed(realm.settings, factors::kWebAuthnMethod);
}

core::ServiceResult<std::string> AccountSecurityService::BeginPasskeyRegistration(
    const core::OpContext& ctx, const core::Realm& realm, const core::User& user,
    const std::string& session_id) const {
  if (!PasskeysAllowed(realm)) {
    return core::ServiceError{
        core::ServiceErrorCode::kFailedPrecondition, "passkeys are not allowed in this realm", {}};
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(std::string options,
                       factors_.webauthn->BeginRegistration(*tx, ctx, realm, user,
                                                            AccountPasskeyBinding(session_id)));
  IDM_TRY(CommitTx(*tx));
  return options;
}

core::ServiceResult<factors::PasskeyOutcome> AccountSecurityService::AddPasskey(
    const core::OpContext& ctx, const core::Realm& realm, const core::User& user,
    const std::string& session_id, const std::string& name,
    const std::string& credential_json) const {
  if (!PasskeysAllowed(realm)) {
    return core::ServiceError{
        core::ServiceErrorCode::kFailedPrecondition, "passkeys are not allowed in this realm", {}};
  }
  std::optional<std::string> clean = NormalizeCredentialName(name);
  if (!clean) {
    return core::InvalidArgument(
        "invalid name", {{"name", "must be 1 to 64 characters, without control characters"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  // §7.1: the same verification as the login's enrolment; the challenge must have been issued to
  // this user for this session (a login flow's or another session's challenge is refused).
  IDM_ASSIGN_OR_RETURN(factors::PasskeyOutcome outcome,
                       factors_.webauthn->FinishRegistration(
                           *tx, UserContext(ctx, user.id), realm, user,
                           AccountPasskeyBinding(session_id), *clean, credential_json));
  // Committed either way: a refusal wrote nothing but the taken challenge, which must not be
  // usable again (§13.4.3).
  IDM_TRY(CommitTx(*tx));
  return outcome;
}

core::ServiceStatus AccountSecurityService::Rename(const core::OpContext& ctx,
                                                   const core::Realm& realm, const core::User& user,
                                                   const std::string& credential_id,
                                                   const std::string& name) const {
  std::optional<std::string> clean = NormalizeCredentialName(name);
  if (!clean) {
    return core::InvalidArgument(
        "invalid name", {{"name", "must be 1 to 64 characters, without control characters"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  auto c = tx->credentials().Get(realm.id, user.id, credential_id);
  if (!c) return FromStoreError(c.error(), "credential");
  if (c->confirmed_at == 0) return core::NotFoundError("credential not found");
  if (auto r = tx->credentials().Rename(realm.id, user.id, credential_id, *clean); !r) {
    return FromStoreError(r.error(), "credential");
  }
  IDM_TRY(WriteAuditEvent(*tx, UserContext(ctx, user.id), random_, realm.id, "MfaCredentialRenamed",
                          "user", user.id,
                          {{"username", user.username},
                           {"credential_id", c->id},
                           {"type", c->type},
                           {"old_name", c->name},
                           {"name", *clean}}));
  return CommitTx(*tx);
}

core::ServiceStatus AccountSecurityService::Remove(const core::OpContext& ctx,
                                                   const core::Realm& realm, const core::User& user,
                                                   const std::string& credential_id) const {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  auto c = tx->credentials().Get(realm.id, user.id, credential_id);
  if (!c) return FromStoreError(c.error(), "credential");
  if (c->confirmed_at == 0) return core::NotFoundError("credential not found");
  if (auto d = tx->credentials().Delete(realm.id, user.id, credential_id); !d) {
    return FromStoreError(d.error(), "credential");
  }
  // The event of the administrator's removal (docs/design/017), here with the user as the actor.
  IDM_TRY(WriteAuditEvent(*tx, UserContext(ctx, user.id), random_, realm.id, "MfaCredentialRemoved",
                          "user", user.id,
                          {{"username", user.username},
                           {"credential_id", c->id},
                           {"type", c->type},
                           {"name", c->name}}));
  return CommitTx(*tx);
}

core::ServiceResult<std::vector<std::string>> AccountSecurityService::RegenerateRecoveryCodes(
    const core::OpContext& ctx, const core::Realm& realm, const core::User& user) const {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(
      std::vector<std::string> codes,
      factors_.recovery_codes.Generate(*tx, UserContext(ctx, user.id), realm, user));
  IDM_TRY(CommitTx(*tx));
  return codes;
}

core::ServiceResult<factors::TotpEnrollment> AccountSecurityService::StartTotpEnrollment(
    const core::OpContext& ctx, const core::Realm& realm, const core::User& user) const {
  if (!MethodAllowed(realm.settings, factors_.totp.Id())) {
    return core::ServiceError{core::ServiceErrorCode::kFailedPrecondition,
                              "authenticator apps are not allowed in this realm",
                              {}};
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  // A reload shows the same QR code: the newest unconfirmed credential is reused.
  IDM_ASSIGN_OR_RETURN(std::optional<factors::TotpEnrollment> pending,
                       factors_.totp.PendingEnrollment(*tx, realm, user));
  if (pending) return std::move(*pending);
  IDM_ASSIGN_OR_RETURN(
      factors::TotpEnrollment started,
      factors_.totp.StartEnrollment(*tx, UserContext(ctx, user.id), realm, user, "authenticator"));
  IDM_TRY(CommitTx(*tx));
  return started;
}

core::ServiceResult<bool> AccountSecurityService::ConfirmTotpEnrollment(
    const core::OpContext& ctx, const core::Realm& realm, const core::User& user,
    const std::string& code) const {
  if (!MethodAllowed(realm.settings, factors_.totp.Id())) return false;
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(std::optional<factors::TotpEnrollment> pending,
                       factors_.totp.PendingEnrollment(*tx, realm, user));
  if (!pending) return false;
  IDM_ASSIGN_OR_RETURN(bool confirmed,
                       factors_.totp.ConfirmEnrollment(*tx, UserContext(ctx, user.id), realm, user,
                                                       pending->credential_id, code));
  if (!confirmed) return false;
  IDM_TRY(CommitTx(*tx));
  return true;
}

core::ServiceResult<core::Client> AccountSecurityService::EnsureConsoleClient(
    const core::OpContext& ctx, const core::Realm& realm, const std::string& redirect_uri) const {
  auto found = clients_.GetByClientId(realm.name, kAccountConsoleClientId);
  if (found || found.error().code != core::ServiceErrorCode::kNotFound) return found;
  core::Client draft;
  draft.client_id = kAccountConsoleClientId;
  draft.name = "Account security";
  draft.description =
      "Built-in: the self-service security page signs users in through it "
      "(docs/design/023).";
  draft.type = core::ClientType::kPublic;
  draft.token_endpoint_auth_method = "none";
  draft.redirect_uris = {redirect_uri};
  draft.grant_types = {"authorization_code"};
  draft.scopes = {"openid"};
  draft.require_pkce = true;
  draft.consent_required = false;  // first party
  auto created = clients_.Create(SystemContext(ctx), realm.name, draft);
  if (created) return std::move(created->client);
  if (created.error().code == core::ServiceErrorCode::kAlreadyExists) {
    return clients_.GetByClientId(realm.name, kAccountConsoleClientId);  // another node won
  }
  return created.error();
}

core::ServiceResult<bool> AccountSecurityService::ConsumeReturnCode(
    const core::OpContext& ctx, const core::Realm& realm, const std::string& code,
    const std::string& session_id) const {
  if (code.rfind(crypto::kAuthCodePrefix, 0) != 0 || session_id.empty()) return false;
  auto client = clients_.GetByClientId(realm.name, kAccountConsoleClientId);
  if (!client) {
    if (client.error().code == core::ServiceErrorCode::kNotFound) return false;
    return client.error();
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  const std::string hash = crypto::HashSecret(code);
  auto consumed = tx->codes().Consume(hash, ctx.now);
  if (!consumed) {
    if (consumed.error().code == store::ErrorCode::kNotFound) return false;
    return FromStoreError(consumed.error(), "authorization code");
  }
  const core::AuthorizationCode& c = consumed->code;
  // Only a code of this realm's console client for the browser's own session is used up here;
  // anything else rolls back untouched (the transaction is never committed).
  if (consumed->outcome != store::CodeOutcome::kConsumed || c.realm_id != realm.id ||
      c.client_id != client->id || c.session_id != session_id) {
    return false;
  }
  IDM_TRY(CommitTx(*tx));
  return true;
}

}  // namespace idm::authn
