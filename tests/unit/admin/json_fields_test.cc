// Request-body parsing with field-named errors (idm/admin/json_fields.h).
#include "idm/admin/json_fields.h"

#include <gtest/gtest.h>

namespace idm::admin {
namespace {

std::vector<std::string> Fields(const core::ServiceStatus& status) {
  std::vector<std::string> out;
  if (status.ok()) return out;
  for (const auto& v : status.error().violations) out.push_back(v.field);
  return out;
}

TEST(ParseJsonObject, RejectsMalformedJsonAndNonObjects) {
  for (const char* body : {"{", "", "nope", "{\"a\":}", "[1,2]", "\"text\"", "42"}) {
    auto r = ParseJsonObject(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, core::ServiceErrorCode::kInvalidArgument) << body;
  }
  EXPECT_TRUE(ParseJsonObject("{\"a\":1}").ok());
}

TEST(FieldReader, ReadsPresentFieldsAndLeavesAbsentOnesUntouched) {
  core::Json body = {{"name", "x"}, {"on", false}, {"n", 7}, {"list", {"a", "b"}},
                     {"attrs", {{"k", {"v1", "v2"}}}}, {"opt", nullptr}};
  std::string name, untouched = "keep";
  bool on = true;
  int64_t n = 0;
  std::vector<std::string> list;
  core::Attributes attrs;
  std::optional<std::string> opt = "was";
  FieldReader r(body);
  r.String("name", name);
  r.String("absent", untouched);
  r.Bool("on", on);
  r.Int("n", n);
  r.StringList("list", list);
  r.Attributes("attrs", attrs);
  r.OptionalString("opt", opt);
  ASSERT_TRUE(r.Finish().ok());
  EXPECT_EQ(name, "x");
  EXPECT_EQ(untouched, "keep");
  EXPECT_FALSE(on);
  EXPECT_EQ(n, 7);
  EXPECT_EQ(list, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(attrs["k"], (std::vector<std::string>{"v1", "v2"}));
  EXPECT_FALSE(opt.has_value());
}

TEST(FieldReader, ReportsEveryWrongTypeByFieldName) {
  core::Json body = {{"name", 5}, {"on", "yes"}, {"n", 1.5}, {"list", {"a", 2}},
                     {"attrs", {{"k", "single"}}}};
  std::string name;
  bool on = false;
  int64_t n = 0;
  std::vector<std::string> list;
  core::Attributes attrs;
  FieldReader r(body);
  r.String("name", name);
  r.Bool("on", on);
  r.Int("n", n);
  r.StringList("list", list);
  r.Attributes("attrs", attrs);
  auto status = r.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ServiceErrorCode::kInvalidArgument);
  EXPECT_EQ(Fields(status),
            (std::vector<std::string>{"name", "on", "n", "list[1]", "attrs.k"}));
}

TEST(FieldReader, ListsEveryUnknownFieldInTheDetailAndViolations) {
  core::Json body = {{"name", "x"}, {"colour", "red"}, {"size", 3}};
  std::string name;
  FieldReader r(body);
  r.String("name", name);
  auto status = r.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(Fields(status), (std::vector<std::string>{"colour", "size"}));
  EXPECT_NE(status.error().detail.find("colour"), std::string::npos);
  EXPECT_NE(status.error().detail.find("size"), std::string::npos);
}

TEST(FieldReader, NestedObjectsPrefixTheirFieldNames) {
  core::Json body = {{"settings", {{"ttl", "long"}, {"extra", 1}}}};
  int ttl = 0;
  FieldReader r(body);
  r.Object("settings", [&](FieldReader& nested) { nested.Int("ttl", ttl); });
  EXPECT_EQ(Fields(r.Finish()), (std::vector<std::string>{"settings.ttl", "settings.extra"}));
}

TEST(FieldReader, RejectsIntegersOutsideTheTargetRange) {
  core::Json body = {{"small", 5'000'000'000LL}, {"huge", 18446744073709551615ULL}};
  int small = 0;
  int64_t huge = 0;
  FieldReader r(body);
  r.Int("small", small);
  r.Int("huge", huge);
  EXPECT_EQ(Fields(r.Finish()), (std::vector<std::string>{"small", "huge"}));
}

}  // namespace
}  // namespace idm::admin
