// UserService; see user_service.h.
#include "idm/account/user_service.h"

#include <utility>

#include "idm/account/user_validation.h"
#include "idm/crypto/encoding.h"
#include "idm/realm/service_support.h"

namespace idm::account {
namespace {

using core::ServiceError;
using core::ServiceErrorCode;
using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::ResolveRealm;
using realm::WriteAuditEvent;

constexpr char kUserWhat[] = "user with this username or email";

ServiceError InvalidCredentials() {
  return {ServiceErrorCode::kUnauthenticated, "invalid credentials", {}};
}

core::ServiceStatus CheckPassword(const core::Realm& realm, const std::string& username,
                                  const std::string& password) {
  auto violations = CheckPasswordPolicy(realm.settings.password_policy, username, password);
  if (violations.empty()) return {};
  return core::InvalidArgument("the password does not meet the realm's policy",
                               std::move(violations));
}

core::ServiceStatus Validate(const core::User& user) {
  auto violations = ValidateUser(user);
  if (violations.empty()) return {};
  return core::InvalidArgument("invalid user", std::move(violations));
}

core::Json ChangedFields(const core::User& a, const core::User& b) {
  core::Json changed = core::Json::array();
  if (a.username != b.username) changed.push_back("username");
  if (a.email != b.email) changed.push_back("email");
  if (a.email_verified != b.email_verified) changed.push_back("email_verified");
  if (a.first_name != b.first_name) changed.push_back("first_name");
  if (a.last_name != b.last_name) changed.push_back("last_name");
  if (a.enabled != b.enabled) changed.push_back("enabled");
  if (a.attributes != b.attributes) changed.push_back("attributes");
  return changed;
}


}  // namespace

core::ServiceResult<std::optional<core::User>> FindLoginUser(store::Transaction& tx,
                                                             const std::string& realm_id,
                                                             const std::string& login) {
  if (login.empty()) return std::optional<core::User>();
  auto user = tx.users().GetByUsername(realm_id, login);
  if (!user && user.error().code == store::ErrorCode::kNotFound &&
      login.find('@') != std::string::npos) {
    user = tx.users().GetByEmail(realm_id, login);
  }
  if (user) return std::optional<core::User>(std::move(*user));
  if (user.error().code == store::ErrorCode::kNotFound) return std::optional<core::User>();
  return FromStoreError(user.error(), "user");
}

UserService::UserService(store::Store& store, const crypto::PasswordHasher& hasher,
                         core::Random& random)
    : store_(store),
      hasher_(hasher),
      random_(random),
      dummy_hash_(hasher.DecoyHash()) {}

core::ServiceResult<core::User> UserService::Create(const core::OpContext& ctx,
                                                    const std::string& realm,
                                                    const core::User& draft,
                                                    const std::optional<std::string>& password) {
  IDM_TRY(Validate(draft));
  std::string phc;
  if (password) {
    // Policy first, then the (slow) hash outside the write transaction.
    IDM_ASSIGN_OR_RETURN(auto read, BeginTx(store_, store::TxMode::kReadOnly));
    IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*read, realm));
    read.reset();
    IDM_TRY(CheckPassword(r, draft.username, *password));
    phc = hasher_.Hash(*password);
  }
  core::User user = draft;
  user.id = core::NewUuid(random_);
  user.created_at = ctx.now;
  user.updated_at = ctx.now;
  user.version = 1;
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  user.realm_id = r.id;
  auto created = tx->users().Create(user);
  if (!created) return FromStoreError(created.error(), kUserWhat);
  if (!phc.empty()) {
    auto set = tx->users().SetPasswordHash(r.id, created->id, phc, ctx.now);
    if (!set) return FromStoreError(set.error(), "user");
  }
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "UserCreated", "user", created->id,
                          {{"username", created->username}, {"password_set", !phc.empty()}}));
  IDM_TRY(CommitTx(*tx));
  return std::move(*created);
}

core::ServiceResult<core::User> UserService::Get(const std::string& realm, const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto user = tx->users().Get(r.id, id);
  if (!user) return FromStoreError(user.error(), "user");
  return std::move(*user);
}

core::ServiceResult<core::User> UserService::GetByUsername(const std::string& realm,
                                                           const std::string& username) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto user = tx->users().GetByUsername(r.id, username);
  if (!user) return FromStoreError(user.error(), "user");
  return std::move(*user);
}

core::ServiceResult<core::Page<core::User>> UserService::List(const std::string& realm,
                                                              const store::ListQuery& q) {
  if (q.limit < 1 || q.limit > 1000) {
    return core::InvalidArgument("invalid paging parameters", {{"limit", "must be 1..1000"}});
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto page = tx->users().List(r.id, q);
  if (!page) return FromStoreError(page.error(), "user");
  return std::move(*page);
}

core::ServiceResult<int64_t> UserService::Count(const std::string& realm) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto n = tx->users().Count(r.id);
  if (!n) return FromStoreError(n.error(), "user");
  return *n;
}

core::ServiceResult<core::User> UserService::Update(const core::OpContext& ctx,
                                                    const std::string& realm, const std::string& id,
                                                    const core::User& changes,
                                                    int64_t expected_version) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto current = tx->users().Get(r.id, id);
  if (!current) return FromStoreError(current.error(), "user");
  core::User updated = *current;
  updated.username = changes.username;
  updated.email = changes.email;
  updated.email_verified = changes.email_verified;
  updated.first_name = changes.first_name;
  updated.last_name = changes.last_name;
  updated.enabled = changes.enabled;
  updated.attributes = changes.attributes;
  IDM_TRY(Validate(updated));
  updated.updated_at = ctx.now;
  updated.version = expected_version;
  auto stored = tx->users().Update(updated);
  if (!stored) return FromStoreError(stored.error(), kUserWhat);
  IDM_TRY(WriteAuditEvent(
      *tx, ctx, random_, r.id, "UserUpdated", "user", id,
      {{"username", stored->username}, {"changed", ChangedFields(*current, *stored)}}));
  IDM_TRY(CommitTx(*tx));
  return std::move(*stored);
}

core::ServiceStatus UserService::Delete(const core::OpContext& ctx, const std::string& realm,
                                        const std::string& id) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto current = tx->users().Get(r.id, id);
  if (!current) return FromStoreError(current.error(), "user");
  auto deleted = tx->users().Delete(r.id, id);
  if (!deleted) return FromStoreError(deleted.error(), "user");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "UserDeleted", "user", id,
                          {{"username", current->username}}));
  return CommitTx(*tx);
}

core::ServiceStatus UserService::SetPassword(const core::OpContext& ctx, const std::string& realm,
                                             const std::string& user_id,
                                             const std::string& password) {
  IDM_ASSIGN_OR_RETURN(auto read, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*read, realm));
  auto user = read->users().Get(r.id, user_id);
  if (!user) return FromStoreError(user.error(), "user");
  read.reset();
  IDM_TRY(CheckPassword(r, user->username, password));
  std::string phc = hasher_.Hash(password);  // outside the write transaction: it is slow
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  auto set = tx->users().SetPasswordHash(r.id, user_id, phc, ctx.now);
  if (!set) return FromStoreError(set.error(), "user");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "PasswordChanged", "user", user_id,
                          {{"username", user->username}}));
  return CommitTx(*tx);
}

core::ServiceResult<core::User> UserService::VerifyPassword(const std::string& realm,
                                                            const std::string& username_or_email,
                                                            const std::string& password) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user, FindLoginUser(*tx, r.id, username_or_email));
  std::string phc;
  if (user) {
    auto stored = tx->users().GetPasswordHash(r.id, user->id);
    if (stored) {
      phc = std::move(*stored);
    } else if (stored.error().code != store::ErrorCode::kNotFound) {
      return FromStoreError(stored.error(), "user");
    }
  }
  tx.reset();  // release the connection before the slow part
  // One Argon2 verification whatever was found, so timing does not reveal existence.
  bool match = hasher_.Verify(password, phc.empty() ? dummy_hash_ : phc);
  if (!user || phc.empty() || !match || !user->enabled || !r.enabled) {
    return InvalidCredentials();
  }
  return std::move(*user);
}

}  // namespace idm::account
