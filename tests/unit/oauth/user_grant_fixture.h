// Fixture of the user-grant tests (authorization_code, refresh_token, introspection, revocation):
// the OAuthTest services plus a user "alice" with a role, an SSO session, a confidential client
// "web" (client_secret_basic), a second confidential client "other" and a public client "spa",
// all allowed authorization_code and refresh_token. Codes are inserted straight into the store,
// as the authorization endpoint would.
#pragma once

#include <string>

#include "idm/core/json.h"
#include "idm/core/oidc_model.h"
#include "tests/unit/oauth/oauth_fixture.h"

namespace idm::oauth::testing {

// RFC 7636 Appendix B.
inline constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
inline constexpr const char* kRedirect = "https://app.example.test/cb";

struct CodeSpec {
  std::string client = "web";
  std::string scope = "openid profile";
  std::string challenge = kChallenge;  // "" = no PKCE
  std::string redirect_uri = kRedirect;
  std::string nonce = "n-0S6_WzA2Mj";
  int64_t ttl_ms = 60'000;
  std::string user_id;  // "" = alice
};

class UserGrantTest : public OAuthTest {
 protected:
  void SetUp() override;

  // Inserts a code for spec; returns the code ("idm_ac_...").
  std::string IssueCode(const CodeSpec& spec = {});
  // POST grant_type=authorization_code as `client` (web/other: Basic; spa: client_id).
  http::WebResponse Redeem(const std::string& code, const std::string& extra_form,
                           const std::string& client = "web");
  // Redeems with the default verifier and redirect_uri; the parsed body (200 expected).
  core::Json RedeemOk(const std::string& code, const std::string& client = "web");
  http::WebResponse Refresh(const std::string& refresh_token, const std::string& extra_form = "",
                            const std::string& client = "web");
  // A form POST to `path` under the realm with client authentication of `client`.
  http::WebResponse PostAs(const std::string& path, const std::string& form,
                           const std::string& client);
  core::Client ClientNamed(const std::string& client_id);
  void SaveClient(const core::Client& c);
  void SaveUser(const core::User& u);
  core::RefreshToken StoredRefresh(const std::string& refresh_token);
  core::SsoSession StoredSession();
  // Audit event types of the realm, in order.
  std::vector<std::string> AuditTypes();
  void RevokeSession();
  // The signing keys' published JWKS of the realm.
  crypto::JwkSet PublishedKeys();

  core::Realm realm_;
  core::User alice_;
  std::string session_id_;
  std::map<std::string, std::string> secrets_;  // client_id -> secret
};

// The JSON body of a response (discarded value when not JSON).
core::Json BodyOf(const http::WebResponse& r);
std::string HeaderValue(const http::WebResponse& r, const std::string& name);
std::string UrlEncode(const std::string& s);

}  // namespace idm::oauth::testing
