// BrowserLogin: turning authn::Steps into pages, redirects and cookies; see login_pages.h.
#include "idm/oauth/login_pages.h"

#include <algorithm>
#include <utility>

#include "idm/http/page_headers.h"
#include "idm/oauth/authorization_response.h"
#include "idm/oauth/login_pages_support.h"
#include "idm/pages/form_post.h"
#include "idm/pages/qr_svg.h"

namespace idm::oauth {

BrowserLogin::BrowserLogin(BrowserLoginDeps deps)
    : deps_(std::move(deps)), secure_(deps_.public_url.rfind("https://", 0) == 0) {}

std::string BrowserLogin::Locale(const Call& call,
                                 const std::vector<std::string>& ui_locales) const {
  // A language switch link (?ui_locales=ko) wins over the request's own ui_locales.
  std::string requested = call.request.Query("ui_locales").value_or(JoinSpaces(ui_locales));
  std::string accept = call.request.Header("Accept-Language").value_or("");
  return deps_.pages.ChooseLocale(pages::LocaleInputs{requested, accept, ""});
}

http::WebResponse BrowserLogin::ErrorPage(const Call& call, int status, const std::string& key,
                                          const std::string& detail) const {
  const std::string locale = Locale(call, {});
  const pages::MessageCatalog& msg = deps_.pages.messages();
  core::Json context = {{"error_title", msg.Text(locale, "errors." + key + ".title")},
                        {"error_description", msg.Text(locale, "errors." + key + ".description")},
                        {"error_detail", detail},
                        {"request_id", call.request.request_id}};
  http::WebResponse response =
      http::WebResponse::Html(status, deps_.pages.Render(pages::Page::kError, locale, context));
  http::ApplyPageHeaders(response);
  return response;
}

namespace {

// The login and consent forms post to idm, which may answer with a redirect to the client's
// redirect URI; CSP form-action governs that redirect too (CSP Level 3 §6.3.1), so the page allows
// the redirect URI besides 'self'.
http::PagePolicy FormPagePolicy(const authn::Step& step) {
  http::PagePolicy policy;
  std::string source = pages::CspSourceForUrl(step.request.redirect_uri);
  if (!source.empty()) policy.form_action.push_back(std::move(source));
  return policy;
}

// A page with a passkey button loads /resources/webauthn.js, which fetches the WebAuthn options.
http::PagePolicy PasskeyPagePolicy(const authn::Step& step) {
  http::PagePolicy policy = FormPagePolicy(step);
  policy.script_src.push_back("'self'");
  policy.connect_src.push_back("'self'");
  return policy;
}

// The GET URL that shows a flow's current step (with ?flow_id=). The language links of every
// flow page point there: a page answering a POST (a failed code, say) has a URL with no GET route.
std::string PageUrl(const std::string& realm_name) {
  return LoginActionPath(realm_name, "authenticate");
}

void AddPasskeyContext(core::Json& context, const std::string& realm_name, const char* ceremony,
                       const std::string& action) {
  context["passkey"] = {{"ceremony", ceremony},
                        {"options_url", LoginActionPath(realm_name, "webauthn-options")},
                        {"action", LoginActionPath(realm_name, action)}};
}

}  // namespace

http::WebResponse BrowserLogin::LoginPage(const Call& call, const authn::Step& step) const {
  const std::string locale = Locale(call, step.request.ui_locales);
  core::Json context = {{"client_name", ClientDisplayName(step.client)},
                        {"form_action", LoginActionPath(call.realm.name, "authenticate")},
                        {"page_url", PageUrl(call.realm.name)},
                        {"flow_id", step.flow.id},
                        {"csrf_token", deps_.csrf.Issue(step.flow.id)},
                        {"username", step.username},
                        {"login_failed", step.login_failed}};
  const bool passkey = call.realm.settings.passwordless_webauthn;
  if (passkey) AddPasskeyContext(context, call.realm.name, "get", "passkey");
  if (call.realm.settings.passwordless_email) {  // docs/design/019
    context["passwordless_email"] = true;
    context["email_signin_action"] = LoginActionPath(call.realm.name, "email-signin");
  }
  http::WebResponse response =
      http::WebResponse::Html(200, deps_.pages.Render(pages::Page::kLogin, locale, context));
  http::ApplyPageHeaders(response, passkey ? PasskeyPagePolicy(step) : FormPagePolicy(step));
  return response;
}

http::WebResponse BrowserLogin::ConsentPage(const Call& call, const authn::Step& step) const {
  const std::string locale = Locale(call, step.request.ui_locales);
  core::Json scopes = core::Json::array();
  for (const std::string& s : step.request.scope) {
    std::string description = deps_.pages.messages().Text(locale, "scopes." + s);
    scopes.push_back({{"name", s}, {"description", description.empty() ? s : description}});
  }
  core::Json context = {{"client_name", ClientDisplayName(step.client)},
                        {"form_action", LoginActionPath(call.realm.name, "consent")},
                        {"flow_id", step.flow.id},
                        {"csrf_token", deps_.csrf.Issue(step.flow.id)},
                        {"username", step.username},
                        {"scopes", scopes}};
  http::WebResponse response =
      http::WebResponse::Html(200, deps_.pages.Render(pages::Page::kConsent, locale, context));
  http::ApplyPageHeaders(response, FormPagePolicy(step));
  return response;
}

http::WebResponse BrowserLogin::MfaPage(const Call& call, const authn::Step& step) const {
  const std::string locale = Locale(call, step.request.ui_locales);
  core::Json context = {{"client_name", ClientDisplayName(step.client)},
                        {"form_action", LoginActionPath(call.realm.name, "mfa")},
                        {"page_url", PageUrl(call.realm.name)},
                        {"flow_id", step.flow.id},
                        {"csrf_token", deps_.csrf.Issue(step.flow.id)},
                        {"login_failed", step.login_failed},
                        {"email_available", step.email_available},
                        {"email_sent", step.email_sent},
                        {"email_send_failed", step.email_send_failed},
                        {"email_masked", step.email_masked}};
  // Only the methods the user has and the realm allows (docs/design/020).
  auto offered = [&step](const char* id) {
    return std::find(step.mfa_methods.begin(), step.mfa_methods.end(), id) !=
           step.mfa_methods.end();
  };
  context["offer_totp"] = step.mfa_methods.empty() ? step.totp_available : offered("totp");
  context["offer_recovery"] = step.mfa_methods.empty() || offered("recovery_code");
  context["offer_hotp"] = offered("hotp");  // RFC 4226 counter codes (docs/design/024)
  if (step.offer_passkey) AddPasskeyContext(context, call.realm.name, "get", "mfa");
  http::WebResponse response =
      http::WebResponse::Html(200, deps_.pages.Render(pages::Page::kMfa, locale, context));
  http::ApplyPageHeaders(response,
                         step.offer_passkey ? PasskeyPagePolicy(step) : FormPagePolicy(step));
  return response;
}

http::WebResponse BrowserLogin::MfaEnrollPage(const Call& call, const authn::Step& step) const {
  const std::string locale = Locale(call, step.request.ui_locales);
  const authn::factors::TotpEnrollment& e = *step.enrollment;
  core::Json context = {{"client_name", ClientDisplayName(step.client)},
                        {"form_action", LoginActionPath(call.realm.name, "mfa-enroll")},
                        {"page_url", PageUrl(call.realm.name)},
                        {"flow_id", step.flow.id},
                        {"csrf_token", deps_.csrf.Issue(step.flow.id)},
                        {"login_failed", step.login_failed},
                        {"secret", e.secret_base32},
                        {"qr_svg", pages::QrCodeSvg(e.otpauth_uri).value_or("")},
                        {"can_skip", step.can_skip_enrollment}};
  // Time-based (TOTP) or counter-based (HOTP) codes, and a switch to the other when allowed.
  auto may_enrol = [&step](const char* id) {
    return std::find(step.otp_enroll_methods.begin(), step.otp_enroll_methods.end(), id) !=
           step.otp_enroll_methods.end();
  };
  const bool hotp = e.method == "hotp";
  context["method"] = e.method;
  context["hotp"] = hotp;
  context["switch_to_hotp"] = !hotp && may_enrol("hotp");
  context["switch_to_totp"] = hotp && may_enrol("totp");
  if (step.offer_passkey) AddPasskeyContext(context, call.realm.name, "create", "mfa-enroll");
  http::WebResponse response =
      http::WebResponse::Html(200, deps_.pages.Render(pages::Page::kMfaEnroll, locale, context));
  http::ApplyPageHeaders(response,
                         step.offer_passkey ? PasskeyPagePolicy(step) : FormPagePolicy(step));
  return response;
}

http::WebResponse BrowserLogin::RecoveryCodesPage(const Call& call, const authn::Step& step) const {
  const std::string locale = Locale(call, step.request.ui_locales);
  core::Json context = {{"form_action", LoginActionPath(call.realm.name, "recovery-codes")},
                        {"page_url", PageUrl(call.realm.name)},
                        {"flow_id", step.flow.id},
                        {"csrf_token", deps_.csrf.Issue(step.flow.id)},
                        {"has_codes", !step.recovery_codes.empty()},
                        {"codes", step.recovery_codes}};
  http::WebResponse response = http::WebResponse::Html(
      200, deps_.pages.Render(pages::Page::kRecoveryCodes, locale, context));
  http::ApplyPageHeaders(response, FormPagePolicy(step));
  return response;
}

http::WebResponse BrowserLogin::EmailSignInPage(const Call& call, const authn::Step& step) const {
  const std::string locale = Locale(call, step.request.ui_locales);
  core::Json context = {{"client_name", ClientDisplayName(step.client)},
                        {"form_action", LoginActionPath(call.realm.name, "email-signin")},
                        {"login_url", LoginActionPath(call.realm.name, "authenticate") +
                                          "?flow_id=" + PercentEncode(step.flow.id)},
                        {"flow_id", step.flow.id},
                        {"csrf_token", deps_.csrf.Issue(step.flow.id)},
                        {"login_failed", step.login_failed}};
  http::WebResponse response =
      http::WebResponse::Html(200, deps_.pages.Render(pages::Page::kEmailSignIn, locale, context));
  http::ApplyPageHeaders(response, FormPagePolicy(step));
  return response;
}

http::WebResponse BrowserLogin::Redirect(const Call& call, const authn::Step& step) const {
  const ResponseMode mode = step.request.form_post ? ResponseMode::kFormPost : ResponseMode::kQuery;
  AuthorizationResponse out;
  if (!step.code.empty()) {
    out = SuccessResponse(step.request.redirect_uri, mode, step.code, step.request.state,
                          call.issuer);
  } else {
    AuthorizationError e;
    e.code = AuthzErrorCodeFromName(step.error);
    e.description = step.error_description;
    e.redirectable = true;
    e.redirect_uri = step.request.redirect_uri;
    e.response_mode = mode;
    e.state = step.request.state;
    out = ErrorResponse(e, call.issuer);
  }
  return Deliver(call, out);
}

http::WebResponse BrowserLogin::Deliver(const Call& call, const AuthorizationResponse& out) const {
  if (out.mode == ResponseMode::kQuery) {
    http::WebResponse response;
    response.status = 302;  // RFC 6749 §4.1.2 uses 302 Found
    response.SetHeader("Location", out.location);
    response.SetHeader("Cache-Control", "no-store");
    return response;
  }
  // OAuth 2.0 Form Post Response Mode §2.
  const std::string locale = Locale(call, {});
  const pages::MessageCatalog& msg = deps_.pages.messages();
  pages::FormPostTexts texts{locale, msg.Text(locale, "form_post.title"),
                             msg.Text(locale, "form_post.message"),
                             msg.Text(locale, "form_post.continue")};
  pages::FormPostPage page = pages::RenderFormPost(out.location, out.fields, texts);
  http::WebResponse response = http::WebResponse::Html(200, std::move(page.html));
  http::PagePolicy policy;
  if (!page.form_action_source.empty()) policy.form_action.push_back(page.form_action_source);
  policy.script_src.push_back(page.script_source);
  http::ApplyPageHeaders(response, policy);
  return response;
}

void BrowserLogin::SetCookies(const Call& call, const authn::Step& step,
                              http::WebResponse& response) const {
  if (step.binding) {
    http::Cookie cookie;
    cookie.name = http::HostPrefixedName(kFlowCookieName, secure_);
    cookie.value = *step.binding;
    cookie.secure = secure_;
    (void)response.AddCookie(cookie);  // the value is base64url with a token prefix: always valid
  }
  if (step.session_cookie) {
    const int64_t max_age = std::max<int64_t>(0, (step.session_expires_at - call.ctx.now) / 1000);
    (void)response.AddCookie(http::SessionCookie(*step.session_cookie, secure_, max_age));
  }
}

http::WebResponse BrowserLogin::StepResponse(const Call& call, const authn::Step& step,
                                             bool from_authorize) const {
  http::WebResponse response;
  switch (step.kind) {
    case authn::StepKind::kShowLogin:
    case authn::StepKind::kShowConsent:
    case authn::StepKind::kShowMfa:
    case authn::StepKind::kShowMfaEnroll:
    case authn::StepKind::kShowRecoveryCodes:
    case authn::StepKind::kShowEmailSignIn:
      if (from_authorize) {
        // The flow's pages live at their own URL (so reloads and language links work); 303 makes
        // the browser GET it whether the request was a GET or a POST (RFC 9110 §15.4.4).
        response.status = 303;
        response.SetHeader("Location", LoginActionPath(call.realm.name, "authenticate") +
                                           "?flow_id=" + PercentEncode(step.flow.id));
        response.SetHeader("Cache-Control", "no-store");
      } else if (step.kind == authn::StepKind::kShowLogin) {
        response = LoginPage(call, step);
      } else if (step.kind == authn::StepKind::kShowMfa) {
        response = MfaPage(call, step);
      } else if (step.kind == authn::StepKind::kShowMfaEnroll && step.enrollment) {
        response = MfaEnrollPage(call, step);
      } else if (step.kind == authn::StepKind::kShowRecoveryCodes) {
        response = RecoveryCodesPage(call, step);
      } else if (step.kind == authn::StepKind::kShowEmailSignIn) {
        response = EmailSignInPage(call, step);
      } else {
        response = ConsentPage(call, step);
      }
      break;
    case authn::StepKind::kRedirect:
      response = Redirect(call, step);
      break;
    case authn::StepKind::kGone:
      return ErrorPage(call, 400, "session_expired", "");
    case authn::StepKind::kForeign:
      return ErrorPage(call, 403, "csrf", "");
  }
  SetCookies(call, step, response);
  return response;
}

http::WebResponse BrowserLogin::Respond(const Call& call,
                                        const core::ServiceResult<authn::Step>& step,
                                        bool from_authorize) const {
  if (!step) {
    if (step.error().code == core::ServiceErrorCode::kUnavailable) {
      return ErrorPage(call, 503, "temporarily_unavailable", "");
    }
    return ErrorPage(call, 500, "server_error", "");
  }
  // A sign-in replaced another user's session in this browser (docs/design/016): its clients
  // hear of it as they would of a logout. Front-channel iframes need a page of their own and are
  // not sent here.
  if (step->ended_session) {
    deps_.logout_notices.NotifyBackchannel(call.realm, call.issuer, *step->ended_session,
                                           call.ctx.now);
  }
  return StepResponse(call, *step, from_authorize);
}

}  // namespace idm::oauth
