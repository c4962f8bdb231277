// RFC 9457 problem details; see problem.h.
#include "idm/admin/problem.h"

#include "idm/core/json.h"

namespace idm::admin {
namespace {

using core::ServiceErrorCode;

// A stable, documented type per error class (RFC 9457 §3.1.1); docs/admin-api.md lists them.
const char* TypeFor(int status) {
  switch (status) {
    case 400:
      return "urn:idm:problem:invalid-request";
    case 401:
      return "urn:idm:problem:unauthenticated";
    case 403:
      return "urn:idm:problem:forbidden";
    case 404:
      return "urn:idm:problem:not-found";
    case 405:
      return "urn:idm:problem:method-not-allowed";
    case 409:
      return "urn:idm:problem:conflict";
    case 412:
      return "urn:idm:problem:precondition-failed";
    case 415:
      return "urn:idm:problem:unsupported-media-type";
    case 502:
      return "urn:idm:problem:bad-gateway";  // an upstream (SMTP) server failed
    case 503:
      return "urn:idm:problem:unavailable";
    default:
      return "urn:idm:problem:internal";
  }
}

const char* TitleFor(int status) {
  switch (status) {
    case 400:
      return "Invalid request";
    case 401:
      return "Authentication required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition failed";
    case 415:
      return "Unsupported media type";
    case 502:
      return "Bad gateway";
    case 503:
      return "Service unavailable";
    default:
      return "Internal error";
  }
}

http::WebResponse Build(int status, const std::string& detail,
                        const std::vector<core::FieldViolation>& violations,
                        const std::string& request_id) {
  core::Json body = {{"type", TypeFor(status)}, {"title", TitleFor(status)}, {"status", status}};
  if (!detail.empty()) body["detail"] = detail;
  if (!request_id.empty()) body["instance"] = request_id;
  if (!violations.empty()) {
    core::Json errors = core::Json::array();
    for (const auto& v : violations) errors.push_back({{"field", v.field}, {"message", v.message}});
    body["errors"] = std::move(errors);
  }
  http::WebResponse r;
  r.status = status;
  r.body = body.dump();
  r.SetHeader("Content-Type", kProblemContentType);
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace

int StatusFor(ServiceErrorCode code) {
  switch (code) {
    case ServiceErrorCode::kInvalidArgument:
      return 400;
    case ServiceErrorCode::kUnauthenticated:
      return 401;
    case ServiceErrorCode::kPermissionDenied:
      return 403;
    case ServiceErrorCode::kNotFound:
      return 404;
    case ServiceErrorCode::kAlreadyExists:
      return 409;
    case ServiceErrorCode::kFailedPrecondition:
      return 409;  // RFC 9110 §15.5.10: state conflict
    case ServiceErrorCode::kPreconditionFailed:
      return 412;  // RFC 9110 §13.1.1 If-Match
    case ServiceErrorCode::kUnavailable:
      return 503;
    case ServiceErrorCode::kInternal:
      return 500;
  }
  return 500;
}

http::WebResponse ProblemFromError(const core::ServiceError& error, const std::string& request_id) {
  const int status = StatusFor(error.code);
  // Internal errors never echo their detail: it may describe server internals.
  const std::string detail = status == 500 ? "An internal error occurred." : error.detail;
  return Build(status, detail, error.violations, request_id);
}

http::WebResponse Problem(int status, const std::string& detail, const std::string& request_id) {
  return Build(status, detail, {}, request_id);
}

http::WebResponse Unauthorized(const std::string& detail, bool token_present,
                               const std::string& request_id) {
  http::WebResponse r = Build(401, detail, {}, request_id);
  r.SetHeader("WWW-Authenticate", token_present
                                      ? "Bearer realm=\"idm-admin\", error=\"invalid_token\""
                                      : "Bearer realm=\"idm-admin\"");
  return r;
}

}  // namespace idm::admin
