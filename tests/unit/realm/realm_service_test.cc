#include "idm/realm/realm_service.h"

#include <gtest/gtest.h>

#include "tests/unit/realm/service_env.h"

namespace idm::svctest {
namespace {

using core::ServiceErrorCode;

TEST_F(ServiceTest, RealmCreateAssignsIdVersionAndTimestampsAndWritesRealmCreated) {
  EXPECT_FALSE(acme_.id.empty());
  EXPECT_EQ(acme_.version, 1);
  EXPECT_EQ(acme_.created_at, env_.ctx_.now);
  auto events = env_.Events("acme");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "RealmCreated");
  EXPECT_EQ(events[0].resource_type, "realm");
  EXPECT_EQ(events[0].resource_id, acme_.id);
  EXPECT_EQ(events[0].actor, "user:tester");
  EXPECT_EQ(events[0].client_ip, "192.0.2.7");
  EXPECT_EQ(events[0].request_id, "req-1");
}

TEST_F(ServiceTest, RealmCreateRejectsInvalidNameAndSettingsWithFields) {
  core::Realm draft;
  draft.name = "Not Valid";
  draft.settings.authorization_code_ttl_s = 3600;
  auto r = env_.realms_->Create(env_.ctx_, draft);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ServiceErrorCode::kInvalidArgument);
  EXPECT_TRUE(HasViolation(r.error(), "name"));
  EXPECT_TRUE(HasViolation(r.error(), "settings.authorization_code_ttl_s"));
}

TEST_F(ServiceTest, RealmCreateRejectsDuplicateName) {
  core::Realm draft;
  draft.name = "acme";
  auto r = env_.realms_->Create(env_.ctx_, draft);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ServiceErrorCode::kAlreadyExists);
}

TEST_F(ServiceTest, RealmGetAndListFindRealmsByName) {
  auto got = env_.realms_->Get("acme");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, acme_.id);
  EXPECT_EQ(env_.realms_->Get("nope").error().code, ServiceErrorCode::kNotFound);
  auto all = env_.realms_->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "acme");
  EXPECT_EQ((*all)[1].name, "master");
}

TEST_F(ServiceTest, RealmUpdateChangesSettingsAndBumpsVersion) {
  core::Realm changes = acme_;
  changes.display_name = "Acme Corp";
  changes.settings.access_token_ttl_s = 600;
  auto updated = env_.realms_->Update(env_.ctx_, "acme", changes, 1);
  ASSERT_TRUE(updated.ok()) << updated.error().detail;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->display_name, "Acme Corp");
  EXPECT_EQ(env_.realms_->Get("acme")->settings.access_token_ttl_s, 600);
  auto events = env_.Events("acme");
  ASSERT_EQ(events.back().type, "RealmUpdated");
  EXPECT_NE(events.back().details.find("settings"), std::string::npos);
}

TEST_F(ServiceTest, RealmUpdateWithStaleVersionIsPreconditionFailed) {
  core::Realm changes = acme_;
  changes.display_name = "first";
  ASSERT_TRUE(env_.realms_->Update(env_.ctx_, "acme", changes, 1).ok());
  changes.display_name = "second";
  auto stale = env_.realms_->Update(env_.ctx_, "acme", changes, 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ServiceErrorCode::kPreconditionFailed);
  EXPECT_EQ(env_.realms_->Get("acme")->display_name, "first");
  EXPECT_EQ(env_.Events("acme").size(), 2u);  // created + one update; the refused one left none
}

TEST_F(ServiceTest, RealmUpdateRefusesRenameInvalidSettingsAndUnknownRealm) {
  core::Realm changes = acme_;
  changes.name = "other";
  EXPECT_TRUE(HasViolation(env_.realms_->Update(env_.ctx_, "acme", changes, 1).error(), "name"));
  changes.name = "";
  changes.settings.password_policy.min_length = 2;
  auto bad = env_.realms_->Update(env_.ctx_, "acme", changes, 1);
  EXPECT_TRUE(HasViolation(bad.error(), "settings.password_policy.min_length"));
  core::Realm unnamed = acme_;
  unnamed.name = "";
  EXPECT_EQ(env_.realms_->Update(env_.ctx_, "nope", unnamed, 1).error().code,
            ServiceErrorCode::kNotFound);
}

TEST_F(ServiceTest, MasterRealmCannotBeDisabledOrDeleted) {
  auto master = *env_.realms_->Get("master");
  master.enabled = false;
  EXPECT_EQ(env_.realms_->Update(env_.ctx_, "master", master, master.version).error().code,
            ServiceErrorCode::kFailedPrecondition);
  EXPECT_EQ(env_.realms_->Delete(env_.ctx_, "master").error().code,
            ServiceErrorCode::kFailedPrecondition);
  EXPECT_TRUE(env_.realms_->Get("master")->enabled);
}

TEST_F(ServiceTest, RealmDeleteRemovesItAndRecordsRealmDeletedInMaster) {
  ASSERT_TRUE(env_.realms_->Delete(env_.ctx_, "acme").ok());
  EXPECT_EQ(env_.realms_->Get("acme").error().code, ServiceErrorCode::kNotFound);
  auto events = env_.Events("master");
  ASSERT_EQ(events.back().type, "RealmDeleted");
  EXPECT_EQ(events.back().resource_id, acme_.id);
  EXPECT_EQ(env_.realms_->Delete(env_.ctx_, "acme").error().code, ServiceErrorCode::kNotFound);
}

TEST(RealmServiceWithoutMaster, DeleteIsRefusedWhileNoMasterRealmCanRecordIt) {
  ServiceEnv env;
  env.MakeRealm("solo");
  auto r = env.realms_->Delete(env.ctx_, "solo");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ServiceErrorCode::kFailedPrecondition);
  EXPECT_TRUE(env.realms_->Get("solo").ok());
}

}  // namespace
}  // namespace idm::svctest
