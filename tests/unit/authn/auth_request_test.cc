// The login flow's persisted request (LoginFlow::request_json) and the pure decisions of
// LoginService: re-authentication (OIDC Core §3.1.2.1 prompt/max_age) and consent
// (§3.1.2.4).
#include "idm/authn/auth_request.h"

#include <gtest/gtest.h>

#include "idm/authn/login_service.h"

namespace idm::authn {
namespace {

TEST(FlowData, RoundTripsEveryField) {
  FlowData d;
  AuthRequest& r = d.request;
  r.client_id = "app";
  r.redirect_uri = "https://app.example/cb?x=1";
  r.redirect_uri_in_request = false;
  r.form_post = true;
  r.scope = {"openid", "email"};
  r.state = "s\"<";
  r.nonce = "n";
  r.prompt_login = true;
  r.prompt_consent = true;
  r.max_age = 0;
  r.login_hint = "alice";
  r.ui_locales = {"ko", "en"};
  r.acr_values = {"1"};
  r.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  r.code_challenge_method = "S256";
  d.session_id = "sid";
  auto back = FlowDataFromJson(FlowDataToJson(d));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->request.redirect_uri, r.redirect_uri);
  EXPECT_FALSE(back->request.redirect_uri_in_request);
  EXPECT_TRUE(back->request.form_post);
  EXPECT_EQ(back->request.scope, r.scope);
  EXPECT_EQ(back->request.state, r.state);
  EXPECT_FALSE(back->request.prompt_none);
  EXPECT_TRUE(back->request.prompt_login);
  EXPECT_TRUE(back->request.prompt_consent);
  EXPECT_FALSE(back->request.prompt_select_account);
  ASSERT_TRUE(back->request.max_age.has_value());
  EXPECT_EQ(*back->request.max_age, 0);
  EXPECT_EQ(back->request.ui_locales, r.ui_locales);
  EXPECT_EQ(back->request.code_challenge, r.code_challenge);
  EXPECT_EQ(back->session_id, "sid");
}

TEST(FlowData, AbsentMaxAgeStaysAbsentAndGarbageIsAnError) {
  FlowData d;
  auto back = FlowDataFromJson(FlowDataToJson(d));
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->request.max_age.has_value());
  EXPECT_FALSE(FlowDataFromJson("not json").ok());
  EXPECT_FALSE(FlowDataFromJson("{\"client_id\": 3}").ok());
}

TEST(Reauthentication, PromptLoginAndSelectAccountAlwaysReauthenticate) {
  core::SsoSession s;
  s.auth_time = 1000;
  AuthRequest r;
  EXPECT_FALSE(NeedsReauthentication(r, s, 1000));
  r.prompt_login = true;
  EXPECT_TRUE(NeedsReauthentication(r, s, 1000));
  r = {};
  r.prompt_select_account = true;
  EXPECT_TRUE(NeedsReauthentication(r, s, 1000));
}

TEST(Reauthentication, MaxAgeCountsSecondsSinceAuthTime) {
  core::SsoSession s;
  s.auth_time = 100'000;
  AuthRequest r;
  r.max_age = 60;
  EXPECT_FALSE(NeedsReauthentication(r, s, 160'000)) << "exactly max_age is still fresh";
  EXPECT_TRUE(NeedsReauthentication(r, s, 160'001));
  r.max_age = 0;
  EXPECT_FALSE(NeedsReauthentication(r, s, 100'000));
  EXPECT_TRUE(NeedsReauthentication(r, s, 100'001));
}

TEST(Consent, SkippedForClientsThatDoNotRequireItUnlessPromptConsent) {
  core::Client first_party;
  first_party.consent_required = false;
  AuthRequest r;
  r.scope = {"openid"};
  EXPECT_FALSE(NeedsConsent(r, first_party, std::nullopt));
  r.prompt_consent = true;
  EXPECT_TRUE(NeedsConsent(r, first_party, std::nullopt));
}

TEST(Consent, AskedUntilTheStoredConsentCoversEveryRequestedScope) {
  core::Client client;
  client.consent_required = true;
  AuthRequest r;
  r.scope = {"openid", "email"};
  EXPECT_TRUE(NeedsConsent(r, client, std::nullopt));
  core::Consent c;
  c.scopes = {"openid"};
  EXPECT_TRUE(NeedsConsent(r, client, c));
  c.scopes = {"email", "openid", "profile"};
  EXPECT_FALSE(NeedsConsent(r, client, c));
  EXPECT_EQ(MergeScopes({"openid", "profile"}, {"email", "openid"}),
            (std::vector<std::string>{"email", "openid", "profile"}));
}

}  // namespace
}  // namespace idm::authn
