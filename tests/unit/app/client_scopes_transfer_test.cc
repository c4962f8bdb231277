// Realm export/import (model_json.h) carries client scopes with their claim mappers; exports from
// before migration 0003 (no client_scopes) import with none, and a malformed value is refused.
#include <gtest/gtest.h>

#include "idm/app/model_json.h"

namespace idm::app {
namespace {

using core::Json;

TEST(ClientScopesTransfer, ExportedClientScopesImportUnchanged) {
  core::Client c;
  c.client_id = "shop";
  core::ClaimMapper m;
  m.kind = core::ClaimMapperKind::kClientRoles;
  m.claim_name = "billing.roles";
  m.client_id = "billing";
  m.in_id_token = false;
  c.client_scopes = {{"orders", "Orders", {m}}};
  Json exported = ToJson(c, /*with_secret_hash=*/false);
  core::Client back = ClientFromJson(exported);
  ASSERT_EQ(back.client_scopes.size(), 1u);
  EXPECT_EQ(back.client_scopes[0].name, "orders");
  ASSERT_EQ(back.client_scopes[0].mappers.size(), 1u);
  EXPECT_EQ(back.client_scopes[0].mappers[0].kind, core::ClaimMapperKind::kClientRoles);
  EXPECT_EQ(back.client_scopes[0].mappers[0].client_id, "billing");
  EXPECT_FALSE(back.client_scopes[0].mappers[0].in_id_token);
}

TEST(ClientScopesTransfer, OldExportsHaveNoClientScopesAndMalformedOnesAreRefused) {
  core::Client c;
  c.client_id = "web";
  Json exported = ToJson(c, false);
  exported.erase("client_scopes");
  EXPECT_TRUE(ClientFromJson(exported).client_scopes.empty());
  exported["client_scopes"] = Json::array({{{"name", "x"}, {"mappers", {{{"kind", "bogus"}}}}}});
  EXPECT_THROW(ClientFromJson(exported), nlohmann::json::exception);
}

}  // namespace
}  // namespace idm::app
