// AccountSecurityPages; see account_security_endpoint.h and docs/design/023.
#include "idm/account_ui/account_security_endpoint.h"

#include <cctype>
#include <ctime>
#include <utility>
#include <vector>

#include "idm/core/log.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/http/cookies.h"
#include "idm/http/page_headers.h"
#include "idm/pages/qr_svg.h"

namespace idm::account_ui {
namespace {

// RFC 3986 §2.3: everything but unreserved characters percent-encoded (query components).
std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += Encode(name) + "=" + Encode(value);
  }
  return out;
}

// "2026-12-01 20:40 UTC"; "" for 0.
std::string FormatTime(core::UnixMillis t) {
  if (t == 0) return "";
  const std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string FormValue(const http::Params& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

std::string CsrfBinding(const core::SsoSession& session) { return "account:" + session.id; }

}  // namespace

struct AccountSecurityPages::Call {
  Call(const http::WebRequest& r, core::OpContext c) : request(r), ctx(std::move(c)) {}
  const http::WebRequest& request;
  core::Realm realm;
  core::OpContext ctx;         // actor "anonymous" until a session names the user
  std::string session_cookie;  // "" if none
  std::string locale;
};

struct AccountSecurityPages::PageState {
  int status = 200;
  const char* done = nullptr;  // "renamed" | "removed" | "added" | "passkey": a fixed key, never
                               // echoed
  bool name_invalid = false;
};

AccountSecurityPages::AccountSecurityPages(AccountSecurityDeps deps)
    : deps_(std::move(deps)), secure_(deps_.public_url.rfind("https://", 0) == 0) {}

std::optional<AccountSecurityPages::Call> AccountSecurityPages::MakeCall(
    const http::WebRequest& request, http::WebResponse* error) const {
  const core::UnixMillis now =
      request.received_at != 0 ? request.received_at : deps_.clock.NowMillis();
  Call call(request, core::OpContext{"anonymous", request.remote_addr, request.request_id, now});
  call.session_cookie =
      request.Cookie(http::HostPrefixedName(http::kSessionCookieName, secure_)).value_or("");
  call.locale = deps_.pages.ChooseLocale(
      pages::LocaleInputs{request.Query("ui_locales").value_or(""),
                          request.Header("Accept-Language").value_or(""), ""});
  core::ServiceResult<core::Realm> realm = deps_.realms.Get(request.PathParam("realm"));
  if (!realm || !realm->enabled) {
    const bool missing = realm ? true
                               : realm.error().code == core::ServiceErrorCode::kNotFound ||
                                     realm.error().code == core::ServiceErrorCode::kInvalidArgument;
    *error = missing ? ErrorPage(call, 404, "not_found")
                     : ErrorPage(call, 503, "temporarily_unavailable");
    return std::nullopt;
  }
  call.realm = std::move(*realm);
  return call;
}

http::WebResponse AccountSecurityPages::ErrorPage(const Call& call, int status,
                                                  const std::string& key) const {
  // The renderer looks the title and description of `error` up in the catalog (docs/design/011).
  core::Json context = {
      {"error", key}, {"error_detail", ""}, {"request_id", call.request.request_id}};
  http::WebResponse response = http::WebResponse::Html(
      status, deps_.pages.Render(pages::Page::kError, call.locale, context));
  http::ApplyPageHeaders(response);
  return response;
}

http::WebResponse AccountSecurityPages::ServiceErrorPage(const Call& call,
                                                         const core::ServiceError& error) const {
  switch (error.code) {
    case core::ServiceErrorCode::kNotFound:
      return ErrorPage(call, 404, "not_found");
    case core::ServiceErrorCode::kUnavailable:
      return ErrorPage(call, 503, "temporarily_unavailable");
    default:
      return ErrorPage(call, 500, "server_error");
  }
}

std::string AccountSecurityPages::PagePath(const Call& call) const {
  return "/realms/" + call.realm.name + "/account/security";
}

// docs/design/023: a fresh authentication through the ordinary login, as the built-in client,
// returning to the fixed callback. OIDC Core §3.1.2.1 prompt=login forces the password (and the
// second factor of a user who has one); the PKCE verifier is discarded, so the code can only be
// consumed by the callback, never exchanged for tokens.
http::WebResponse AccountSecurityPages::LoginRedirect(const Call& call,
                                                      const authn::AccountSession& session) const {
  const std::string callback =
      deps_.public_url + "/realms/" + call.realm.name + "/account/callback";
  auto client = deps_.security.EnsureConsoleClient(call.ctx, call.realm, callback);
  if (!client) return ServiceErrorPage(call, client.error());
  std::vector<std::pair<std::string, std::string>> params = {
      {"client_id", authn::kAccountConsoleClientId},
      {"response_type", "code"},
      {"scope", "openid"},
      {"redirect_uri", callback},
      {"prompt", "login"},
      {"code_challenge",
       crypto::Base64UrlEncode(crypto::Sha256(crypto::Base64UrlEncode(deps_.random.Bytes(32))))},
      {"code_challenge_method", "S256"}};
  if (session.access != authn::AccountAccess::kNoSession) {
    params.push_back({"login_hint", session.user.username});
  }
  if (auto ui = call.request.Query("ui_locales")) params.push_back({"ui_locales", *ui});
  http::WebResponse response;
  response.status = 303;  // RFC 9110 §15.4.4: the browser GETs it, after a GET or a POST
  response.SetHeader(
      "Location", "/realms/" + call.realm.name + "/protocol/openid-connect/auth?" + Query(params));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

std::optional<authn::AccountSession> AccountSecurityPages::Gate(const Call& call,
                                                                http::WebResponse* response) const {
  auto session = deps_.security.Access(call.ctx, call.realm, call.session_cookie);
  if (!session) {
    *response = ServiceErrorPage(call, session.error());
    return std::nullopt;
  }
  if (session->access != authn::AccountAccess::kAllowed) {
    *response = LoginRedirect(call, *session);
    return std::nullopt;
  }
  return std::move(*session);
}

std::optional<authn::AccountSession> AccountSecurityPages::GatePost(
    const Call& call, http::WebResponse* response) const {
  std::optional<authn::AccountSession> session = Gate(call, response);
  if (!session) return std::nullopt;
  // OWASP CSRF Prevention Cheat Sheet: a token bound to the session, checked before any change.
  const std::string token = FormValue(call.request.Form(), "csrf_token");
  if (!deps_.csrf.Verify(CsrfBinding(session->session), token)) {
    *response = ErrorPage(call, 403, "csrf");
    return std::nullopt;
  }
  return session;
}

http::WebResponse AccountSecurityPages::SecurityPage(const Call& call,
                                                     const authn::AccountSession& session,
                                                     const PageState& state) const {
  auto overview = deps_.security.Overview(call.realm, session.user);
  if (!overview) return ServiceErrorPage(call, overview.error());
  const pages::MessageCatalog& msg = deps_.pages.messages();
  const std::string base = PagePath(call);
  core::Json factors = core::Json::array();
  for (const authn::FactorView& f : overview->factors) {
    // A label per credential type from the messages file; an unknown type shows its own name.
    std::string label = msg.Text(call.locale, "account.types." + f.type);
    factors.push_back({{"id", f.id},
                       {"type", f.type},
                       {"type_label", label.empty() ? f.type : label},
                       {"name", f.name},
                       {"created", FormatTime(f.created_at)},
                       {"last_used", f.last_used_at == 0 ? msg.Text(call.locale, "account.never")
                                                         : FormatTime(f.last_used_at)}});
  }
  const bool no_factor = overview->factors.empty() && !overview->email_code;
  core::Json context = {
      {"username", session.user.username},
      {"csrf_token", deps_.csrf.Issue(CsrfBinding(session.session))},
      {"rename_action", base + "/rename"},
      {"remove_action", base + "/remove"},
      {"regenerate_action", base + "/recovery-codes"},
      {"add_totp_url", overview->can_add_totp ? base + "/totp" : ""},
      {"add_passkey_action", overview->can_add_passkey ? base + "/passkey" : ""},
      {"passkey_options_url", base + "/passkey/options"},
      {"factors", factors},
      {"recovery_codes_left", std::to_string(overview->recovery_codes_left)},
      {"email_code", overview->email_code},
      {"enrol_next", overview->mfa_required && no_factor},
      {"name_invalid", state.name_invalid},
      {"done_renamed", state.done != nullptr && std::string(state.done) == "renamed"},
      {"done_removed", state.done != nullptr && std::string(state.done) == "removed"},
      {"done_added", state.done != nullptr && std::string(state.done) == "added"},
      {"done_passkey", state.done != nullptr && std::string(state.done) == "passkey"}};
  http::WebResponse response = http::WebResponse::Html(
      state.status, deps_.pages.Render(pages::Page::kAccountSecurity, call.locale, context));
  // The "add a passkey" form loads /resources/webauthn.js, which fetches the creation options.
  http::PagePolicy policy;
  if (overview->can_add_passkey) {
    policy.script_src.push_back("'self'");
    policy.connect_src.push_back("'self'");
  }
  http::ApplyPageHeaders(response, policy);
  return response;
}

// Post/Redirect/Get: a reload of the result does not repeat the change.
http::WebResponse AccountSecurityPages::BackToPage(const Call& call, const char* done) const {
  http::WebResponse response;
  response.status = 303;
  response.SetHeader("Location", PagePath(call) + "?done=" + done);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::WebResponse AccountSecurityPages::HandlePage(const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  std::optional<authn::AccountSession> session = Gate(*call, &response);
  if (!session) return response;
  PageState state;
  const std::string done = request.Query("done").value_or("");
  if (done == "renamed") state.done = "renamed";
  if (done == "removed") state.done = "removed";
  if (done == "added") state.done = "added";
  if (done == "passkey") state.done = "passkey";
  return SecurityPage(*call, *session, state);
}

http::WebResponse AccountSecurityPages::HandleCallback(const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  // The login answered with an error (RFC 6749 §4.1.2.1), e.g. unmet_authentication_requirements.
  if (request.Query("error")) return ErrorPage(*call, 400, "reauth_failed");
  auto session = deps_.security.Access(call->ctx, call->realm, call->session_cookie);
  if (!session) return ServiceErrorPage(*call, session.error());
  if (session->access != authn::AccountAccess::kNoSession) {
    auto consumed = deps_.security.ConsumeReturnCode(
        call->ctx, call->realm, request.Query("code").value_or(""), session->session.id);
    if (!consumed) return ServiceErrorPage(*call, consumed.error());
  }
  response.status = 303;
  response.SetHeader("Location", PagePath(*call));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

http::WebResponse AccountSecurityPages::HandleRename(const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  std::optional<authn::AccountSession> session = GatePost(*call, &response);
  if (!session) return response;
  const http::Params form = request.Form();
  auto renamed = deps_.security.Rename(call->ctx, call->realm, session->user,
                                       FormValue(form, "credential_id"), FormValue(form, "name"));
  if (!renamed) {
    if (renamed.error().code == core::ServiceErrorCode::kInvalidArgument) {
      return SecurityPage(*call, *session, PageState{400, nullptr, true});
    }
    return ServiceErrorPage(*call, renamed.error());
  }
  return BackToPage(*call, "renamed");
}

http::WebResponse AccountSecurityPages::HandleRemove(const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  std::optional<authn::AccountSession> session = GatePost(*call, &response);
  if (!session) return response;
  auto removed = deps_.security.Remove(call->ctx, call->realm, session->user,
                                       FormValue(request.Form(), "credential_id"));
  if (!removed) return ServiceErrorPage(*call, removed.error());
  return BackToPage(*call, "removed");
}

http::WebResponse AccountSecurityPages::HandleRegenerate(const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  std::optional<authn::AccountSession> session = GatePost(*call, &response);
  if (!session) return response;
  auto codes = deps_.security.RegenerateRecoveryCodes(call->ctx, call->realm, session->user);
  if (!codes) return ServiceErrorPage(*call, codes.error());
  // Shown once: only this response holds them (no-store); the page never shows them again.
  core::Json context = {{"codes", *codes}, {"page_url", PagePath(*call)}};
  response = http::WebResponse::Html(
      200, deps_.pages.Render(pages::Page::kAccountRecoveryCodes, call->locale, context));
  http::ApplyPageHeaders(response);
  return response;
}

// The login's TOTP enrolment page (docs/design/017), posting to the account route instead.
http::WebResponse AccountSecurityPages::TotpPage(const Call& call,
                                                 const authn::AccountSession& session,
                                                 bool failed) const {
  auto enrollment = deps_.security.StartTotpEnrollment(call.ctx, call.realm, session.user);
  if (!enrollment) {
    if (enrollment.error().code == core::ServiceErrorCode::kFailedPrecondition) {
      return ErrorPage(call, 404, "not_found");
    }
    return ServiceErrorPage(call, enrollment.error());
  }
  core::Json context = {{"form_action", PagePath(call) + "/totp"},
                        {"flow_id", ""},
                        {"csrf_token", deps_.csrf.Issue(CsrfBinding(session.session))},
                        {"login_failed", failed},
                        {"secret", enrollment->secret_base32},
                        {"qr_svg", pages::QrCodeSvg(enrollment->otpauth_uri).value_or("")},
                        {"can_skip", false}};
  http::WebResponse response = http::WebResponse::Html(
      failed ? 400 : 200, deps_.pages.Render(pages::Page::kMfaEnroll, call.locale, context));
  http::ApplyPageHeaders(response);
  return response;
}

http::WebResponse AccountSecurityPages::HandleTotpPage(const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  std::optional<authn::AccountSession> session = Gate(*call, &response);
  if (!session) return response;
  return TotpPage(*call, *session, /*failed=*/false);
}

http::WebResponse AccountSecurityPages::HandleTotpConfirm(const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  std::optional<authn::AccountSession> session = GatePost(*call, &response);
  if (!session) return response;
  auto confirmed = deps_.security.ConfirmTotpEnrollment(call->ctx, call->realm, session->user,
                                                        FormValue(request.Form(), "code"));
  if (!confirmed) return ServiceErrorPage(*call, confirmed.error());
  if (!*confirmed) return TotpPage(*call, *session, /*failed=*/true);
  return BackToPage(*call, "added");
}

// W3C WebAuthn Level 2 §5.4: the creation options for a new passkey of the signed-in user, with
// a single-use challenge bound to this SSO session (§13.4.3). The page script fetches them.
http::WebResponse AccountSecurityPages::HandlePasskeyOptions(
    const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  std::optional<authn::AccountSession> session = GatePost(*call, &response);
  if (!session) return response;
  auto options = deps_.security.BeginPasskeyRegistration(call->ctx, call->realm, session->user,
                                                         session->session.id);
  if (!options) {
    if (options.error().code == core::ServiceErrorCode::kFailedPrecondition) {
      return ErrorPage(*call, 404, "not_found");
    }
    return ServiceErrorPage(*call, options.error());
  }
  response = http::WebResponse::Json(200, *options);
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

// W3C WebAuthn Level 2 §7.1: the attestation the page script posts, verified against the
// session's challenge; the passkey is stored under the chosen name.
http::WebResponse AccountSecurityPages::HandlePasskeyAdd(const http::WebRequest& request) const {
  http::WebResponse response;
  std::optional<Call> call = MakeCall(request, &response);
  if (!call) return response;
  std::optional<authn::AccountSession> session = GatePost(*call, &response);
  if (!session) return response;
  const http::Params form = request.Form();
  auto added = deps_.security.AddPasskey(call->ctx, call->realm, session->user, session->session.id,
                                         FormValue(form, "name"), FormValue(form, "credential"));
  if (!added) {
    switch (added.error().code) {
      case core::ServiceErrorCode::kInvalidArgument:
        return SecurityPage(*call, *session, PageState{400, nullptr, true});
      case core::ServiceErrorCode::kFailedPrecondition:
        return ErrorPage(*call, 404, "not_found");
      default:
        return ServiceErrorPage(*call, added.error());
    }
  }
  if (!added->ok) {
    // Which check refused it, for operators; the user sees one generic page.
    core::log::Info("PasskeyRefused", {{"realm", call->realm.name},
                                       {"client_ip", call->ctx.client_ip},
                                       {"user_id", session->user.id},
                                       {"reason", added->failure}});
    return ErrorPage(*call, 400, "passkey_refused");
  }
  return BackToPage(*call, "passkey");
}

void RegisterAccountSecurityRoutes(http::Router& router, const AccountSecurityPages& pages) {
  const AccountSecurityPages* p = &pages;
  router.Add("GET", "/realms/{realm}/account/security",
             [p](const http::WebRequest& r) { return p->HandlePage(r); });
  router.Add("GET", "/realms/{realm}/account/callback",
             [p](const http::WebRequest& r) { return p->HandleCallback(r); });
  router.Add("POST", "/realms/{realm}/account/security/rename",
             [p](const http::WebRequest& r) { return p->HandleRename(r); });
  router.Add("POST", "/realms/{realm}/account/security/remove",
             [p](const http::WebRequest& r) { return p->HandleRemove(r); });
  router.Add("POST", "/realms/{realm}/account/security/recovery-codes",
             [p](const http::WebRequest& r) { return p->HandleRegenerate(r); });
  router.Add("GET", "/realms/{realm}/account/security/totp",
             [p](const http::WebRequest& r) { return p->HandleTotpPage(r); });
  router.Add("POST", "/realms/{realm}/account/security/totp",
             [p](const http::WebRequest& r) { return p->HandleTotpConfirm(r); });
  router.Add("POST", "/realms/{realm}/account/security/passkey/options",
             [p](const http::WebRequest& r) { return p->HandlePasskeyOptions(r); });
  router.Add("POST", "/realms/{realm}/account/security/passkey",
             [p](const http::WebRequest& r) { return p->HandlePasskeyAdd(r); });
}

}  // namespace idm::account_ui
