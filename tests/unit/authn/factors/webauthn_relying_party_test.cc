// The WebAuthn relying party of idm's public URL (factors/webauthn.h): the origin is scheme, host
// and port (W3C WebAuthn L2 §5.1.4 / HTML origin), the RP ID the host alone (§5.1.5 "RP ID"), and a
// path on the public URL (idm behind a reverse proxy) changes neither.
#include "idm/authn/factors/webauthn.h"

#include <gtest/gtest.h>

namespace idm::authn::factors {
namespace {

TEST(WebAuthnRelyingParty, OriginKeepsThePortAndRpIdIsTheHostAlone) {
  struct Case {
    const char* url;
    const char* origin;
    const char* id;
  } cases[] = {
      {"https://id.example.com", "https://id.example.com", "id.example.com"},
      {"https://id.example.com:8443/idm", "https://id.example.com:8443", "id.example.com"},
      {"http://localhost:8080/", "http://localhost:8080", "localhost"},
      {"https://id.example.com?x=1", "https://id.example.com", "id.example.com"},
  };
  for (const Case& c : cases) {
    WebAuthnRelyingParty rp = RelyingPartyFromUrl(c.url);
    EXPECT_EQ(rp.origin, c.origin) << c.url;
    EXPECT_EQ(rp.id, c.id) << c.url;
  }
}

TEST(WebAuthnRelyingParty, UrlWithoutSchemeOrHostGivesNoRelyingParty) {
  for (const char* url : {"id.example.com", "https://", ""}) {
    WebAuthnRelyingParty rp = RelyingPartyFromUrl(url);
    EXPECT_EQ(rp.origin, "") << url;
    EXPECT_EQ(rp.id, "") << url;
  }
}

}  // namespace
}  // namespace idm::authn::factors
