// Paging parameters, ETags, If-Match and JSON bodies (idm/admin/http_helpers.h).
#include "idm/admin/http_helpers.h"

#include <gtest/gtest.h>

namespace idm::admin {
namespace {

http::WebRequest WithQuery(std::initializer_list<std::pair<std::string, std::string>> q) {
  http::WebRequest r;
  r.method = "GET";
  for (const auto& [k, v] : q) r.query.emplace(k, v);
  return r;
}

TEST(ParseListQuery, DefaultsToTheFirstPageOfOneHundred) {
  auto q = ParseListQuery(WithQuery({}));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 100);
  EXPECT_EQ(q->cursor, "");
  EXPECT_EQ(q->prefix, "");
}

TEST(ParseListQuery, ReadsLimitCursorAndPrefix) {
  auto q = ParseListQuery(WithQuery({{"limit", "5"}, {"cursor", "abc"}, {"q", "jo"}}));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->limit, 5);
  EXPECT_EQ(q->cursor, "abc");
  EXPECT_EQ(q->prefix, "jo");
}

TEST(ParseListQuery, RejectsLimitsThatAreNotIntegersFromOneToOneThousand) {
  for (const char* bad : {"0", "-1", "1001", "ten", "5x", ""}) {
    auto q = ParseListQuery(WithQuery({{"limit", bad}}));
    ASSERT_FALSE(q.ok()) << bad;
    ASSERT_EQ(q.error().violations.size(), 1u);
    EXPECT_EQ(q.error().violations[0].field, "limit");
  }
}

TEST(ETag, IsWeakAndNamesTheVersion) { EXPECT_EQ(ETag(7), "W/\"7\""); }

TEST(ParseIfMatch, AcceptsAbsentStarWeakAndStrongForms) {
  http::WebRequest r;
  EXPECT_FALSE(ParseIfMatch(r).value().has_value());
  r.headers.emplace("If-Match", "*");
  EXPECT_FALSE(ParseIfMatch(r).value().has_value());
  r.headers.clear();
  r.headers.emplace("If-Match", "W/\"3\"");
  EXPECT_EQ(ParseIfMatch(r).value(), 3);
  r.headers.clear();
  r.headers.emplace("if-match", " \"4\" ");
  EXPECT_EQ(ParseIfMatch(r).value(), 4);
}

TEST(ParseIfMatch, ValueThatIsNoneOfOurETagsIsPreconditionFailed) {
  http::WebRequest r;
  r.headers.emplace("If-Match", "\"abc\"");
  auto parsed = ParseIfMatch(r);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, core::ServiceErrorCode::kPreconditionFailed);
}

TEST(CheckIfMatch, MismatchIsPreconditionFailed) {
  EXPECT_TRUE(CheckIfMatch(std::nullopt, 5).ok());
  EXPECT_TRUE(CheckIfMatch(5, 5).ok());
  auto status = CheckIfMatch(4, 5);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ServiceErrorCode::kPreconditionFailed);
}

TEST(JsonBody, RejectsNonJsonMediaTypes) {
  http::WebRequest r;
  r.method = "POST";
  r.body = "{}";
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  EXPECT_FALSE(JsonBody(r).ok());
  r.headers.clear();
  r.headers.emplace("Content-Type", "application/merge-patch+json");
  EXPECT_FALSE(JsonBody(r).ok()) << "merge-patch is for PATCH only";
  r.method = "PATCH";
  EXPECT_TRUE(JsonBody(r).ok());
  r.headers.clear();
  r.headers.emplace("Content-Type", "application/json; charset=utf-8");
  EXPECT_TRUE(JsonBody(r).ok());
}

TEST(Created, SetsLocationAndETag) {
  http::WebRequest r;
  r.path = "/admin/api/v1/realms/acme/users";
  auto response = Created(r, "u-1", core::Json::object(), 1);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.headers.find("Location")->second, "/admin/api/v1/realms/acme/users/u-1");
  EXPECT_EQ(response.headers.find("ETag")->second, "W/\"1\"");
}

TEST(ListBody, NextCursorIsNullOnTheLastPage) {
  EXPECT_TRUE(ListBody(core::Json::array(), "")["next_cursor"].is_null());
  EXPECT_EQ(ListBody(core::Json::array(), "c")["next_cursor"], "c");
}

}  // namespace
}  // namespace idm::admin
