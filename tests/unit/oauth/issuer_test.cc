#include "idm/oauth/issuer.h"

#include <gtest/gtest.h>

namespace idm::oauth {
namespace {

TEST(Issuer, IsPublicUrlSlashRealmsSlashName) {
  EXPECT_EQ(IssuerOf("https://id.example.com", "acme"), "https://id.example.com/realms/acme");
  EXPECT_EQ(IssuerOf("https://id.example.com/", "acme"), "https://id.example.com/realms/acme");
  EXPECT_EQ(TokenEndpointOf("https://x/realms/a"),
            "https://x/realms/a/protocol/openid-connect/token");
  EXPECT_EQ(JwksUriOf("https://x/realms/a"), "https://x/realms/a/protocol/openid-connect/certs");
}

TEST(Issuer, RealmFromIssuerAcceptsOnlyThisInstallationsIssuers) {
  EXPECT_EQ(RealmFromIssuer("https://id.example.com/", "https://id.example.com/realms/acme"),
            "acme");
  EXPECT_FALSE(RealmFromIssuer("https://id.example.com", "https://evil.example.com/realms/acme"));
  EXPECT_FALSE(RealmFromIssuer("https://id.example.com", "https://id.example.com/realms/"));
  EXPECT_FALSE(RealmFromIssuer("https://id.example.com", "https://id.example.com/realms/a/b"));
  EXPECT_FALSE(RealmFromIssuer("https://id.example.com", "https://id.example.com/realmsx/a"));
  EXPECT_FALSE(RealmFromIssuer("https://id.example.com", "https://id.example.com.evil/realms/a"));
}

}  // namespace
}  // namespace idm::oauth
