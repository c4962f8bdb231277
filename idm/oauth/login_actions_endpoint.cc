// The login-action endpoints the login and consent pages post to (docs/design/013):
//   GET  /realms/{realm}/login-actions/authenticate?flow_id=..   the flow's current page
//   POST /realms/{realm}/login-actions/authenticate               flow_id, csrf_token, username,
//                                                                 password
//   POST /realms/{realm}/login-actions/consent                    flow_id, csrf_token, decision
//   POST /realms/{realm}/login-actions/mfa                        flow_id, csrf_token, method
//                                                                 (totp | recovery_code), code
//   POST /realms/{realm}/login-actions/mfa-enroll                 flow_id, csrf_token, code, skip
// Every POST must carry the CSRF token of its flow (pages::CsrfTokens, OWASP CSRF Prevention
// Cheat Sheet); a missing or wrong token is refused with 403 before the flow is touched.
#include <utility>

#include "idm/oauth/authorization_request_checks.h"
#include "idm/oauth/login_pages.h"
#include "idm/oauth/login_pages_support.h"
#include "idm/oauth/token_request_checks.h"

namespace idm::oauth {
namespace {

}  // namespace

http::WebResponse BrowserLogin::HandleShow(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<Call> call = MakeCall(request, &error);
  if (!call) return error;
  const std::string flow_id = request.Query("flow_id").value_or("");
  if (flow_id.empty()) return ErrorPage(*call, 400, "session_expired", "");
  return Respond(*call, deps_.login.Show(call->ctx, call->realm, flow_id, call->browser),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandlePassword(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<Call> call = MakeCall(request, &error);
  if (!call) return error;
  const http::Params form = request.Form();
  const std::string flow_id = FormValue(form, "flow_id");
  if (!deps_.csrf.Verify(flow_id, FormValue(form, "csrf_token"))) {
    return ErrorPage(*call, 403, "csrf", "");
  }
  return Respond(
      *call,
      deps_.login.SubmitPassword(call->ctx, call->realm, flow_id, call->browser,
                                 FormValue(form, "username"), FormValue(form, "password")),
      /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleConsent(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<Call> call = MakeCall(request, &error);
  if (!call) return error;
  const http::Params form = request.Form();
  const std::string flow_id = FormValue(form, "flow_id");
  if (!deps_.csrf.Verify(flow_id, FormValue(form, "csrf_token"))) {
    return ErrorPage(*call, 403, "csrf", "");
  }
  const std::string decision = FormValue(form, "decision");
  if (decision != "approve" && decision != "deny") {
    return ErrorPage(*call, 400, "invalid_request", "decision must be approve or deny");
  }
  return Respond(*call,
                 deps_.login.SubmitConsent(call->ctx, call->realm, flow_id, call->browser,
                                           decision == "approve"),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleSecondFactor(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<Call> call = MakeCall(request, &error);
  if (!call) return error;
  const http::Params form = request.Form();
  const std::string flow_id = FormValue(form, "flow_id");
  if (!deps_.csrf.Verify(flow_id, FormValue(form, "csrf_token"))) {
    return ErrorPage(*call, 403, "csrf", "");
  }
  const std::string method = FormValue(form, "method");
  if (method != "totp" && method != "recovery_code") {
    return ErrorPage(*call, 400, "invalid_request", "method must be totp or recovery_code");
  }
  return Respond(*call,
                 deps_.login.SubmitSecondFactor(call->ctx, call->realm, flow_id, call->browser,
                                                method, FormValue(form, "code")),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleEnrollment(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<Call> call = MakeCall(request, &error);
  if (!call) return error;
  const http::Params form = request.Form();
  const std::string flow_id = FormValue(form, "flow_id");
  if (!deps_.csrf.Verify(flow_id, FormValue(form, "csrf_token"))) {
    return ErrorPage(*call, 403, "csrf", "");
  }
  return Respond(*call,
                 deps_.login.SubmitEnrollment(call->ctx, call->realm, flow_id, call->browser,
                                              FormValue(form, "code"),
                                              FormValue(form, "skip") == "1"),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleStylesheet(const http::WebRequest&) const {
  http::WebResponse response =
      http::WebResponse::Bytes(200, "text/css; charset=utf-8", deps_.pages.Stylesheet());
  response.SetHeader("Cache-Control", "public, max-age=3600");
  return response;
}

void RegisterBrowserLoginRoutes(http::Router& router, const BrowserLogin& login) {
  auto authorize = [&login](const http::WebRequest& r) { return login.HandleAuthorize(r); };
  router.Add("GET", "/realms/{realm}/protocol/openid-connect/auth", authorize);
  router.Add("POST", "/realms/{realm}/protocol/openid-connect/auth", authorize);
  router.Add("GET", "/realms/{realm}/login-actions/authenticate",
             [&login](const http::WebRequest& r) { return login.HandleShow(r); });
  router.Add("POST", "/realms/{realm}/login-actions/authenticate",
             [&login](const http::WebRequest& r) { return login.HandlePassword(r); });
  router.Add("POST", "/realms/{realm}/login-actions/consent",
             [&login](const http::WebRequest& r) { return login.HandleConsent(r); });
  router.Add("POST", "/realms/{realm}/login-actions/mfa",
             [&login](const http::WebRequest& r) { return login.HandleSecondFactor(r); });
  router.Add("POST", "/realms/{realm}/login-actions/mfa-enroll",
             [&login](const http::WebRequest& r) { return login.HandleEnrollment(r); });
  router.Add("GET", "/resources/idm.css",
             [&login](const http::WebRequest& r) { return login.HandleStylesheet(r); });
}

}  // namespace idm::oauth
