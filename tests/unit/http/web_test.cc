#include "idm/http/web.h"

#include <gtest/gtest.h>

namespace idm::http {
namespace {

WebRequest FormRequest(std::string content_type, std::string body) {
  WebRequest r;
  r.method = "POST";
  r.headers.emplace("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

TEST(WebRequest, HeaderLookupIgnoresCase) {
  WebRequest r;
  r.headers.emplace("X-Request-Id", "abc");
  EXPECT_EQ(r.Header("x-request-id"), "abc");
  EXPECT_EQ(r.Header("X-REQUEST-ID"), "abc");
  EXPECT_EQ(r.Header("X-Other"), std::nullopt);
}

TEST(WebRequest, HeaderReturnsFirstOfRepeatedValues) {
  WebRequest r;
  r.headers.emplace("Accept", "a");
  r.headers.emplace("accept", "b");
  EXPECT_EQ(r.Header("ACCEPT"), "a");
  EXPECT_EQ(r.headers.count("Accept"), 2u);
}

TEST(WebRequest, QueryAndPathParamLookup) {
  WebRequest r;
  r.query.emplace("scope", "openid");
  r.path_params["realm"] = "master";
  EXPECT_EQ(r.Query("scope"), "openid");
  EXPECT_EQ(r.Query("Scope"), std::nullopt);  // query names are case-sensitive
  EXPECT_EQ(r.PathParam("realm"), "master");
  EXPECT_EQ(r.PathParam("missing"), "");
}

TEST(WebRequest, ContentTypeDropsParametersAndLowercases) {
  EXPECT_EQ(FormRequest("Application/X-WWW-Form-Urlencoded ; charset=UTF-8", "").ContentType(),
            "application/x-www-form-urlencoded");
  EXPECT_EQ(FormRequest("application/json", "").ContentType(), "application/json");
  EXPECT_EQ(WebRequest().ContentType(), "");
}

TEST(WebRequest, FormDecodesPercentEscapesAndPlus) {
  Params p = FormRequest("application/x-www-form-urlencoded",
                         "grant_type=authorization_code&redirect_uri=https%3A%2F%2Fa.example%2Fcb"
                         "&scope=openid+profile&note=a%2Bb%20c")
                 .Form();
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p.find("grant_type")->second, "authorization_code");
  EXPECT_EQ(p.find("redirect_uri")->second, "https://a.example/cb");
  EXPECT_EQ(p.find("scope")->second, "openid profile");
  EXPECT_EQ(p.find("note")->second, "a+b c");
}

TEST(WebRequest, FormIsEmptyForOtherContentTypes) {
  EXPECT_TRUE(FormRequest("application/json", "a=b").Form().empty());
  WebRequest none;
  none.body = "a=b";
  EXPECT_TRUE(none.Form().empty());
}

TEST(WebRequest, FormAcceptsContentTypeWithCharset) {
  Params p = FormRequest("application/x-www-form-urlencoded; charset=utf-8", "a=1").Form();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p.begin()->second, "1");
}

struct FormCase {
  const char* name;
  const char* body;
  std::vector<std::pair<std::string, std::string>> want;
};

TEST(ParseUrlEncoded, EdgeCases) {
  const FormCase cases[] = {
      {"empty body", "", {}},
      {"only separators", "&&&", {}},
      {"name without value", "a", {{"a", ""}}},
      {"empty value", "a=", {{"a", ""}}},
      {"empty name", "=v", {{"", "v"}}},
      {"value with '='", "a=b=c", {{"a", "b=c"}}},
      {"repeated names keep order", "a=1&a=2", {{"a", "1"}, {"a", "2"}}},
      {"encoded name", "a%5Bb%5D=1", {{"a[b]", "1"}}},
      {"malformed escape kept", "a=%G1%4", {{"a", "%G1%4"}}},
      {"trailing percent kept", "a=100%", {{"a", "100%"}}},
      {"lowercase hex", "a=%2f%2F", {{"a", "//"}}},
      {"encoded ampersand", "a=x%26y&b=2", {{"a", "x&y"}, {"b", "2"}}},
      {"utf-8 bytes", "n=%ED%95%9C", {{"n", "\xED\x95\x9C"}}},
      {"nul byte", "n=a%00b", {{"n", std::string("a\0b", 3)}}},
  };
  for (const FormCase& c : cases) {
    Params got = ParseUrlEncoded(c.body);
    std::vector<std::pair<std::string, std::string>> flat(got.begin(), got.end());
    EXPECT_EQ(flat, c.want) << c.name;
  }
}

TEST(PercentDecode, PlusIsLiteralUnlessAskedOtherwise) {
  EXPECT_EQ(PercentDecode("a+b%20c", false), "a+b c");
  EXPECT_EQ(PercentDecode("a+b%20c", true), "a b c");
}

TEST(WebResponse, FactoriesSetContentType) {
  EXPECT_EQ(WebResponse::Json(201, "{}").headers.find("content-type")->second, "application/json");
  WebResponse t = WebResponse::Text(400, "bad");
  EXPECT_EQ(t.status, 400);
  EXPECT_EQ(t.body, "bad");
  EXPECT_EQ(t.headers.find("Content-Type")->second, "text/plain; charset=utf-8");
  EXPECT_EQ(WebResponse::Html(200, "").headers.find("Content-Type")->second,
            "text/html; charset=utf-8");
  EXPECT_EQ(WebResponse::Bytes(200, "image/png", "x").headers.find("Content-Type")->second,
            "image/png");
}

TEST(WebResponse, SetHeaderReplacesAllValuesCaseInsensitively) {
  WebResponse r = WebResponse::Json(200, "{}");
  r.headers.emplace("cache-control", "a");
  r.headers.emplace("Cache-Control", "b");
  r.SetHeader("CACHE-CONTROL", "no-store");
  ASSERT_EQ(r.headers.count("Cache-Control"), 1u);
  EXPECT_EQ(r.headers.find("cache-control")->second, "no-store");
}

}  // namespace
}  // namespace idm::http
