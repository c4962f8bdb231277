// The login-action endpoints the login and consent pages post to (docs/design/013):
//   GET  /realms/{realm}/login-actions/authenticate?flow_id=..   the flow's current page
//   POST /realms/{realm}/login-actions/authenticate               flow_id, csrf_token, username,
//                                                                 password
//   POST /realms/{realm}/login-actions/consent                    flow_id, csrf_token, decision
//   POST /realms/{realm}/login-actions/mfa                        flow_id, csrf_token, method
//                                                                 (totp | hotp |
//                                                                 recovery_code | webauthn |
//                                                                 email), code
//   POST /realms/{realm}/login-actions/mfa-enroll                 flow_id, csrf_token, code, skip;
//                                                                 or method=webauthn, name,
//                                                                 credential; or switch=totp|hotp
//                                                                 (the other OTP kind)
//   POST /realms/{realm}/login-actions/webauthn-options           flow_id, csrf_token -> the
//        WebAuthn options JSON of the flow's ceremony (docs/design/018): creation options at
//        enrolment, request options at the MFA step or, with passwordless_webauthn, at the login
//        step; 403 {"error":"csrf"} on a bad token or a foreign flow, 400 {"error":"no_ceremony"}
//        when the flow is at no such step or is gone
//   POST /realms/{realm}/login-actions/passkey                    flow_id, csrf_token, credential
//                                                                 (username-less sign-in)
//   POST /realms/{realm}/login-actions/recovery-codes             flow_id, csrf_token (the user
//                                                                 saved the codes shown once)
//   POST /realms/{realm}/login-actions/mfa  method=email action=send  mails a code
//   (docs/design/019) POST /realms/{realm}/login-actions/email-signin               flow_id,
//   csrf_token, and either
//                                                                 action=send + username, or code
// Every POST must carry the CSRF token of its flow (pages::CsrfTokens, OWASP CSRF Prevention
// Cheat Sheet); a missing or wrong token is refused with 403 before the flow is touched.
#include <utility>

#include "idm/oauth/authorization_request_checks.h"
#include "idm/oauth/login_pages.h"
#include "idm/oauth/login_pages_support.h"
#include "idm/oauth/token_request_checks.h"

namespace idm::oauth {

namespace {

// The options endpoint answers JSON, errors included (the page script reads them).
http::WebResponse OptionsError(int status, const char* error) {
  http::WebResponse response = http::WebResponse::Json(status, core::Json{{"error", error}}.dump());
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace

struct BrowserLogin::FormPost {
  Call call;
  http::Params form;
  std::string flow_id;
  std::string Value(const char* name) const { return FormValue(form, name); }
};

std::optional<BrowserLogin::FormPost> BrowserLogin::BeginFormPost(const http::WebRequest& request,
                                                                  http::WebResponse* error) const {
  std::optional<Call> call = MakeCall(request, error);
  if (!call) return std::nullopt;
  FormPost post{std::move(*call), request.Form(), ""};
  post.flow_id = post.Value("flow_id");
  if (!deps_.csrf.Verify(post.flow_id, post.Value("csrf_token"))) {
    *error = ErrorPage(post.call, 403, "csrf", "");
    return std::nullopt;
  }
  return post;
}

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
  std::optional<FormPost> post = BeginFormPost(request, &error);
  if (!post) return error;
  const Call& call = post->call;
  return Respond(call,
                 deps_.login.SubmitPassword(call.ctx, call.realm, post->flow_id, call.browser,
                                            post->Value("username"), post->Value("password")),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleConsent(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<FormPost> post = BeginFormPost(request, &error);
  if (!post) return error;
  const Call& call = post->call;
  const std::string decision = post->Value("decision");
  if (decision != "approve" && decision != "deny") {
    return ErrorPage(call, 400, "invalid_request", "decision must be approve or deny");
  }
  return Respond(call,
                 deps_.login.SubmitConsent(call.ctx, call.realm, post->flow_id, call.browser,
                                           decision == "approve"),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleSecondFactor(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<FormPost> post = BeginFormPost(request, &error);
  if (!post) return error;
  const Call& call = post->call;
  const std::string method = post->Value("method");
  if (method != "totp" && method != "recovery_code" && method != "webauthn" && method != "email" &&
      method != "hotp") {
    return ErrorPage(call, 400, "invalid_request",
                     "method must be totp, hotp, recovery_code, webauthn or email");
  }
  if (method == "email" && post->Value("action") == "send") {
    return Respond(call,
                   deps_.login.SendEmailCode(call.ctx, call.realm, post->flow_id, call.browser),
                   /*from_authorize=*/false);
  }
  return Respond(call,
                 deps_.login.SubmitSecondFactor(call.ctx, call.realm, post->flow_id, call.browser,
                                                method, post->Value("code")),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleEnrollment(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<FormPost> post = BeginFormPost(request, &error);
  if (!post) return error;
  const Call& call = post->call;
  if (post->Value("method") == "webauthn") {
    return Respond(
        call,
        deps_.login.SubmitPasskeyEnrollment(call.ctx, call.realm, post->flow_id, call.browser,
                                            post->Value("name"), post->Value("credential")),
        /*from_authorize=*/false);
  }
  // "Use a counter-based (HOTP) / time-based (TOTP) authenticator instead" (docs/design/024).
  if (const std::string to = post->Value("switch"); !to.empty()) {
    if (to != "totp" && to != "hotp") {
      return ErrorPage(call, 400, "invalid_request", "switch must be totp or hotp");
    }
    return Respond(
        call, deps_.login.SwitchEnrollment(call.ctx, call.realm, post->flow_id, call.browser, to),
        /*from_authorize=*/false);
  }
  return Respond(call,
                 deps_.login.SubmitEnrollment(call.ctx, call.realm, post->flow_id, call.browser,
                                              post->Value("code"), post->Value("skip") == "1"),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleRecoveryCodesSaved(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<FormPost> post = BeginFormPost(request, &error);
  if (!post) return error;
  const Call& call = post->call;
  return Respond(
      call,
      deps_.login.ContinueAfterRecoveryCodes(call.ctx, call.realm, post->flow_id, call.browser),
      /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleWebAuthnOptions(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<FormPost> post = BeginFormPost(request, &error);
  if (!post) return error.status == 403 ? OptionsError(403, "csrf") : error;
  const Call& call = post->call;
  core::ServiceResult<authn::PasskeyOptions> options =
      deps_.login.WebAuthnOptions(call.ctx, call.realm, post->flow_id, call.browser);
  if (!options) {
    return OptionsError(options.error().code == core::ServiceErrorCode::kUnavailable ? 503 : 500,
                        "server_error");
  }
  if (!options->json) {
    return options->refused == authn::StepKind::kForeign ? OptionsError(403, "csrf")
                                                         : OptionsError(400, "no_ceremony");
  }
  http::WebResponse response = http::WebResponse::Json(200, *options->json);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::WebResponse BrowserLogin::HandlePasskeyLogin(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<FormPost> post = BeginFormPost(request, &error);
  if (!post) return error;
  const Call& call = post->call;
  return Respond(call,
                 deps_.login.SubmitPasskeyLogin(call.ctx, call.realm, post->flow_id, call.browser,
                                                post->Value("credential")),
                 /*from_authorize=*/false);
}

http::WebResponse BrowserLogin::HandleEmailSignIn(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<FormPost> post = BeginFormPost(request, &error);
  if (!post) return error;
  const Call& call = post->call;
  if (post->Value("action") == "send") {
    return Respond(call,
                   deps_.login.StartEmailSignIn(call.ctx, call.realm, post->flow_id, call.browser,
                                                post->Value("username")),
                   /*from_authorize=*/false);
  }
  return Respond(call,
                 deps_.login.SubmitEmailSignIn(call.ctx, call.realm, post->flow_id, call.browser,
                                               post->Value("code")),
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
  router.Add("POST", "/realms/{realm}/login-actions/recovery-codes",
             [&login](const http::WebRequest& r) { return login.HandleRecoveryCodesSaved(r); });
  router.Add("POST", "/realms/{realm}/login-actions/email-signin",
             [&login](const http::WebRequest& r) { return login.HandleEmailSignIn(r); });
  router.Add("GET", "/resources/idm.css",
             [&login](const http::WebRequest& r) { return login.HandleStylesheet(r); });
  router.Add("POST", "/realms/{realm}/login-actions/webauthn-options",
             [&login](const http::WebRequest& r) { return login.HandleWebAuthnOptions(r); });
  router.Add("POST", "/realms/{realm}/login-actions/passkey",
             [&login](const http::WebRequest& r) { return login.HandlePasskeyLogin(r); });
  router.Add("GET", "/resources/webauthn.js",
             [&login](const http::WebRequest& r) { return login.HandleWebAuthnScript(r); });
}

}  // namespace idm::oauth
