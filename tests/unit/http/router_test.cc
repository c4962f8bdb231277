#include "idm/http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "idm/core/json.h"

namespace idm::http {
namespace {

Handler Reply(std::string text) {
  return [text](const WebRequest&) { return WebResponse::Text(200, text); };
}

WebRequest Req(std::string method, std::string path) {
  WebRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

TEST(Router, CapturesNamedSegments) {
  Router router;
  router.Add("GET", "/realms/{realm}/users/{id}", [](const WebRequest& r) {
    return WebResponse::Text(200, r.PathParam("realm") + "|" + r.PathParam("id"));
  });
  WebRequest req = Req("GET", "/realms/master/users/42");
  std::string pattern;
  WebResponse res = router.Dispatch(req, &pattern);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "master|42");
  EXPECT_EQ(pattern, "/realms/{realm}/users/{id}");
}

TEST(Router, UnknownPathIs404WithJsonError) {
  Router router;
  router.Add("GET", "/a", Reply("a"));
  WebRequest req = Req("GET", "/b");
  std::string pattern = "unchanged";
  WebResponse res = router.Dispatch(req, &pattern);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(pattern, "");
  EXPECT_EQ(core::Json::parse(res.body)["error"], "not_found");
}

TEST(Router, KnownPathWithWrongMethodIs405WithAllow) {
  Router router;
  router.Add("POST", "/token", Reply("post"));
  router.Add("GET", "/token", Reply("get"));
  router.Add("DELETE", "/other", Reply("x"));
  WebRequest req = Req("PUT", "/token");
  WebResponse res = router.Dispatch(req);
  EXPECT_EQ(res.status, 405);
  ASSERT_EQ(res.headers.count("Allow"), 1u);
  EXPECT_EQ(res.headers.find("Allow")->second, "GET, HEAD, POST");
}

TEST(Router, AllowUnionsMethodsOfEveryMatchingPattern) {
  Router router;
  router.Add("GET", "/users/{id}", Reply("get"));
  router.Add("DELETE", "/users/me", Reply("delete"));
  RouteMatch m = router.Match("PATCH", "/users/me");
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "DELETE, GET, HEAD");
}

TEST(Router, HeadFallsBackToGet) {
  Router router;
  router.Add("GET", "/x", Reply("x"));
  RouteMatch m = router.Match("HEAD", "/x");
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(m.pattern, "/x");
}

TEST(Router, LiteralSegmentBeatsParameter) {
  Router router;
  router.Add("GET", "/realms/{realm}/users", Reply("param"));
  router.Add("GET", "/realms/master/users", Reply("literal"));
  WebRequest a = Req("GET", "/realms/master/users");
  EXPECT_EQ(router.Dispatch(a).body, "literal");
  WebRequest b = Req("GET", "/realms/other/users");
  EXPECT_EQ(router.Dispatch(b).body, "param");
}

TEST(Router, MethodMatchBeatsMoreSpecificPatternWithoutThatMethod) {
  Router router;
  router.Add("GET", "/users/{id}", Reply("get"));
  router.Add("DELETE", "/users/me", Reply("delete"));
  WebRequest req = Req("GET", "/users/me");
  EXPECT_EQ(router.Dispatch(req).body, "get");
}

TEST(Router, ParameterDoesNotMatchEmptySegmentOrExtraSegments) {
  Router router;
  router.Add("GET", "/users/{id}", Reply("x"));
  EXPECT_EQ(router.Match("GET", "/users/").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match("GET", "/users").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match("GET", "/users/1/extra").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match("GET", "users/1").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(Router, RestParameterCapturesRemainingSegments) {
  Router router;
  router.Add("GET", "/admin/{path...}", Reply("rest"));
  router.Add("GET", "/admin/api", Reply("api"));
  RouteMatch m = router.Match("GET", "/admin/assets/js/app.js");
  ASSERT_EQ(m.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(m.path_params["path"], "assets/js/app.js");
  EXPECT_EQ(router.Match("GET", "/admin/api").pattern, "/admin/api");
  EXPECT_EQ(router.Match("GET", "/admin").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(Router, RootPathMatches) {
  Router router;
  router.Add("GET", "/", Reply("root"));
  EXPECT_EQ(router.Match("GET", "/").outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(router.Match("GET", "/x").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(Router, DuplicateRouteReplacesHandler) {
  Router router;
  router.Add("GET", "/x", Reply("first"));
  router.Add("GET", "/x", Reply("second"));
  WebRequest req = Req("GET", "/x");
  EXPECT_EQ(router.Dispatch(req).body, "second");
}

TEST(Router, RejectsMalformedPatterns) {
  Router router;
  EXPECT_THROW(router.Add("GET", "x", Reply("")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "", Reply("")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{}", Reply("")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "/a/{rest...}/b", Reply("")), std::invalid_argument);
}

}  // namespace
}  // namespace idm::http
