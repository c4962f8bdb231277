#include "idm/store/sql_store.h"

#include "idm/store/migrations.h"
#include "idm/store/repos/sql_repos.h"

namespace idm::store {
namespace {

// A transaction on one leased connection. Repositories are made on first use.
class SqlTransaction final : public Transaction {
 public:
  // directory_generation: raised after a commit when this (write) transaction used a directory
  // repository; null for read-only transactions.
  SqlTransaction(sql::Lease lease, std::atomic<uint64_t>* directory_generation)
      : lease_(std::move(lease)), directory_generation_(directory_generation) {}
  ~SqlTransaction() override {
    if (!done_) (void)lease_->Exec("ROLLBACK", {});
  }

  RealmRepo& realms() override { return Directory(Lazy(realms_, repos::NewRealmRepo)); }
  UserRepo& users() override { return Directory(Lazy(users_, repos::NewUserRepo)); }
  GroupRepo& groups() override { return Directory(Lazy(groups_, repos::NewGroupRepo)); }
  RoleRepo& roles() override { return Directory(Lazy(roles_, repos::NewRoleRepo)); }
  ClientRepo& clients() override { return Directory(Lazy(clients_, repos::NewClientRepo)); }
  KeyRepo& keys() override { return Lazy(keys_, repos::NewKeyRepo); }
  AuditRepo& audit() override { return Lazy(audit_, repos::NewAuditRepo); }
  MetaRepo& meta() override { return Lazy(meta_, repos::NewMetaRepo); }
  SessionRepo& sessions() override { return Lazy(sessions_, repos::NewSessionRepo); }
  LoginFlowRepo& login_flows() override { return Lazy(flows_, repos::NewLoginFlowRepo); }
  AuthorizationCodeRepo& codes() override { return Lazy(codes_, repos::NewAuthorizationCodeRepo); }
  RefreshTokenRepo& refresh_tokens() override {
    return Lazy(refresh_tokens_, repos::NewRefreshTokenRepo);
  }
  ConsentRepo& consents() override { return Lazy(consents_, repos::NewConsentRepo); }
  LoginFailureRepo& login_failures() override {
    return Lazy(login_failures_, repos::NewLoginFailureRepo);
  }
  JtiRepo& jtis() override { return Lazy(jtis_, repos::NewJtiRepo); }
  RegistrationRepo& registrations() override {
    return Lazy(registrations_, repos::NewRegistrationRepo);
  }
  CredentialRepo& credentials() override { return Lazy(credentials_, repos::NewCredentialRepo); }
  RecoveryCodeRepo& recovery_codes() override {
    return Lazy(recovery_codes_, repos::NewRecoveryCodeRepo);
  }
  WebAuthnRepo& webauthn() override { return Lazy(webauthn_, repos::NewWebAuthnRepo); }
  EmailCodeRepo& email_codes() override { return Lazy(email_codes_, repos::NewEmailCodeRepo); }
  SmtpSettingsRepo& smtp_settings() override {
    return Lazy(smtp_settings_, repos::NewSmtpSettingsRepo);
  }

  Status Commit() override {
    if (done_) return Invalid("transaction already committed");
    IDM_TRY(lease_->Exec("COMMIT", {}));
    done_ = true;
    if (directory_used_) directory_generation_->fetch_add(1, std::memory_order_acq_rel);
    return {};
  }

 private:
  template <class T>
  T& Lazy(std::unique_ptr<T>& slot, std::unique_ptr<T> (*make)(sql::Connection&)) {
    if (!slot) slot = make(*lease_);
    return *slot;
  }

  // Marks a write transaction that may change a directory object (store.h DirectoryGeneration).
  template <class T>
  T& Directory(T& repo) {
    if (directory_generation_ != nullptr) directory_used_ = true;
    return repo;
  }

  sql::Lease lease_;
  std::atomic<uint64_t>* directory_generation_;
  bool directory_used_ = false;
  bool done_ = false;
  std::unique_ptr<RealmRepo> realms_;
  std::unique_ptr<UserRepo> users_;
  std::unique_ptr<GroupRepo> groups_;
  std::unique_ptr<RoleRepo> roles_;
  std::unique_ptr<ClientRepo> clients_;
  std::unique_ptr<KeyRepo> keys_;
  std::unique_ptr<AuditRepo> audit_;
  std::unique_ptr<MetaRepo> meta_;
  std::unique_ptr<SessionRepo> sessions_;
  std::unique_ptr<LoginFlowRepo> flows_;
  std::unique_ptr<AuthorizationCodeRepo> codes_;
  std::unique_ptr<RefreshTokenRepo> refresh_tokens_;
  std::unique_ptr<ConsentRepo> consents_;
  std::unique_ptr<LoginFailureRepo> login_failures_;
  std::unique_ptr<JtiRepo> jtis_;
  std::unique_ptr<RegistrationRepo> registrations_;
  std::unique_ptr<CredentialRepo> credentials_;
  std::unique_ptr<RecoveryCodeRepo> recovery_codes_;
  std::unique_ptr<WebAuthnRepo> webauthn_;
  std::unique_ptr<EmailCodeRepo> email_codes_;
  std::unique_ptr<SmtpSettingsRepo> smtp_settings_;
};

// Rolls back an open migration transaction unless it was committed.
class RollbackGuard {
 public:
  explicit RollbackGuard(sql::Connection& c) : c_(c) {}
  ~RollbackGuard() {
    if (armed_) (void)c_.Exec("ROLLBACK", {});
  }
  void Disarm() { armed_ = false; }

 private:
  sql::Connection& c_;
  bool armed_ = true;
};

constexpr char kCreateMigrationsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

// Whether schema_migrations exists: the one catalogue query, spelled per dialect.
Result<bool> MigrationsTableExists(sql::Connection& c) {
  std::string_view sql =
      c.dialect() == sql::Dialect::kSqlite
          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
            "name = 'schema_migrations'"
          : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
            "current_schema() AND table_name = 'schema_migrations'";
  IDM_ASSIGN_OR_RETURN(auto rows, c.Query(sql, {}));
  return !rows.empty() && rows.Int(0, 0) > 0;
}

}  // namespace

SqlStore::SqlStore(std::unique_ptr<sql::Driver> driver, std::vector<core::EmbeddedFile> migrations,
                   const core::Clock& clock, bool read_only)
    : driver_(std::move(driver)),
      migrations_(std::move(migrations)),
      clock_(clock),
      read_only_(read_only) {}

Result<std::unique_ptr<Transaction>> SqlStore::Begin(TxMode mode) {
  bool write = mode == TxMode::kReadWrite;
  if (write && read_only_) return Unavailable("the store was opened read-only");
  IDM_ASSIGN_OR_RETURN(sql::Lease lease, driver_->Acquire(write));
  IDM_TRY(lease->Exec(driver_->BeginSql(write), {}));
  return std::unique_ptr<Transaction>(std::make_unique<SqlTransaction>(
      std::move(lease), write ? &directory_generation_ : nullptr));
}

Status SqlStore::Ping() {
  IDM_ASSIGN_OR_RETURN(sql::Lease lease, driver_->Acquire(false));
  IDM_TRY(lease->Query("SELECT 1", {}));
  return {};
}

Result<int> SqlStore::SchemaVersion() {
  IDM_ASSIGN_OR_RETURN(sql::Lease lease, driver_->Acquire(false));
  IDM_ASSIGN_OR_RETURN(bool exists, MigrationsTableExists(*lease));
  if (!exists) return 0;
  IDM_ASSIGN_OR_RETURN(auto rows,
                       lease->Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}));
  return static_cast<int>(rows.Int(0, 0));
}

Result<int> SqlStore::Migrate() {
  if (read_only_) return Unavailable("the store was opened read-only; migrations need writes");
  IDM_ASSIGN_OR_RETURN(auto known, ParseMigrations(migrations_));
  IDM_ASSIGN_OR_RETURN(int current, SchemaVersion());
  int newest = known.empty() ? 0 : known.back().version;
  if (current > newest) {
    return Invalid("the database schema is at version " + std::to_string(current) +
                   ", newer than this idm binary knows (" + std::to_string(newest) +
                   "); run a newer idm");
  }
  int ran = 0;
  for (const Migration& m : known) {
    if (m.version <= current) continue;
    IDM_ASSIGN_OR_RETURN(bool applied, Apply(m.version, m.name, m.sql));
    if (applied) ++ran;
  }
  return ran;
}

Result<bool> SqlStore::Apply(int version, const std::string& name, std::string_view script) {
  IDM_ASSIGN_OR_RETURN(sql::Lease lease, driver_->Acquire(true));
  IDM_TRY(lease->Exec(driver_->BeginSql(true), {}));
  RollbackGuard guard(*lease);
  IDM_TRY(lease->Exec(kCreateMigrationsTable, {}));
  if (lease->dialect() == sql::Dialect::kPostgres) {
    IDM_TRY(lease->Exec("LOCK TABLE schema_migrations IN EXCLUSIVE MODE", {}));
  }
  std::vector<sql::Value> key = {static_cast<int64_t>(version)};
  IDM_ASSIGN_OR_RETURN(auto done,
                       lease->Query("SELECT version FROM schema_migrations WHERE version = $1", key));
  if (!done.empty()) return false;
  if (auto r = lease->ExecScript(script); !r) {
    Error e = r.error();
    e.message = "migration " + std::to_string(version) + "_" + name + " failed: " + e.message;
    if (e.code == ErrorCode::kConflict) e.code = ErrorCode::kInvalid;
    return e;
  }
  std::vector<sql::Value> row = {static_cast<int64_t>(version), name, clock_.NowMillis()};
  IDM_TRY(lease->Exec("INSERT INTO schema_migrations (version, name, applied_at) "
                      "VALUES ($1, $2, $3)",
                      row));
  IDM_TRY(lease->Exec("COMMIT", {}));
  guard.Disarm();
  return true;
}

}  // namespace idm::store
