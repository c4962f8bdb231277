// Authorization request validation (RFC 6749 §3.1, §4.1.1, §4.1.2.1; OIDC Core §3.1.2.1;
// RFC 7636 §4.3-4.4; RFC 9700 §2.1.1).
#include "idm/oauth/authorization_request.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "idm/oauth/pkce.h"

namespace idm::oauth {
namespace {

const std::string kChallenge = S256Challenge(std::string(43, 'v'));

core::Client WebClient() {
  core::Client c;
  c.client_id = "web";
  c.type = core::ClientType::kConfidential;
  c.redirect_uris = {"https://app.example/cb", "http://127.0.0.1/native"};
  c.grant_types = {"authorization_code"};
  c.scopes = {"openid", "profile", "email", "read"};
  return c;
}

core::Client PublicClient() {
  core::Client c = WebClient();
  c.client_id = "spa";
  c.type = core::ClientType::kPublic;
  return c;
}

http::Params ValidParams() {
  return {{"client_id", "web"},
          {"redirect_uri", "https://app.example/cb"},
          {"response_type", "code"},
          {"scope", "openid profile"},
          {"state", "s1"},
          {"nonce", "n1"},
          {"code_challenge", kChallenge},
          {"code_challenge_method", "S256"}};
}

http::Params With(http::Params p, const std::string& name, const std::string& value) {
  p.erase(name);
  p.emplace(name, value);
  return p;
}

http::Params Without(http::Params p, const std::string& name) {
  p.erase(name);
  return p;
}

TEST(AuthorizationRequest, ValidOidcRequestIsParsedCompletely) {
  http::Params p = ValidParams();
  p.emplace("prompt", "login consent");
  p.emplace("max_age", "0");
  p.emplace("login_hint", "alice@example.com");
  p.emplace("ui_locales", "ko en");
  p.emplace("acr_values", "urn:mfa urn:pwd");
  p.emplace("id_token_hint", "eyJ.x.y");
  p.emplace("response_mode", "form_post");
  auto r = ParseAuthorizationRequest(p, WebClient(), false);
  ASSERT_TRUE(r) << r.error().description;
  EXPECT_EQ(r->client_id, "web");
  EXPECT_EQ(r->redirect_uri, "https://app.example/cb");
  EXPECT_TRUE(r->redirect_uri_in_request);
  EXPECT_EQ(r->response_mode, ResponseMode::kFormPost);
  EXPECT_EQ(r->scope, (std::vector<std::string>{"openid", "profile"}));
  EXPECT_TRUE(r->openid);
  EXPECT_EQ(r->state, "s1");
  EXPECT_EQ(r->nonce, "n1");
  EXPECT_TRUE(r->prompt.login);
  EXPECT_TRUE(r->prompt.consent);
  EXPECT_FALSE(r->prompt.none);
  EXPECT_EQ(r->max_age, std::optional<int64_t>(0));
  EXPECT_EQ(r->login_hint, "alice@example.com");
  EXPECT_EQ(r->ui_locales, (std::vector<std::string>{"ko", "en"}));
  EXPECT_EQ(r->acr_values, (std::vector<std::string>{"urn:mfa", "urn:pwd"}));
  EXPECT_EQ(r->id_token_hint, "eyJ.x.y");
  EXPECT_EQ(r->code_challenge, kChallenge);
  EXPECT_EQ(r->code_challenge_method, "S256");
}

TEST(AuthorizationRequest, LoopbackRedirectWithPortIsEchoedAsSent) {
  auto r = ParseAuthorizationRequest(
      With(ValidParams(), "redirect_uri", "http://127.0.0.1:49152/native"), WebClient(), false);
  ASSERT_TRUE(r) << r.error().description;
  EXPECT_EQ(r->redirect_uri, "http://127.0.0.1:49152/native");
  EXPECT_EQ(r->registered_redirect_uri, "http://127.0.0.1/native");
}

struct FatalCase {
  const char* name;
  http::Params params;
  AuthzErrorCode code;
};

TEST(AuthorizationRequest, ClientAndRedirectUriErrorsAreNeverRedirected) {
  http::Params two_redirects = ValidParams();
  two_redirects.emplace("redirect_uri", "https://app.example/cb");
  http::Params two_clients = ValidParams();
  two_clients.emplace("client_id", "web");
  const std::vector<FatalCase> cases = {
      {"missing client_id", Without(ValidParams(), "client_id"), AuthzErrorCode::kInvalidRequest},
      {"empty client_id", With(ValidParams(), "client_id", ""), AuthzErrorCode::kInvalidRequest},
      {"repeated client_id", two_clients, AuthzErrorCode::kInvalidRequest},
      {"other client's id", With(ValidParams(), "client_id", "other"),
       AuthzErrorCode::kInvalidClient},
      {"unregistered redirect_uri", With(ValidParams(), "redirect_uri", "https://evil.example/cb"),
       AuthzErrorCode::kInvalidRequest},
      {"redirect_uri with extra path",
       With(ValidParams(), "redirect_uri", "https://app.example/cb/x"),
       AuthzErrorCode::kInvalidRequest},
      {"repeated redirect_uri", two_redirects, AuthzErrorCode::kInvalidRequest},
      {"oidc without redirect_uri", Without(ValidParams(), "redirect_uri"),
       AuthzErrorCode::kInvalidRequest},
      {"oauth without redirect_uri and two registered",
       With(Without(ValidParams(), "redirect_uri"), "scope", "read"),
       AuthzErrorCode::kInvalidRequest},
  };
  for (const FatalCase& c : cases) {
    auto r = ParseAuthorizationRequest(c.params, WebClient(), false);
    ASSERT_FALSE(r) << c.name;
    EXPECT_FALSE(r.error().redirectable) << c.name;
    EXPECT_TRUE(r.error().redirect_uri.empty()) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name;
  }
}

TEST(AuthorizationRequest, DisabledClientIsNotRedirected) {
  core::Client c = WebClient();
  c.enabled = false;
  auto r = ParseAuthorizationRequest(ValidParams(), c, false);
  ASSERT_FALSE(r);
  EXPECT_FALSE(r.error().redirectable);
  EXPECT_EQ(r.error().code, AuthzErrorCode::kInvalidClient);
}

TEST(AuthorizationRequest, OAuthRequestMayOmitRedirectUriWhenExactlyOneIsRegistered) {
  core::Client c = WebClient();
  c.redirect_uris = {"https://app.example/only"};
  auto r = ParseAuthorizationRequest(With(Without(ValidParams(), "redirect_uri"), "scope", "read"),
                                     c, false);
  ASSERT_TRUE(r) << r.error().description;
  EXPECT_EQ(r->redirect_uri, "https://app.example/only");
  EXPECT_FALSE(r->redirect_uri_in_request);
  EXPECT_FALSE(r->openid);
}

TEST(AuthorizationRequest, OidcRequestMustSendRedirectUriEvenWithOneRegistered) {
  // OIDC Core §3.1.2.1: redirect_uri is REQUIRED, unlike RFC 6749 §3.1.2.3.
  core::Client c = WebClient();
  c.redirect_uris = {"https://app.example/only"};
  auto r = ParseAuthorizationRequest(Without(ValidParams(), "redirect_uri"), c, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, AuthzErrorCode::kInvalidRequest);
  EXPECT_FALSE(r.error().redirectable);
}

struct RedirectCase {
  const char* name;
  http::Params params;
  AuthzErrorCode code;
};

TEST(AuthorizationRequest, ProtocolErrorsAreRedirectedWithState) {
  http::Params two_scopes = ValidParams();
  two_scopes.emplace("scope", "openid");
  const std::vector<RedirectCase> cases = {
      {"missing response_type", Without(ValidParams(), "response_type"),
       AuthzErrorCode::kInvalidRequest},
      {"token response_type", With(ValidParams(), "response_type", "token"),
       AuthzErrorCode::kUnsupportedResponseType},
      {"hybrid response_type", With(ValidParams(), "response_type", "code id_token"),
       AuthzErrorCode::kUnsupportedResponseType},
      {"fragment response_mode", With(ValidParams(), "response_mode", "fragment"),
       AuthzErrorCode::kInvalidRequest},
      {"repeated scope", two_scopes, AuthzErrorCode::kInvalidRequest},
      {"scope not allowed", With(ValidParams(), "scope", "openid admin"),
       AuthzErrorCode::kInvalidScope},
      {"scope bad syntax", With(ValidParams(), "scope", "openid  profile"),
       AuthzErrorCode::kInvalidScope},
      {"request object", With(ValidParams(), "request", "eyJ.x.y"),
       AuthzErrorCode::kRequestNotSupported},
      {"request_uri", With(ValidParams(), "request_uri", "urn:x"),
       AuthzErrorCode::kRequestUriNotSupported},
      {"prompt none with login", With(ValidParams(), "prompt", "none login"),
       AuthzErrorCode::kInvalidRequest},
      {"unknown prompt", With(ValidParams(), "prompt", "create"), AuthzErrorCode::kInvalidRequest},
      {"negative max_age", With(ValidParams(), "max_age", "-1"), AuthzErrorCode::kInvalidRequest},
      {"non-numeric max_age", With(ValidParams(), "max_age", "1h"),
       AuthzErrorCode::kInvalidRequest},
      {"huge max_age", With(ValidParams(), "max_age", "99999999999"),
       AuthzErrorCode::kInvalidRequest},
      {"empty ui_locales entry", With(ValidParams(), "ui_locales", "en  ko"),
       AuthzErrorCode::kInvalidRequest},
      {"plain pkce", With(ValidParams(), "code_challenge_method", "plain"),
       AuthzErrorCode::kInvalidRequest},
      {"pkce method missing means plain", Without(ValidParams(), "code_challenge_method"),
       AuthzErrorCode::kInvalidRequest},
      {"unknown pkce method", With(ValidParams(), "code_challenge_method", "S512"),
       AuthzErrorCode::kInvalidRequest},
      {"method without challenge", Without(ValidParams(), "code_challenge"),
       AuthzErrorCode::kInvalidRequest},
      {"malformed challenge", With(ValidParams(), "code_challenge", "short"),
       AuthzErrorCode::kInvalidRequest},
  };
  for (const RedirectCase& c : cases) {
    auto r = ParseAuthorizationRequest(c.params, WebClient(), false);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().description;
    EXPECT_TRUE(r.error().redirectable) << c.name;
    EXPECT_EQ(r.error().redirect_uri, "https://app.example/cb") << c.name;
    EXPECT_EQ(r.error().state, "s1") << c.name;
  }
}

TEST(AuthorizationRequest, ErrorIsRedirectedInTheRequestedResponseMode) {
  http::Params p = With(ValidParams(), "response_type", "token");
  p.emplace("response_mode", "form_post");
  auto r = ParseAuthorizationRequest(p, WebClient(), false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().response_mode, ResponseMode::kFormPost);
}

TEST(AuthorizationRequest, RepeatedStateIsRefusedAndNotEchoed) {
  http::Params p = ValidParams();
  p.emplace("state", "s2");
  auto r = ParseAuthorizationRequest(p, WebClient(), false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, AuthzErrorCode::kInvalidRequest);
  EXPECT_TRUE(r.error().redirectable);
  EXPECT_EQ(r.error().state, "");
}

TEST(AuthorizationRequest, ClientWithoutAuthorizationCodeGrantIsUnauthorized) {
  core::Client c = WebClient();
  c.grant_types = {"client_credentials"};
  auto r = ParseAuthorizationRequest(ValidParams(), c, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, AuthzErrorCode::kUnauthorizedClient);
  EXPECT_TRUE(r.error().redirectable);
}

TEST(AuthorizationRequest, PublicClientAlwaysNeedsPkce) {
  http::Params p = With(Without(Without(ValidParams(), "code_challenge"), "code_challenge_method"),
                        "client_id", "spa");
  auto r = ParseAuthorizationRequest(p, PublicClient(), false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, AuthzErrorCode::kInvalidRequest);
  EXPECT_TRUE(r.error().redirectable);
}

TEST(AuthorizationRequest, ConfidentialClientNeedsPkceOnlyWhenRequired) {
  http::Params p = Without(Without(ValidParams(), "code_challenge"), "code_challenge_method");
  auto optional = ParseAuthorizationRequest(p, WebClient(), false);
  ASSERT_TRUE(optional) << optional.error().description;
  EXPECT_EQ(optional->code_challenge, "");
  auto required = ParseAuthorizationRequest(p, WebClient(), true);
  ASSERT_FALSE(required);
  EXPECT_EQ(required.error().code, AuthzErrorCode::kInvalidRequest);
}

TEST(AuthorizationRequest, ClientsRequirePkceByDefaultAndMayOptOut) {
  http::Params p = Without(Without(ValidParams(), "code_challenge"), "code_challenge_method");
  core::Client client = WebClient();
  client.require_pkce = true;  // the default (RFC 9700 §2.1.1)
  auto refused = ParseAuthorizationRequest(p, client);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, AuthzErrorCode::kInvalidRequest);
  client.require_pkce = false;
  EXPECT_TRUE(ParseAuthorizationRequest(p, client));
  EXPECT_TRUE(core::Client{}.require_pkce);
}

TEST(AuthorizationRequest, EmptyParametersCountAsAbsent) {
  // RFC 6749 §3.1: parameters sent without a value are treated as omitted.
  auto r = ParseAuthorizationRequest(With(ValidParams(), "prompt", ""), WebClient(), false);
  ASSERT_TRUE(r) << r.error().description;
  EXPECT_FALSE(r->prompt.none);
}

TEST(AuthorizationRequest, PromptNoneAloneIsAccepted) {
  auto r = ParseAuthorizationRequest(With(ValidParams(), "prompt", "none"), WebClient(), false);
  ASSERT_TRUE(r) << r.error().description;
  EXPECT_TRUE(r->prompt.none);
}

// OIDC Core §5.5.1.1: an essential id_token.acr ("value" or "values") is what the login must
// meet; a voluntary one and other claims are not requirements.
TEST(AuthorizationRequest, ClaimsParameterYieldsTheEssentialAcrValues) {
  struct Case {
    const char* name;
    const char* claims;
    std::vector<std::string> essential;
  } cases[] = {
      {"values", R"({"id_token":{"acr":{"essential":true,"values":["mfa","phishing-resistant"]}}})",
       {"mfa", "phishing-resistant"}},
      {"value", R"({"id_token":{"acr":{"essential":true,"value":"mfa"}}})", {"mfa"}},
      {"voluntary acr", R"({"id_token":{"acr":{"values":["mfa"]}}})", {}},
      {"acr null", R"({"id_token":{"acr":null}})", {}},
      {"other claims only", R"({"userinfo":{"email":{"essential":true}}})", {}},
  };
  for (const Case& c : cases) {
    auto r = ParseAuthorizationRequest(With(ValidParams(), "claims", c.claims), WebClient(), false);
    ASSERT_TRUE(r) << c.name << ": " << r.error().description;
    EXPECT_EQ(r->essential_acr, c.essential) << c.name;
  }
}

TEST(AuthorizationRequest, MalformedClaimsParameterIsARedirectedInvalidRequest) {
  for (const char* claims : {"not json", "[]", R"({"id_token":[]})",
                             R"({"id_token":{"acr":{"essential":true,"values":"mfa"}}})",
                             R"({"id_token":{"acr":{"essential":true,"value":2}}})"}) {
    auto r = ParseAuthorizationRequest(With(ValidParams(), "claims", claims), WebClient(), false);
    ASSERT_FALSE(r) << claims;
    EXPECT_EQ(r.error().code, AuthzErrorCode::kInvalidRequest) << claims;
    EXPECT_TRUE(r.error().redirectable) << claims;
    EXPECT_EQ(r.error().state, "s1") << claims;
  }
}

TEST(AuthorizationRequest, ReadClientIdRejectsMissingAndRepeated) {
  EXPECT_EQ(*ReadClientId({{"client_id", "web"}}), "web");
  EXPECT_FALSE(ReadClientId({}));
  EXPECT_FALSE(ReadClientId({{"client_id", "a"}, {"client_id", "a"}}));
  EXPECT_FALSE(UnknownClientError().redirectable);
}

}  // namespace
}  // namespace idm::oauth
