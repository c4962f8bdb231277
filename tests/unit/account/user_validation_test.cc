#include "idm/account/user_validation.h"

#include <gtest/gtest.h>

namespace idm::account {
namespace {

TEST(UserValidation, UsernameGrammar) {
  for (const std::string& ok :
       std::vector<std::string>{"alice", "Alice.Smith", "a_b-c+d@e", "0", std::string(255, 'u'),
                                "service-account-urn:acme:billing"}) {
    EXPECT_TRUE(IsValidUsername(ok)) << ok;
  }
  for (const std::string& bad : std::vector<std::string>{"", " alice", "alice ", "al ice", "al/ice",
                                                         "ålice", "a\tb", std::string(256, 'u')}) {
    EXPECT_FALSE(IsValidUsername(bad)) << bad;
  }
}

TEST(UserValidation, EmailIsASimpleAddrSpec) {
  for (const char* ok :
       {"a@example.com", "first.last+tag@sub.example.co", "o'neil@ex-ample.org", "x_y@a.b"}) {
    EXPECT_TRUE(IsValidEmail(ok)) << ok;
  }
  for (const std::string& bad : std::vector<std::string>{
           std::string("plain"), std::string("@example.com"), std::string("a@"),
           std::string("a@localhost"), std::string("a..b@example.com"),
           std::string(".a@example.com"), std::string("a.@example.com"),
           std::string("a@-example.com"), std::string("a@example-.com"),
           std::string("a@exa_mple.com"), std::string("a b@example.com"),
           std::string("a@b@example.com"), std::string("a@example..com"),
           std::string(65, 'l') + "@example.com", "a@" + std::string(250, 'd') + ".com"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
}

TEST(UserValidation, ReportsEveryBadFieldOfAUser) {
  core::User u;
  u.username = "bad name";
  u.email = "not-an-email";
  u.first_name = std::string(256, 'f');
  u.last_name = "line\nbreak";
  u.attributes = {{"bad key", {"v"}}};
  auto v = ValidateUser(u);
  std::vector<std::string> fields;
  for (const auto& f : v) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"username", "email", "first_name", "last_name",
                                              "attributes"}));
  core::User ok;
  ok.username = "alice";
  EXPECT_TRUE(ValidateUser(ok).empty());  // empty email means "none"
}

TEST(PasswordPolicy, EnforcesLengthInCharactersNotBytes) {
  core::PasswordPolicy p;  // min 12, max 256
  EXPECT_FALSE(CheckPasswordPolicy(p, "alice", "short").empty());
  EXPECT_TRUE(CheckPasswordPolicy(p, "alice", "twelve chars").empty());
  // 12 characters, 24 bytes: accepted; 11 characters of 2 bytes: refused.
  EXPECT_TRUE(CheckPasswordPolicy(p, "alice", "éééééééééééé").empty());
  EXPECT_FALSE(CheckPasswordPolicy(p, "alice", "ééééééééééé").empty());
  p.max_length = 64;
  auto too_long = CheckPasswordPolicy(p, "alice", std::string(65, 'x'));
  ASSERT_EQ(too_long.size(), 1u);
  EXPECT_EQ(too_long[0].field, "password");
}

TEST(PasswordPolicy, EnforcesRequiredClassesEachWithItsOwnMessage) {
  core::PasswordPolicy p;
  p.min_length = 8;
  p.require_digit = p.require_upper = p.require_lower = p.require_symbol = true;
  EXPECT_EQ(CheckPasswordPolicy(p, "alice", "aaaaaaaa").size(), 3u);  // digit, upper, symbol
  EXPECT_EQ(CheckPasswordPolicy(p, "alice", "AAAAAAAA").size(), 3u);
  EXPECT_EQ(CheckPasswordPolicy(p, "alice", "Aa1!Aa1!").size(), 0u);
  auto v = CheckPasswordPolicy(p, "alice", "Aa1aaaaa");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message, "must contain a symbol");
}

TEST(PasswordPolicy, RefusesTheUsernameCaseInsensitivelyWhenConfigured) {
  core::PasswordPolicy p;
  p.min_length = 8;
  auto v = CheckPasswordPolicy(p, "Correct.Horse", "correct.horse");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].message, "must not be the username");
  p.not_username = false;
  EXPECT_TRUE(CheckPasswordPolicy(p, "Correct.Horse", "correct.horse").empty());
}

TEST(PasswordPolicy, MessagesNeverContainThePassword) {
  core::PasswordPolicy p;
  p.require_digit = true;
  for (const auto& v : CheckPasswordPolicy(p, "alice", "secretpw")) {
    EXPECT_EQ(v.message.find("secretpw"), std::string::npos);
  }
}

}  // namespace
}  // namespace idm::account
