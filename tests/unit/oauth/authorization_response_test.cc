// Authorization responses: RFC 6749 §4.1.2 / §4.1.2.1, RFC 9207 iss, Form Post Response Mode.
#include "idm/oauth/authorization_response.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace idm::oauth {
namespace {

constexpr const char* kIss = "https://id.example.test/realms/acme";

AuthorizationError RedirectableError(ResponseMode mode) {
  AuthorizationError e;
  e.code = AuthzErrorCode::kInvalidScope;
  e.description = "scope \"admin\" is not allowed";
  e.redirectable = true;
  e.redirect_uri = "https://app.example/cb?tenant=7";
  e.response_mode = mode;
  e.state = "xyz";
  return e;
}

TEST(AuthorizationResponse, QueryModeAppendsCodeStateAndIss) {
  AuthorizationResponse r =
      SuccessResponse("https://app.example/cb", ResponseMode::kQuery, "idm_ac_abc", "s 1", kIss);
  EXPECT_EQ(r.mode, ResponseMode::kQuery);
  EXPECT_EQ(r.location,
            "https://app.example/cb?code=idm_ac_abc&state=s%201"
            "&iss=https%3A%2F%2Fid.example.test%2Frealms%2Facme");
}

TEST(AuthorizationResponse, QueryModeKeepsTheRegisteredQuery) {
  AuthorizationResponse r =
      SuccessResponse("https://app.example/cb?tenant=7", ResponseMode::kQuery, "c", "", kIss);
  EXPECT_EQ(r.location.rfind("https://app.example/cb?tenant=7&code=c&iss=", 0), 0u) << r.location;
  EXPECT_EQ(r.location.find("state="), std::string::npos);
}

TEST(AuthorizationResponse, QueryModeHandlesATrailingQuestionMark) {
  EXPECT_EQ(AppendQuery("https://a.example/cb?", {{"code", "c"}}), "https://a.example/cb?code=c");
  EXPECT_EQ(AppendQuery("https://a.example/cb?x=1&", {{"code", "c"}}),
            "https://a.example/cb?x=1&code=c");
}

TEST(AuthorizationResponse, FormPostReturnsFieldsAndTheRedirectUriAsAction) {
  AuthorizationResponse r =
      SuccessResponse("https://app.example/cb?tenant=7", ResponseMode::kFormPost, "c1", "st", kIss);
  EXPECT_EQ(r.mode, ResponseMode::kFormPost);
  EXPECT_EQ(r.location, "https://app.example/cb?tenant=7");
  ResponseFields expected = {{"code", "c1"}, {"state", "st"}, {"iss", kIss}};
  EXPECT_EQ(r.fields, expected);
}

TEST(AuthorizationResponse, ErrorCarriesCodeDescriptionStateAndIss) {
  AuthorizationResponse r = ErrorResponse(RedirectableError(ResponseMode::kFormPost), kIss);
  ResponseFields expected = {{"error", "invalid_scope"},
                             {"error_description", "scope admin is not allowed"},
                             {"state", "xyz"},
                             {"iss", kIss}};
  EXPECT_EQ(r.fields, expected);
  AuthorizationResponse q = ErrorResponse(RedirectableError(ResponseMode::kQuery), kIss);
  EXPECT_EQ(q.location.rfind("https://app.example/cb?tenant=7&error=invalid_scope&"
                             "error_description=scope%20admin%20is%20not%20allowed&state=xyz&iss=",
                             0),
            0u)
      << q.location;
}

TEST(AuthorizationResponse, NonRedirectableErrorProducesNoRedirect) {
  AuthorizationError e = RedirectableError(ResponseMode::kQuery);
  e.redirectable = false;
  AuthorizationResponse r = ErrorResponse(e, kIss);
  EXPECT_TRUE(r.location.empty());
  EXPECT_TRUE(r.fields.empty());
}

TEST(AuthorizationResponse, ErrorDescriptionKeepsOnlyAllowedCharacters) {
  EXPECT_EQ(SafeErrorDescription("a \"quoted\" \\path\\ \n\x01 caf\xc3\xa9"), "a quoted path  caf");
  EXPECT_EQ(SafeErrorDescription(std::string(500, 'x')).size(), 200u);
}

TEST(AuthorizationResponse, PercentEncodingLeavesOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("aZ09-._~ &=+/?#%\xff"), "aZ09-._~%20%26%3D%2B%2F%3F%23%25%FF");
}

}  // namespace
}  // namespace idm::oauth
