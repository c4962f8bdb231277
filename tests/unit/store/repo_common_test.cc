// Repository helpers (idm/store/repos/common.h): case folding, prefix ranges, cursors.
#include "idm/store/repos/common.h"

#include <gtest/gtest.h>

namespace idm::store::repos {
namespace {

TEST(RepoCommon, AsciiLowerFoldsAsciiOnlyAndKeepsUtf8Intact) {
  EXPECT_EQ(AsciiLower("Alice.SMITH@Example.COM"), "alice.smith@example.com");
  EXPECT_EQ(AsciiLower("\xC3\x89milie"), "\xC3\x89milie");  // É is kept byte for byte
}

TEST(RepoCommon, PrefixUpperBoundsEveryStringWithThePrefix) {
  std::string upper = PrefixUpper("ab");
  for (std::string s : {"ab", "abz", "ab\x7f", "ab\xEF\xBF\xBD", "ab\xF4\x8F\xBF\xBE"}) {
    EXPECT_GE(s, "ab");
    EXPECT_LT(s, upper) << s;
  }
  EXPECT_GT(std::string("ac"), upper);
}

TEST(RepoCommon, CursorRoundTripsForItsOwnQueryOnly) {
  ListQuery q;
  q.cursor = MakeCursor("users/r1/", "alice", "id-1");
  q.limit = 5;
  auto p = StartPage(q, "users/r1/");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->has_cursor);
  EXPECT_EQ(p->key, "alice");
  EXPECT_EQ(p->id, "id-1");
  EXPECT_EQ(p->limit, 5);
  auto other = StartPage(q, "users/r2/");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kInvalid);
}

TEST(RepoCommon, StartPageRejectsBadLimitsAndAcceptsTheBounds) {
  ListQuery q;
  for (int bad : {0, -1, 1001}) {
    q.limit = bad;
    EXPECT_FALSE(StartPage(q, "t").ok()) << bad;
  }
  for (int ok : {1, 1000}) {
    q.limit = ok;
    EXPECT_TRUE(StartPage(q, "t").ok()) << ok;
  }
}

TEST(RepoCommon, PagingClauseUsesRowValueComparisonAndFetchesOneExtra) {
  QueryBuilder b("SELECT id FROM t WHERE realm_id = ");
  b.Add(b.Param(std::string("r")));
  PageStart p;
  p.has_cursor = true;
  p.key = "k";
  p.id = "i";
  p.limit = 10;
  AddPaging(b, p, "name_lower");
  EXPECT_EQ(b.sql(),
            "SELECT id FROM t WHERE realm_id = $1 AND (name_lower, id) > ($2, $3) "
            "ORDER BY name_lower, id LIMIT $4");
  ASSERT_EQ(b.params().size(), 4u);
  EXPECT_EQ(std::get<int64_t>(b.params()[3]), 11);
}

TEST(RepoCommon, DecodingDamagedJsonIsCorrupt) {
  EXPECT_EQ(DecodeAttributes("not json").error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(DecodeAttributes(R"({"a":"not a list"})").error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(DecodeStrings(R"([1,2])").error().code, ErrorCode::kCorrupt);
  auto ok = DecodeAttributes(EncodeAttributes({{"a", {"1", "2"}}}));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["a"], (std::vector<std::string>{"1", "2"}));
}

}  // namespace
}  // namespace idm::store::repos
