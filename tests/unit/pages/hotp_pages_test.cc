// The default theme's HOTP parts (docs/design/023): the counter-based code form on the MFA page
// and the time-based / counter-based choice on the enrolment page, in English and Korean.
#include <gtest/gtest.h>

#include "idm/pages/page_renderer.h"

namespace idm::pages {
namespace {

using core::Json;

bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

std::string Render(Page page, const std::string& locale, const Json& extra) {
  auto r = PageRenderer::Load({});
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return "";
  Json context = {{"form_action", "/realms/r/login-actions/x"},
                  {"flow_id", "flow-123"},
                  {"csrf_token", "tok-abc"},
                  {"secret", "JBSWY3DPEHPK3PXP"},
                  {"qr_svg", "<svg></svg>"}};
  context.update(extra);
  return r->Render(page, locale, context);
}

TEST(HotpPages, MfaPageHasTheHotpFormOnlyForAUserWithHotp) {
  const std::string with = Render(Page::kMfa, "en", {{"offer_hotp", true}});
  EXPECT_TRUE(Contains(with, "<input type=\"hidden\" name=\"method\" value=\"hotp\">")) << with;
  EXPECT_TRUE(Contains(with, "id=\"hotp_code\""));
  EXPECT_TRUE(Contains(with, "Counter-based code"));
  EXPECT_FALSE(Contains(with, "value=\"totp\"")) << "offer_totp was not set";
  const std::string without = Render(Page::kMfa, "en", {{"offer_totp", true}});
  EXPECT_FALSE(Contains(without, "value=\"hotp\""));
  const std::string ko = Render(Page::kMfa, "ko", {{"offer_hotp", true}});
  EXPECT_TRUE(Contains(ko, "카운터 기반 코드")) << ko;
}

TEST(HotpPages, EnrolmentPageOffersTheOtherKindOfAuthenticator) {
  const std::string totp = Render(Page::kMfaEnroll, "en", {{"switch_to_hotp", true}});
  EXPECT_TRUE(Contains(totp, "name=\"switch\" value=\"hotp\"")) << totp;
  EXPECT_TRUE(Contains(totp, "Use a counter-based (HOTP) authenticator instead"));
  EXPECT_FALSE(Contains(totp, "name=\"switch\" value=\"totp\""));
  EXPECT_FALSE(Contains(totp, "counter-based codes (HOTP;")) << "the TOTP intro is shown";

  const std::string hotp =
      Render(Page::kMfaEnroll, "en", {{"hotp", true}, {"switch_to_totp", true}});
  EXPECT_TRUE(Contains(hotp, "name=\"switch\" value=\"totp\"")) << hotp;
  EXPECT_FALSE(Contains(hotp, "name=\"switch\" value=\"hotp\""));
  EXPECT_TRUE(Contains(hotp, "counter-based codes (HOTP;"));
  EXPECT_TRUE(Contains(hotp, "up to 10 codes ahead"));
  EXPECT_TRUE(Contains(hotp, "<code class=\"secret\">JBSWY3DPEHPK3PXP</code>"));

  const std::string none = Render(Page::kMfaEnroll, "en", Json::object());
  EXPECT_FALSE(Contains(none, "name=\"switch\"")) << "no other method allowed: no switch";

  const std::string ko = Render(Page::kMfaEnroll, "ko", {{"hotp", true}, {"switch_to_totp", true}});
  EXPECT_TRUE(Contains(ko, "시간 기반 인증 앱 사용")) << ko;
  EXPECT_TRUE(Contains(ko, "카운터 기반 코드(HOTP)"));
}

}  // namespace
}  // namespace idm::pages
