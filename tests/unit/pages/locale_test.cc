// Locale choice (idm/pages/locale.h): ui_locales > Accept-Language > realm default > en.
#include "idm/pages/locale.h"

#include <gtest/gtest.h>

namespace idm::pages {
namespace {

const std::vector<std::string> kSupported = {"en", "ko"};

TEST(AcceptLanguage, OrdersRangesByQValueKeepingOrderForTies) {
  EXPECT_EQ(ParseAcceptLanguage("da, en-GB;q=0.8, en;q=0.7"),
            (std::vector<std::string>{"da", "en-GB", "en"}));
  EXPECT_EQ(ParseAcceptLanguage("en;q=0.5, ko-KR, fr;q=0.5, ko;q=0.9"),
            (std::vector<std::string>{"ko-KR", "ko", "en", "fr"}));
}

TEST(AcceptLanguage, DropsQZeroAndMalformedElements) {
  EXPECT_EQ(ParseAcceptLanguage("ko;q=0, en;q=0.000, fr"), (std::vector<std::string>{"fr"}));
  EXPECT_EQ(ParseAcceptLanguage("ko;q=2, en;q=0.1234, de;x=1, 12, a_b, , ;q=1, ja;q=.5, it;q=1.0"),
            (std::vector<std::string>{"it"}));
  EXPECT_EQ(ParseAcceptLanguage(" ko ; Q = 0.3 ,en-US;q=0.31"),
            (std::vector<std::string>{"en-US", "ko"}));
  EXPECT_TRUE(ParseAcceptLanguage("").empty());
  EXPECT_TRUE(ParseAcceptLanguage(",,,;;;===").empty());
}

TEST(MatchLocale, FallsBackBySubtagsCaseInsensitively) {
  EXPECT_EQ(MatchLocale("ko-KR", kSupported), "ko");
  EXPECT_EQ(MatchLocale("KO", kSupported), "ko");
  EXPECT_EQ(MatchLocale("en-Latn-US", kSupported), "en");
  EXPECT_EQ(MatchLocale("ko-x-private", kSupported), "ko");  // RFC 4647 §3.4 singleton rule
  EXPECT_EQ(MatchLocale("fr-CA", kSupported), std::nullopt);
  EXPECT_EQ(MatchLocale("*", kSupported), std::nullopt);
  EXPECT_EQ(MatchLocale("", kSupported), std::nullopt);
  EXPECT_EQ(MatchLocale("k", kSupported), std::nullopt);
  EXPECT_EQ(MatchLocale("<script>", kSupported), std::nullopt);
}

TEST(ChooseLocale, UiLocalesWinsWithTheFirstSupportedTag) {
  // OIDC Core §3.1.2.1: space-separated, in order of preference.
  EXPECT_EQ(ChooseLocale({"fr-CA ko en", "en", "en"}, kSupported), "ko");
  EXPECT_EQ(ChooseLocale({"  en-GB  ", "ko", "ko"}, kSupported), "en");
}

TEST(ChooseLocale, AcceptLanguageWhenUiLocalesHasNothingSupported) {
  EXPECT_EQ(ChooseLocale({"fr de", "ja, ko-KR;q=0.9, en;q=0.8", "en"}, kSupported), "ko");
  EXPECT_EQ(ChooseLocale({"", "en;q=0.2, ko;q=0.1", "ko"}, kSupported), "en");
}

TEST(ChooseLocale, RealmDefaultWhenTheBrowserNamesNothingSupported) {
  EXPECT_EQ(ChooseLocale({"", "fr, de;q=0.5, *;q=0.1", "ko"}, kSupported), "ko");
  EXPECT_EQ(ChooseLocale({"", "ko;q=0", "ko-KR"}, kSupported), "ko");
}

TEST(ChooseLocale, EnglishWhenNothingElseMatches) {
  EXPECT_EQ(ChooseLocale({"", "", ""}, kSupported), "en");
  EXPECT_EQ(ChooseLocale({"xx", "yy", "zz"}, kSupported), "en");
  EXPECT_EQ(ChooseLocale({"", "", ""}, {"en"}), "en");
}

}  // namespace
}  // namespace idm::pages
