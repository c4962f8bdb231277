// RFC 5322 message building (idm/mail/message.h): the header fields, CRLF line ends, RFC 2047
// encoded-words for a Korean subject and display name, a base64 UTF-8 body, and the mail
// templates (en, ko) the codes and notices are sent with.
#include "idm/mail/message.h"

#include <gtest/gtest.h>

#include "idm/crypto/encoding.h"
#include "idm/crypto/secure_random.h"
#include "idm/mail/mail_sender.h"
#include "idm/mail/mail_templates.h"

namespace idm::mail {
namespace {

constexpr core::UnixMillis kAt = 1796143895000;  // Tue, 01 Dec 2026 16:51:35 UTC

// Decodes "=?UTF-8?B?...?=" words (folded with CRLF SP) back to UTF-8, as a mail reader does.
std::string DecodeWords(const std::string& header) {
  std::string out;
  size_t i = 0;
  while ((i = header.find("=?UTF-8?B?", i)) != std::string::npos) {
    const size_t start = i + 10;
    const size_t end = header.find("?=", start);
    out += crypto::Base64Decode(header.substr(start, end - start)).value_or("<bad>");
    i = end + 2;
  }
  return out;
}

std::string HeaderValue(const std::string& message, const std::string& name) {
  size_t at = message.find("\r\n" + name + ": ");
  if (message.rfind(name + ": ", 0) == 0) {
    at = 0;
  } else if (at == std::string::npos) {
    return "";
  } else {
    at += 2;
  }
  at += name.size() + 2;
  std::string value;
  for (;;) {
    const size_t eol = message.find("\r\n", at);
    value += message.substr(at, eol - at);
    if (message.compare(eol + 2, 1, " ") != 0) break;  // not folded
    value += "\r\n";
    at = eol + 2;
  }
  return value;
}

MailMessage Sample() {
  return {"no-reply@acme.example", "Acme Corp", "alice@example.com", "Your code",
          "Hello\nline two\n"};
}

TEST(BuildMessage, WritesTheRfc5322HeaderFieldsAndCrlfLineEnds) {
  crypto::SecureRandom random;
  const std::string m = BuildMessage(Sample(), kAt, random, "abc@acme.example");
  EXPECT_EQ(HeaderValue(m, "Date"), "Tue, 01 Dec 2026 16:51:35 +0000");
  EXPECT_EQ(HeaderValue(m, "Message-ID"), "<abc@acme.example>");
  EXPECT_EQ(HeaderValue(m, "From"), "\"Acme Corp\" <no-reply@acme.example>");
  EXPECT_EQ(HeaderValue(m, "To"), "alice@example.com");
  EXPECT_EQ(HeaderValue(m, "Subject"), "Your code");
  EXPECT_EQ(HeaderValue(m, "MIME-Version"), "1.0");
  EXPECT_EQ(HeaderValue(m, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(HeaderValue(m, "Content-Transfer-Encoding"), "base64");
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\n') {
      ASSERT_TRUE(i > 0 && m[i - 1] == '\r') << "bare LF at " << i;
    }
    if (m[i] == '\r') {
      ASSERT_EQ(m[i + 1], '\n') << "bare CR at " << i;
    }
  }
  size_t start = 0;
  while (start < m.size()) {
    const size_t eol = m.find("\r\n", start);
    EXPECT_LE(eol - start, 78u) << m.substr(start, eol - start);  // RFC 5322 §2.1.1
    start = eol + 2;
  }
}

TEST(BuildMessage, BodyIsBase64OfTheUtf8TextWithCrlf) {
  crypto::SecureRandom random;
  MailMessage msg = Sample();
  msg.body = "안녕하세요\n코드: 123456\n";
  const std::string m = BuildMessage(msg, kAt, random);
  const std::string body = m.substr(m.find("\r\n\r\n") + 4);
  std::string b64;
  for (char c : body) {
    if (c != '\r' && c != '\n') b64.push_back(c);
  }
  EXPECT_EQ(crypto::Base64Decode(b64).value_or(""), "안녕하세요\r\n코드: 123456\r\n");
}

TEST(BuildMessage, MessageIdIsRandomAtTheSendersDomainWhenNotGiven) {
  crypto::SecureRandom random;
  const std::string a = HeaderValue(BuildMessage(Sample(), kAt, random), "Message-ID");
  const std::string b = HeaderValue(BuildMessage(Sample(), kAt, random), "Message-ID");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.substr(a.size() - 14), "@acme.example>");
}

TEST(EncodeHeaderText, LeavesPrintableAsciiAlone) {
  EXPECT_EQ(EncodeHeaderText("Your sign-in code: 123456"), "Your sign-in code: 123456");
}

TEST(EncodeHeaderText, KoreanSubjectBecomesRfc2047WordsThatDecodeBack) {
  const std::string subject = "에이크미 로그인 인증 코드: 123456 — 10분 동안 유효합니다";
  const std::string encoded = EncodeHeaderText(subject);
  EXPECT_EQ(encoded.rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(DecodeWords(encoded), subject);
  size_t start = 0;
  while (start < encoded.size()) {  // RFC 2047 §2: an encoded-word is at most 75 characters
    size_t end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    EXPECT_LE(end - start, 75u);
    EXPECT_TRUE(crypto::Base64Decode(encoded.substr(start + 10, end - start - 12)).has_value())
        << "each word decodes alone";
    start = end + 3;
  }
}

TEST(BuildMessage, KoreanDisplayNameIsEncodedOutsideTheAngleAddress) {
  crypto::SecureRandom random;
  MailMessage msg = Sample();
  msg.from_name = "에이크미";
  const std::string from = HeaderValue(BuildMessage(msg, kAt, random), "From");
  EXPECT_EQ(DecodeWords(from), "에이크미");
  EXPECT_EQ(from.substr(from.size() - 24), " <no-reply@acme.example>");
}

TEST(BuildMessage, QuotesAsciiDisplayNamesWithSpecials) {
  crypto::SecureRandom random;
  MailMessage msg = Sample();
  msg.from_name = "Acme \"IT\"";
  EXPECT_EQ(HeaderValue(BuildMessage(msg, kAt, random), "From"),
            "\"Acme \\\"IT\\\"\" <no-reply@acme.example>");
}

TEST(IsPlainAddress, AcceptsAddrSpecsAndRefusesHeaderOrCommandInjection) {
  EXPECT_TRUE(IsPlainAddress("alice@example.com"));
  EXPECT_TRUE(IsPlainAddress("a.b+tag@sub.example.co.kr"));
  for (const char* bad : {"", "alice", "@example.com", "alice@", "a@b@c", "alice@example.com\r\nBcc: x@y",
                          "<alice@example.com>", "alice @example.com", "a,b@example.com"}) {
    EXPECT_FALSE(IsPlainAddress(bad)) << bad;
  }
}

TEST(SmtpSecurity, ParsesTheThreeModesOnly) {
  SmtpSecurity s;
  EXPECT_TRUE(ParseSmtpSecurity("none", &s));
  EXPECT_EQ(s, SmtpSecurity::kNone);
  EXPECT_TRUE(ParseSmtpSecurity("starttls", &s));
  EXPECT_EQ(s, SmtpSecurity::kStartTls);
  EXPECT_TRUE(ParseSmtpSecurity("tls", &s));
  EXPECT_EQ(s, SmtpSecurity::kTls);
  EXPECT_FALSE(ParseSmtpSecurity("ssl", &s));
}

TEST(MailTemplates, EmailCodeInKoreanAndEnglishCarriesTheCode) {
  const std::map<std::string, std::string> values = {
      {"code", "042917"}, {"minutes", "10"}, {"realm", "Acme"}, {"username", "alice"}};
  auto ko = RenderMail("email_code", ChooseMailLocale({"ko-KR"}), values);
  ASSERT_TRUE(ko.has_value());
  EXPECT_EQ(ko->subject, "Acme 로그인 인증 코드: 042917");
  EXPECT_NE(ko->body.find("10분"), std::string::npos);
  auto en = RenderMail("email_code", ChooseMailLocale({"fr", "en-GB"}), values);
  ASSERT_TRUE(en.has_value());
  EXPECT_EQ(en->subject, "Your Acme sign-in code: 042917");
  EXPECT_NE(en->body.find("    042917\n"), std::string::npos);
  EXPECT_EQ(en->body.find("{{"), std::string::npos);
}

TEST(MailTemplates, UnknownLocaleFallsBackToEnglishAndUnknownTemplateIsNone) {
  EXPECT_EQ(ChooseMailLocale({"de"}), "en");
  auto notice = RenderMail("recovery_code_used", "de", {{"realm", "Acme"}, {"codes_left", "9"}});
  ASSERT_TRUE(notice.has_value());
  EXPECT_EQ(notice->subject, "A recovery code was used to sign in to Acme");
  EXPECT_FALSE(RenderMail("no_such_template", "en", {}).has_value());
}

}  // namespace
}  // namespace idm::mail
