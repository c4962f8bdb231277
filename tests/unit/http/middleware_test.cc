#include "idm/http/middleware.h"

#include <gtest/gtest.h>

namespace idm::http {
namespace {

// A Random that returns a fixed byte pattern, to make generated ids predictable.
class CountingRandom final : public core::Random {
 public:
  void Fill(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(i);
  }
};

TEST(RequestId, AcceptsOnlyShortSafeTokens) {
  EXPECT_TRUE(IsValidRequestId("a"));
  EXPECT_TRUE(IsValidRequestId("Abc-123_x.y"));
  EXPECT_TRUE(IsValidRequestId(std::string(128, 'a')));
  EXPECT_FALSE(IsValidRequestId(""));
  EXPECT_FALSE(IsValidRequestId(std::string(129, 'a')));
  EXPECT_FALSE(IsValidRequestId("a b"));
  EXPECT_FALSE(IsValidRequestId("a\nb"));
  EXPECT_FALSE(IsValidRequestId("a\"b"));
  EXPECT_FALSE(IsValidRequestId("caf\xc3\xa9"));
}

TEST(RequestId, ParsesTraceparentPerW3cTraceContext) {
  struct Case {
    const char* name;
    const char* header;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {"valid", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
       "4bf92f3577b34da6a3ce929d0e0e4736"},
      {"future version with extra field",
       "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
       "4bf92f3577b34da6a3ce929d0e0e4736"},
      {"version 00 with trailing data", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
       std::nullopt},
      {"version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", std::nullopt},
      {"zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", std::nullopt},
      {"zero parent id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", std::nullopt},
      {"upper-case hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", std::nullopt},
      {"short", "00-4bf92f35-00f067aa0ba902b7-01", std::nullopt},
      {"empty", "", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(TraceIdFromTraceparent(c.header), c.want) << c.name;
}

TEST(RequestId, PrefersXRequestIdThenTraceparentThenGenerates) {
  CountingRandom random;
  Headers both{{"X-Request-Id", "mine"},
               {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  EXPECT_EQ(ChooseRequestId(both, &random), "mine");
  Headers bad_id{{"x-request-id", "not valid!"},
                 {"Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  EXPECT_EQ(ChooseRequestId(bad_id, &random), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(ChooseRequestId({}, &random), "000102030405060708090a0b0c0d0e0f");
}

TEST(RequestId, GeneratedIdsDifferWithoutAnInjectedRandom) {
  const std::string a = NewRequestId(nullptr), b = NewRequestId(nullptr);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_TRUE(IsValidRequestId(a));
  EXPECT_NE(a, b);
}

TEST(SecurityHeaders, AddsDefaultsAndHstsOnlyOverTls) {
  WebResponse plain = WebResponse::Text(200, "x");
  ApplySecurityHeaders(plain, false);
  EXPECT_EQ(plain.headers.find("X-Content-Type-Options")->second, "nosniff");
  EXPECT_EQ(plain.headers.find("Referrer-Policy")->second, "no-referrer");
  EXPECT_EQ(plain.headers.find("X-Frame-Options")->second, "DENY");
  EXPECT_EQ(plain.headers.find("Content-Security-Policy")->second, "frame-ancestors 'none'");
  EXPECT_EQ(plain.headers.count("Strict-Transport-Security"), 0u);
  WebResponse tls = WebResponse::Text(200, "x");
  ApplySecurityHeaders(tls, true);
  EXPECT_EQ(tls.headers.find("Strict-Transport-Security")->second, "max-age=31536000");
}

TEST(SecurityHeaders, KeepsValuesTheEndpointSet) {
  WebResponse r = WebResponse::Html(200, "x");
  r.SetHeader("content-security-policy", "default-src 'self'; frame-ancestors 'none'");
  r.SetHeader("Referrer-Policy", "origin");
  ApplySecurityHeaders(r, false);
  EXPECT_EQ(r.headers.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(r.headers.find("Content-Security-Policy")->second,
            "default-src 'self'; frame-ancestors 'none'");
  EXPECT_EQ(r.headers.find("Referrer-Policy")->second, "origin");
}

TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(HttpDate(784'111'777'000), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110 §5.6.7
  EXPECT_EQ(HttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(AccessLog, FieldsNameEveryPartOfTheRecord) {
  core::Json j = AccessLogFields({"POST", "/token", "/token", 400, 1.23456, 57, "10.0.0.1", "r1"});
  EXPECT_EQ(j["method"], "POST");
  EXPECT_EQ(j["route"], "/token");
  EXPECT_EQ(j["path"], "/token");
  EXPECT_EQ(j["status"], 400);
  EXPECT_DOUBLE_EQ(j["duration_ms"].get<double>(), 1.235);
  EXPECT_EQ(j["bytes"], 57);
  EXPECT_EQ(j["remote_addr"], "10.0.0.1");
  EXPECT_EQ(j["request_id"], "r1");
  EXPECT_EQ(j.size(), 8u);
}

}  // namespace
}  // namespace idm::http
