#include "idm/oauth/scope.h"

#include <gtest/gtest.h>

namespace idm::oauth {
namespace {

TEST(Scope, ParsesTokensInOrderWithoutDuplicates) {
  auto s = ParseScope("read write read admin:x");
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, (std::vector<std::string>{"read", "write", "admin:x"}));
}

TEST(Scope, RejectsEmptyTokensAndForbiddenCharactersRfc6749Sec3_3) {
  for (const char* bad : {" read", "read ", "a  b", "a\"b", "a\\b", "caf\xc3\xa9", "a\tb"}) {
    auto s = ParseScope(bad);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidScope) << bad;
  }
}

TEST(Scope, GrantsOnlyScopesRegisteredForTheClient) {
  std::vector<std::string> allowed{"read", "write"};
  auto ok = GrantScope("write read", allowed);
  ASSERT_TRUE(ok);
  EXPECT_EQ(JoinScope(*ok), "write read");
  auto bad = GrantScope("read delete", allowed);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidScope);
  EXPECT_NE(bad.error().description.find("delete"), std::string::npos);
}

TEST(Scope, EmptyRequestGrantsEmptyScope) {
  auto s = GrantScope("", {"read"});
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->empty());
}

}  // namespace
}  // namespace idm::oauth
