// RFC 9457 problem details from service errors (idm/admin/problem.h).
#include "idm/admin/problem.h"

#include <gtest/gtest.h>

#include "idm/core/json.h"

namespace idm::admin {
namespace {

using core::ServiceErrorCode;

TEST(Problem, MapsEveryServiceErrorCodeToItsHttpStatus) {
  struct Case {
    ServiceErrorCode code;
    int status;
  } cases[] = {
      {ServiceErrorCode::kInvalidArgument, 400},    {ServiceErrorCode::kUnauthenticated, 401},
      {ServiceErrorCode::kPermissionDenied, 403},   {ServiceErrorCode::kNotFound, 404},
      {ServiceErrorCode::kAlreadyExists, 409},      {ServiceErrorCode::kFailedPrecondition, 409},
      {ServiceErrorCode::kPreconditionFailed, 412}, {ServiceErrorCode::kUnavailable, 503},
      {ServiceErrorCode::kInternal, 500},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(StatusFor(c.code), c.status) << static_cast<int>(c.code);
    auto r = ProblemFromError({c.code, "detail", {}}, "req-1");
    EXPECT_EQ(r.status, c.status);
    auto type = r.headers.find("Content-Type");
    ASSERT_NE(type, r.headers.end());
    EXPECT_EQ(type->second, "application/problem+json");
  }
}

TEST(Problem, BodyCarriesTypeTitleStatusDetailInstanceAndFieldErrors) {
  auto r = ProblemFromError(
      core::InvalidArgument("bad fields", {{"username", "required"}, {"email", "invalid"}}),
      "req-42");
  core::Json body = core::Json::parse(r.body);
  EXPECT_EQ(body["status"], 400);
  EXPECT_EQ(body["type"], "urn:idm:problem:invalid-request");
  EXPECT_EQ(body["title"], "Invalid request");
  EXPECT_EQ(body["detail"], "bad fields");
  EXPECT_EQ(body["instance"], "req-42");
  ASSERT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][0]["field"], "username");
  EXPECT_EQ(body["errors"][1]["message"], "invalid");
}

TEST(Problem, InternalErrorsDoNotEchoTheirDetail) {
  auto r = ProblemFromError({ServiceErrorCode::kInternal, "sqlite: no such table users", {}}, "r");
  EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
  EXPECT_EQ(core::Json::parse(r.body)["status"], 500);
}

TEST(Problem, UnauthorizedNamesInvalidTokenOnlyWhenATokenWasSent) {
  // RFC 6750 §3.1: no error code when the request carried no credentials at all.
  auto with = Unauthorized("expired", true, "r1");
  auto without = Unauthorized("required", false, "r2");
  EXPECT_EQ(with.status, 401);
  EXPECT_EQ(with.headers.find("WWW-Authenticate")->second,
            "Bearer realm=\"idm-admin\", error=\"invalid_token\"");
  EXPECT_EQ(without.headers.find("WWW-Authenticate")->second, "Bearer realm=\"idm-admin\"");
}

}  // namespace
}  // namespace idm::admin
