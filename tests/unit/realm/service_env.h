// Test environment of the domain-service tests: a REAL SQLite store in a fresh temp directory
// (migrated), real randomness and a cheap Argon2 configuration, the services under test, and an
// OpContext. Shared by tests/unit/{realm,account,rbac}.
//
// Thread-safety: one per test.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "idm/account/user_service.h"
#include "idm/core/op_context.h"
#include "idm/crypto/password.h"
#include "idm/crypto/secure_random.h"
#include "idm/rbac/group_service.h"
#include "idm/rbac/role_service.h"
#include "idm/realm/audit_service.h"
#include "idm/realm/client_service.h"
#include "idm/realm/realm_service.h"
#include "idm/store/store.h"

namespace idm::svctest {

// Argon2 parameters that keep tests fast; production uses crypto::Argon2Params defaults.
inline crypto::Argon2Params CheapArgon2() {
  crypto::Argon2Params p;
  p.memory_kib = 256;
  p.iterations = 1;
  return p;
}

class ServiceEnv {
 public:
  ServiceEnv() : hasher_(CheapArgon2(), random_) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "idm-svc-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data()) ? tmpl : "";
    EXPECT_FALSE(dir_.empty());
    db_path_ = dir_ + "/idm.db";
    auto store = store::Open("sqlite:" + db_path_, store::OpenOptions{});
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
    if (!store.ok()) std::abort();
    store_ = std::move(*store);
    auto migrated = store_->Migrate();
    EXPECT_TRUE(migrated.ok());
    realms_ = std::make_unique<realm::RealmService>(*store_, random_);
    clients_ = std::make_unique<realm::ClientService>(*store_, random_);
    audit_ = std::make_unique<realm::AuditService>(*store_);
    users_ = std::make_unique<account::UserService>(*store_, hasher_, random_);
    roles_ = std::make_unique<rbac::RoleService>(*store_, random_);
    groups_ = std::make_unique<rbac::GroupService>(*store_, random_);
  }
  ~ServiceEnv() {
    groups_.reset();
    roles_.reset();
    users_.reset();
    audit_.reset();
    clients_.reset();
    realms_.reset();
    store_.reset();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // Creates realm `name` (and `master`, which realm deletion records into) with default settings.
  core::Realm MakeRealm(const std::string& name) {
    core::Realm draft;
    draft.name = name;
    auto created = realms_->Create(ctx_, draft);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().detail);
    return created.ok() ? *created : core::Realm{};
  }

  core::User MakeUser(const std::string& realm, const std::string& username,
                      const std::string& email = "") {
    core::User draft;
    draft.username = username;
    draft.email = email;
    auto created = users_->Create(ctx_, realm, draft, std::nullopt);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().detail);
    return created.ok() ? *created : core::User{};
  }

  // Every audit event of the realm, in order.
  std::vector<core::AuditEvent> Events(const std::string& realm) {
    auto events = audit_->List(realm, 0, 1000);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<core::AuditEvent>{};
  }
  std::string LastEventType(const std::string& realm) {
    auto events = Events(realm);
    return events.empty() ? "" : events.back().type;
  }

  crypto::SecureRandom random_;
  crypto::PasswordHasher hasher_;
  std::string dir_;
  std::string db_path_;
  std::unique_ptr<store::Store> store_;
  core::OpContext ctx_{"user:tester", "192.0.2.7", "req-1", 1'700'000'000'000};
  std::unique_ptr<realm::RealmService> realms_;
  std::unique_ptr<realm::ClientService> clients_;
  std::unique_ptr<realm::AuditService> audit_;
  std::unique_ptr<account::UserService> users_;
  std::unique_ptr<rbac::RoleService> roles_;
  std::unique_ptr<rbac::GroupService> groups_;
};

// Test fixture: an environment with realms "master" and "acme".
class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.MakeRealm("master");
    acme_ = env_.MakeRealm("acme");
  }
  ServiceEnv env_;
  core::Realm acme_;
};

inline core::ServiceErrorCode CodeOf(const core::ServiceError& e) { return e.code; }

// True if any violation names `field`.
inline bool HasViolation(const core::ServiceError& e, const std::string& field) {
  for (const auto& v : e.violations) {
    if (v.field == field) return true;
  }
  return false;
}

}  // namespace idm::svctest
