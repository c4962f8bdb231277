// Delegated administration rules (idm/admin/authorization.h) on verified claims.
#include "idm/admin/authorization.h"

#include <gtest/gtest.h>

namespace idm::admin {
namespace {

oauth::AccessTokenClaims Claims(const std::string& realm, std::vector<std::string> roles,
                                const std::string& sub = "u1", const std::string& client = "c1") {
  oauth::AccessTokenClaims c;
  c.realm = realm;
  c.subject = sub;
  c.client_id = client;
  c.realm_roles = std::move(roles);
  return c;
}

TEST(Authorize, MasterAdminMayDoEverything) {
  Caller caller = CallerFromClaims(Claims("master", {"admin"}));
  EXPECT_TRUE(Authorize(caller, Access::kMasterAdmin, "").ok());
  EXPECT_TRUE(Authorize(caller, Access::kRealm, "acme").ok());
  EXPECT_TRUE(Authorize(caller, Access::kAnyAdmin, "").ok());
}

TEST(Authorize, RealmAdminIsConfinedToItsRealmAndCannotManageRealms) {
  Caller caller = CallerFromClaims(Claims("acme", {"realm-admin"}));
  EXPECT_TRUE(Authorize(caller, Access::kRealm, "acme").ok());
  EXPECT_TRUE(Authorize(caller, Access::kAnyAdmin, "").ok());
  auto other = Authorize(caller, Access::kRealm, "globex");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, core::ServiceErrorCode::kPermissionDenied);
  EXPECT_FALSE(Authorize(caller, Access::kMasterAdmin, "").ok());
}

TEST(Authorize, AdminRoleOutsideMasterAndOtherRolesGrantNothing) {
  for (const auto& claims : {Claims("acme", {"admin"}), Claims("master", {"viewer"}),
                             Claims("master", {})}) {
    Caller caller = CallerFromClaims(claims);
    EXPECT_FALSE(Authorize(caller, Access::kAnyAdmin, "").ok()) << claims.realm;
    EXPECT_FALSE(Authorize(caller, Access::kRealm, "master").ok()) << claims.realm;
    EXPECT_TRUE(Authorize(caller, Access::kPublic, "").ok());
  }
}

TEST(CallerFromClaims, NamesUsersAndClientsActingForThemselves) {
  EXPECT_EQ(CallerFromClaims(Claims("master", {}, "u-9", "cli")).actor, "user:u-9");
  EXPECT_EQ(CallerFromClaims(Claims("master", {}, "svc", "svc")).actor, "client:svc");
  EXPECT_EQ(CallerFromClaims(Claims("master", {}, "", "svc")).actor, "client:svc");
}

TEST(ContextFor, CarriesActorAddressRequestIdAndTime) {
  http::WebRequest request;
  request.remote_addr = "198.51.100.7";
  request.request_id = "rid";
  request.received_at = 123;
  core::OpContext ctx = ContextFor(CallerFromClaims(Claims("master", {}, "u")), request);
  EXPECT_EQ(ctx.actor, "user:u");
  EXPECT_EQ(ctx.client_ip, "198.51.100.7");
  EXPECT_EQ(ctx.request_id, "rid");
  EXPECT_EQ(ctx.now, 123);
}

}  // namespace
}  // namespace idm::admin
