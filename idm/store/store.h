// Store: everything idm keeps, behind one interface with two real implementations — SQLite (the
// embedded default) and PostgreSQL (scale-out) — chosen by URL (ARCHITECTURE.md decision 2).
//
// Shape (CONVENTIONS.md §8): one explicit transaction per request; inside it, one small repository
// per aggregate. A Transaction that is destroyed without Commit() rolls back.
//
//   auto tx = store.Begin(TxMode::kReadWrite);
//   if (!tx) return tx.error();
//   auto user = (*tx)->users().Create(u);
//   ... (*tx)->audit().Append(event) ...
//   return (*tx)->Commit();
//
// Every method documents its failures; all may also fail with kUnavailable (database gone) or
// kCorrupt. After a method fails with kConflict, kUnavailable, kCorrupt or kInvalid, treat
// the transaction as finished (a database may abort a transaction on a failed statement): drop it
// and, for kConflict, retry the request in a new one if that makes sense. kNotFound and
// kVersionMismatch are decided without a failing statement and leave the transaction usable.
// Thread-safety: Store is safe to share between threads; a Transaction belongs to the thread that
// began it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "idm/core/model.h"
#include "idm/store/email_repos.h"
#include "idm/store/error.h"
#include "idm/store/mfa_repos.h"
#include "idm/store/oidc_repos.h"
#include "idm/store/registration_repo.h"
#include "idm/store/webauthn_repo.h"

namespace idm::store {

using core::Page;

// Paging and prefix search for list calls. `cursor` is the opaque next_cursor of the previous
// page ("" for the first); a cursor from another query is kInvalid.
struct ListQuery {
  std::string prefix;  // case-insensitive prefix of the searched fields ("" = all)
  std::string cursor;
  int limit = 100;  // 1..1000
};

class RealmRepo {
 public:
  virtual ~RealmRepo() = default;
  // kConflict if the name is taken. Returns the realm as stored (version 1).
  virtual Result<core::Realm> Create(const core::Realm& realm) = 0;
  // kNotFound if absent.
  virtual Result<core::Realm> Get(const std::string& id) = 0;
  virtual Result<core::Realm> GetByName(const std::string& name) = 0;
  // All realms ordered by name (realms are few).
  virtual Result<std::vector<core::Realm>> List() = 0;
  // Replaces the stored realm if its version equals realm.version; returns it with version+1.
  // kNotFound, kVersionMismatch, kConflict (name taken).
  virtual Result<core::Realm> Update(const core::Realm& realm) = 0;
  // Deletes the realm and everything in it. kNotFound.
  virtual Status Delete(const std::string& id) = 0;
};

class UserRepo {
 public:
  virtual ~UserRepo() = default;
  // kConflict if the username or (non-empty) email is taken in the realm, case-insensitively.
  virtual Result<core::User> Create(const core::User& user) = 0;
  virtual Result<core::User> Get(const std::string& realm_id, const std::string& id) = 0;
  // Case-insensitive lookups. kNotFound.
  virtual Result<core::User> GetByUsername(const std::string& realm_id,
                                           const std::string& username) = 0;
  virtual Result<core::User> GetByEmail(const std::string& realm_id, const std::string& email) = 0;
  // Users ordered by lower-case username; prefix matches username, email, first or last name.
  virtual Result<Page<core::User>> List(const std::string& realm_id, const ListQuery& q) = 0;
  virtual Result<int64_t> Count(const std::string& realm_id) = 0;
  // kNotFound, kVersionMismatch, kConflict. Returns the user with version+1.
  virtual Result<core::User> Update(const core::User& user) = 0;
  // Also removes the user's credentials, group memberships and role grants. kNotFound.
  virtual Status Delete(const std::string& realm_id, const std::string& id) = 0;

  // The user's password hash (an Argon2id PHC string), or kNotFound when the user has none.
  virtual Result<std::string> GetPasswordHash(const std::string& realm_id,
                                              const std::string& user_id) = 0;
  // Sets or replaces it. kNotFound if the user does not exist.
  virtual Status SetPasswordHash(const std::string& realm_id, const std::string& user_id,
                                 const std::string& phc, core::UnixMillis now) = 0;
};

class GroupRepo {
 public:
  virtual ~GroupRepo() = default;
  // kConflict if a sibling has the name; kNotFound if parent_id names no group of the realm.
  virtual Result<core::Group> Create(const core::Group& group) = 0;
  virtual Result<core::Group> Get(const std::string& realm_id, const std::string& id) = 0;
  // Children of parent_id (nullopt = top level), ordered by lower-case name; prefix on name.
  virtual Result<Page<core::Group>> List(const std::string& realm_id,
                                         const std::optional<std::string>& parent_id,
                                         const ListQuery& q) = 0;
  // Every group of the realm (for hierarchy resolution; realms have few groups relative to users).
  virtual Result<std::vector<core::Group>> ListAll(const std::string& realm_id) = 0;
  // Moving a group under one of its own descendants is the service's check, not the store's.
  // kNotFound, kVersionMismatch, kConflict.
  virtual Result<core::Group> Update(const core::Group& group) = 0;
  // Deletes the group and its descendants with their memberships and role grants. kNotFound.
  virtual Status Delete(const std::string& realm_id, const std::string& id) = 0;

  // Idempotent: adding an existing member succeeds. kNotFound if group or user is absent.
  virtual Status AddMember(const std::string& realm_id, const std::string& group_id,
                           const std::string& user_id) = 0;
  // kNotFound if the user is not a member.
  virtual Status RemoveMember(const std::string& realm_id, const std::string& group_id,
                              const std::string& user_id) = 0;
  // Direct members, ordered by lower-case username.
  virtual Result<Page<core::User>> ListMembers(const std::string& realm_id,
                                               const std::string& group_id, const ListQuery& q) = 0;
  // Groups the user is directly a member of.
  virtual Result<std::vector<core::Group>> ListUserGroups(const std::string& realm_id,
                                                          const std::string& user_id) = 0;
};

class RoleRepo {
 public:
  virtual ~RoleRepo() = default;
  // kConflict if (realm, client_id, name) is taken; kNotFound if client_id names no client.
  virtual Result<core::Role> Create(const core::Role& role) = 0;
  virtual Result<core::Role> Get(const std::string& realm_id, const std::string& id) = 0;
  virtual Result<core::Role> GetByName(const std::string& realm_id,
                                       const std::optional<std::string>& client_id,
                                       const std::string& name) = 0;
  // Realm roles (client_id nullopt) or one client's roles, ordered by name; prefix on name.
  virtual Result<Page<core::Role>> List(const std::string& realm_id,
                                        const std::optional<std::string>& client_id,
                                        const ListQuery& q) = 0;
  virtual Result<core::Role> Update(const core::Role& role) = 0;
  // Also removes its composite edges and grants. kNotFound.
  virtual Status Delete(const std::string& realm_id, const std::string& id) = 0;

  // Composite roles: parent includes child. Idempotent add; kNotFound for absent roles or edge.
  // Cycle prevention is the service's check.
  virtual Status AddComposite(const std::string& realm_id, const std::string& parent_id,
                              const std::string& child_id) = 0;
  virtual Status RemoveComposite(const std::string& realm_id, const std::string& parent_id,
                                 const std::string& child_id) = 0;
  virtual Result<std::vector<core::Role>> ListComposites(const std::string& realm_id,
                                                         const std::string& parent_id) = 0;
  // Every (parent_id, child_id) edge of the realm, for effective-role resolution.
  virtual Result<std::vector<std::pair<std::string, std::string>>> ListAllCompositeEdges(
      const std::string& realm_id) = 0;

  // Role mappings. Idempotent grant; kNotFound if role or holder is absent; revoke of a mapping
  // that does not exist is kNotFound.
  virtual Status Grant(const std::string& realm_id, core::RoleHolderKind kind,
                       const std::string& holder_id, const std::string& role_id) = 0;
  virtual Status Revoke(const std::string& realm_id, core::RoleHolderKind kind,
                        const std::string& holder_id, const std::string& role_id) = 0;
  // Roles granted directly to the holder.
  virtual Result<std::vector<core::Role>> ListGranted(const std::string& realm_id,
                                                      core::RoleHolderKind kind,
                                                      const std::string& holder_id) = 0;
};

class ClientRepo {
 public:
  virtual ~ClientRepo() = default;
  // kConflict if client_id is taken in the realm.
  virtual Result<core::Client> Create(const core::Client& client) = 0;
  virtual Result<core::Client> Get(const std::string& realm_id, const std::string& id) = 0;
  virtual Result<core::Client> GetByClientId(const std::string& realm_id,
                                             const std::string& client_id) = 0;
  // Ordered by client_id; prefix on client_id or name.
  virtual Result<Page<core::Client>> List(const std::string& realm_id, const ListQuery& q) = 0;
  // Replaces every field including secret_hash. kNotFound, kVersionMismatch, kConflict.
  virtual Result<core::Client> Update(const core::Client& client) = 0;
  // Also removes its client roles. kNotFound.
  virtual Status Delete(const std::string& realm_id, const std::string& id) = 0;
};

class KeyRepo {
 public:
  virtual ~KeyRepo() = default;
  // kConflict if the kid exists.
  virtual Status Insert(const core::SigningKey& key) = 0;
  // Keys of the realm (all statuses), newest first.
  virtual Result<std::vector<core::SigningKey>> List(const std::string& realm_id) = 0;
  // Updates status and the three timestamps. kNotFound.
  virtual Status Update(const core::SigningKey& key) = 0;
  // Like Update, but only while the stored status is still `expected`, in one conditional UPDATE:
  // kVersionMismatch when another writer changed it since it was read (on PostgreSQL a concurrent
  // writer waits for the first and then finds the status changed), kNotFound when the key is gone.
  // This is what keeps two nodes from rotating one realm's keys twice.
  virtual Status UpdateIfStatus(const core::SigningKey& key, core::KeyStatus expected) = 0;
  virtual Status Delete(const std::string& realm_id, const std::string& kid) = 0;
};

class AuditRepo {
 public:
  virtual ~AuditRepo() = default;
  // Appends the event to its realm's chain: assigns seq, prev_hash and hash (SHA-256 over prev_hash
  // and the canonical form of the event, see audit_hash.h) and returns the stored event.
  // Serialised per realm, so concurrent appends never fork the chain.
  virtual Result<core::AuditEvent> Append(const core::AuditEvent& event) = 0;
  // Appends events in order, as Append would one by one, but advances each realm's head once per
  // realm (the batched writer's path: one INSERT per event instead of three statements).
  // kNotFound if a realm does not exist (nothing of the call is kept once the caller rolls back).
  virtual Status AppendMany(const std::vector<core::AuditEvent>& events) = 0;
  // Events with seq > after_seq in seq order, at most limit.
  virtual Result<std::vector<core::AuditEvent>> List(const std::string& realm_id, int64_t after_seq,
                                                     int limit) = 0;
  // The end of the realm's chain as the appends recorded it: (seq, hash) of the newest event, or
  // (0, kGenesisHash) for a realm without events. Verification compares it with the last event it
  // read, so deleting the newest events (truncation) is detected too.
  virtual Result<std::pair<int64_t, std::string>> Head(const std::string& realm_id) = 0;
};

// Server-wide key/value rows that belong to no realm: the KEK check value, bootstrap markers,
// cluster-wide flags. Keys are short ASCII names chosen by the caller ("kek_check",
// "bootstrap.admin"); values are opaque text and must never be plaintext secrets.
class MetaRepo {
 public:
  virtual ~MetaRepo() = default;
  // The value stored under key. kNotFound if there is none.
  virtual Result<std::string> Get(const std::string& key) = 0;
  // Inserts or replaces the value under key (upsert).
  virtual Status Put(const std::string& key, const std::string& value) = 0;
};

enum class TxMode { kReadOnly, kReadWrite };

class Transaction {
 public:
  virtual ~Transaction() = default;  // rolls back unless committed
  virtual RealmRepo& realms() = 0;
  virtual UserRepo& users() = 0;
  virtual GroupRepo& groups() = 0;
  virtual RoleRepo& roles() = 0;
  virtual ClientRepo& clients() = 0;
  virtual KeyRepo& keys() = 0;
  virtual AuditRepo& audit() = 0;
  virtual MetaRepo& meta() = 0;
  virtual SessionRepo& sessions() = 0;
  virtual LoginFlowRepo& login_flows() = 0;
  virtual AuthorizationCodeRepo& codes() = 0;
  virtual RefreshTokenRepo& refresh_tokens() = 0;
  virtual ConsentRepo& consents() = 0;
  virtual LoginFailureRepo& login_failures() = 0;
  virtual JtiRepo& jtis() = 0;
  virtual RegistrationRepo& registrations() = 0;   // registration_repo.h
  virtual CredentialRepo& credentials() = 0;       // mfa_repos.h
  virtual RecoveryCodeRepo& recovery_codes() = 0;  // mfa_repos.h
  virtual WebAuthnRepo& webauthn() = 0;            // webauthn_repo.h
  virtual EmailCodeRepo& email_codes() = 0;        // email_repos.h
  virtual SmtpSettingsRepo& smtp_settings() = 0;   // email_repos.h
  // kUnavailable (nothing was written), kConflict (serialisation failure; retry the request).
  virtual Status Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // kUnavailable when no connection can be had (the pool waits a bounded time first).
  virtual Result<std::unique_ptr<Transaction>> Begin(TxMode mode) = 0;
  // A cheap round trip to the database; /health/ready uses it.
  virtual Status Ping() = 0;
  // Applies pending migrations in order, each in its own transaction. Returns how many ran.
  virtual Result<int> Migrate() = 0;
  // The highest applied migration number, 0 for an empty database.
  virtual Result<int> SchemaVersion() = 0;
  // "sqlite" or "postgres".
  virtual const char* backend() const = 0;
  // A counter this process raises after committing any write transaction that used the
  // directory repositories (realms, users, groups, roles, clients). In-process caches of those
  // objects (realm/directory_cache.h) read it before loading and drop what was loaded under an
  // older value, so a change made through this process is seen by the next request. Changes made
  // by other processes (nodes, the CLI) are not counted: those caches also expire by age.
  virtual uint64_t DirectoryGeneration() const = 0;
  // Starts the work Open() was asked to defer (OpenOptions::defer_integrity_check). Idempotent;
  // a no-op when nothing was deferred.
  virtual void StartDeferredWork() = 0;
  // Frees what the connections not in use hold only as cache: SQLite's page caches, which
  // start-up (migrations, the first realm) filled. They refill from the operating system's file
  // cache on demand. `idm serve` calls it once start-up is done; a no-op on PostgreSQL.
  virtual void ReleaseIdleMemory() = 0;
};

struct OpenOptions {
  int pool_size = 8;              // PostgreSQL connections / SQLite reader connections
  int acquire_timeout_ms = 5000;  // how long Begin waits for a free connection
  bool read_only = false;         // open without writing (e.g. `idm audit verify`); no migrations
  // SQLite: the full integrity check of an existing file (PRAGMA quick_check, which reads every
  // page) runs on a background connection after Open() returns, unless the previous process left
  // a WAL behind (then Open() runs it first). Until it has passed, write transactions wait for it
  // (within acquire_timeout_ms); if it fails, every operation of the store is kCorrupt. Called
  // once, from the checking thread, with nullptr when it passed or the error when it failed, and
  // how long it took. Not called when the store is closed before the check ends.
  std::function<void(const Error* failure, int64_t elapsed_ms)> on_integrity_checked;
  // SQLite: do not start that background check until Store::StartDeferredWork() is called or the
  // first write transaction asks for the writer (which then waits for the check as above). A
  // server sets it so the check, which reads every page of the file, does not share the CPU with
  // its own start-up: a restart on a large database is ready as fast as on a small one.
  bool defer_integrity_check = false;
};

// Opens the database named by url: "sqlite:PATH" (file created if absent, WAL mode) or
// "postgresql://..." / "postgres://...". kInvalid for an unknown scheme; kCorrupt for a file that
// is not a SQLite database; kUnavailable when it cannot be opened or reached. Never overwrites or
// "repairs" an existing file.
Result<std::unique_ptr<Store>> Open(const std::string& url, const OpenOptions& options);

}  // namespace idm::store
