// OpenID Connect RP-Initiated Logout 1.0 §2-3, Front-Channel Logout 1.0 §3, Back-Channel Logout
// 1.0 §2.5 (docs/design/016-logout.md).
#include "idm/oauth/end_session_endpoint.h"

#include <algorithm>

#include "idm/core/log.h"
#include "idm/http/cookies.h"
#include "idm/http/page_headers.h"
#include "idm/oauth/authorization_response.h"
#include "idm/oauth/claims.h"
#include "idm/oauth/id_token.h"
#include "idm/oauth/id_token_hint.h"
#include "idm/oauth/issuer.h"
#include "idm/oauth/token_endpoint.h"
#include "idm/oauth/token_request_checks.h"
#include "idm/pages/form_post.h"

namespace idm::oauth {
namespace {

constexpr char kConfirmBindingPrefix[] = "logout:";

}  // namespace

struct EndSessionEndpoint::Call {
  // A constructor rather than aggregate initialisation: GCC 12 at -O3 reports the defaulted realm
  // of an aggregate-initialised Call as maybe-uninitialized (a false positive).
  Call(const http::WebRequest& r, core::OpContext c, std::string cookie)
      : request(r), ctx(std::move(c)), session_cookie(std::move(cookie)) {}

  const http::WebRequest& request;
  core::Realm realm;
  std::string issuer;
  core::OpContext ctx;
  std::string session_cookie;
};

struct EndSessionEndpoint::Target {
  std::optional<core::Client> client;    // the client the request is about, when it names one
  std::string post_logout_redirect_uri;  // validated; "" = none
  std::string state;
  std::string ui_locales;
};

EndSessionEndpoint::EndSessionEndpoint(EndSessionDeps deps)
    : deps_(std::move(deps)), secure_(deps_.public_url.rfind("https://", 0) == 0) {}

std::string EndSessionEndpoint::Locale(const Call& call) const {
  std::string requested = call.request.Query("ui_locales").value_or("");
  if (requested.empty() && call.request.method == "POST") {
    requested = FormValue(call.request.Form(), "ui_locales");
  }
  std::string accept = call.request.Header("Accept-Language").value_or("");
  return deps_.pages.ChooseLocale(pages::LocaleInputs{requested, accept, ""});
}

http::WebResponse EndSessionEndpoint::ErrorPage(const Call& call, int status,
                                                const std::string& key) const {
  const std::string locale = Locale(call);
  const pages::MessageCatalog& msg = deps_.pages.messages();
  core::Json context = {{"error_title", msg.Text(locale, "errors." + key + ".title")},
                        {"error_description", msg.Text(locale, "errors." + key + ".description")},
                        {"error_detail", ""},
                        {"request_id", call.request.request_id}};
  http::WebResponse response =
      http::WebResponse::Html(status, deps_.pages.Render(pages::Page::kError, locale, context));
  http::ApplyPageHeaders(response);
  return response;
}

std::optional<EndSessionEndpoint::Call> EndSessionEndpoint::MakeCall(
    const http::WebRequest& request, http::WebResponse* error) const {
  const core::UnixMillis now =
      request.received_at != 0 ? request.received_at : deps_.clock.NowMillis();
  Call call(request, core::OpContext{"anonymous", request.remote_addr, request.request_id, now},
            request.Cookie(http::HostPrefixedName(http::kSessionCookieName, secure_)).value_or(""));
  Result<core::Realm> realm = LoadEnabledRealm(deps_.realms, request.PathParam("realm"));
  if (!realm) {
    *error = realm.error().code == ErrorCode::kNotFound
                 ? ErrorPage(call, 404, "not_found")
                 : ErrorPage(call, 503, "temporarily_unavailable");
    return std::nullopt;
  }
  call.realm = std::move(*realm);
  call.issuer = IssuerOf(deps_.public_url, call.realm.name);
  return call;
}

std::optional<EndSessionEndpoint::Target> EndSessionEndpoint::ResolveTarget(
    const Call& call, const http::Params& params, std::optional<std::string>* hint_sid,
    std::optional<std::string>* hint_sub, http::WebResponse* error) const {
  if (!CheckNoRepeatedParams(params)) {  // RP-Initiated Logout §2: OAuth parameter rules
    *error = ErrorPage(call, 400, "invalid_request");
    return std::nullopt;
  }
  Target target;
  target.state = FormValue(params, "state");
  target.ui_locales = FormValue(params, "ui_locales");
  std::string client_id = FormValue(params, "client_id");
  const std::string hint = FormValue(params, "id_token_hint");
  if (!hint.empty()) {
    auto keys = deps_.keys.Keys(call.realm);
    if (!keys) {
      *error = ErrorPage(call, 503, "temporarily_unavailable");
      return std::nullopt;
    }
    AuthzResult<IdTokenHintClaims> claims =
        VerifyIdTokenHint(hint, (*keys)->published, call.issuer);
    if (!claims) {
      *error = ErrorPage(call, 400, "invalid_request");
      return std::nullopt;
    }
    // §2: with both, client_id must be an audience of the hint.
    if (!client_id.empty() && std::find(claims->audiences.begin(), claims->audiences.end(),
                                        client_id) == claims->audiences.end()) {
      *error = ErrorPage(call, 400, "invalid_request");
      return std::nullopt;
    }
    if (client_id.empty() && claims->audiences.size() == 1) client_id = claims->audiences[0];
    *hint_sub = claims->sub;
    if (!claims->sid.empty()) *hint_sid = claims->sid;
  }
  if (!client_id.empty()) {
    auto client = deps_.clients.GetByClientId(call.realm.name, client_id);
    if (!client) {
      bool missing = client.error().code == core::ServiceErrorCode::kNotFound ||
                     client.error().code == core::ServiceErrorCode::kInvalidArgument;
      *error = missing ? ErrorPage(call, 400, "invalid_client")
                       : ErrorPage(call, 503, "temporarily_unavailable");
      return std::nullopt;
    }
    target.client = std::move(*client);
  }
  const std::string redirect = FormValue(params, "post_logout_redirect_uri");
  if (!redirect.empty()) {
    // §3: only a URI registered for the client, compared exactly; without a client there is
    // nothing to compare with, so nothing is redirected.
    const bool registered =
        target.client && std::find(target.client->post_logout_redirect_uris.begin(),
                                   target.client->post_logout_redirect_uris.end(),
                                   redirect) != target.client->post_logout_redirect_uris.end();
    if (!registered) {
      *error = ErrorPage(call, 400, "invalid_redirect_uri");
      return std::nullopt;
    }
    target.post_logout_redirect_uri = redirect;
  }
  return target;
}

http::WebResponse EndSessionEndpoint::HandleLogout(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<Call> call = MakeCall(request, &error);
  if (!call) return error;
  const http::Params params = request.method == "POST" ? request.Form() : request.query;
  std::optional<std::string> hint_sid, hint_sub;
  std::optional<Target> target = ResolveTarget(*call, params, &hint_sid, &hint_sub, &error);
  if (!target) return error;
  auto session = deps_.logout.Current(call->realm, call->session_cookie, call->ctx.now);
  if (!session) return ErrorPage(*call, 503, "temporarily_unavailable");
  if (!*session) return Finish(*call, *target, {});  // already signed out
  const core::SsoSession& s = **session;
  // The hint proves the RP knows this very session (sid), or at least this user (sub as the
  // client sees it) when the hint carries no sid.
  bool genuine = false;
  if (hint_sid) {
    genuine = *hint_sid == s.id;
  } else if (hint_sub && target->client) {
    auto sub = SubjectFor(*target->client, s.user_id, deps_.pairwise_secret);
    genuine = sub && *sub == *hint_sub;
  }
  if (genuine) return EndAndFinish(*call, s, *target);
  return ConfirmPage(*call, s, *target);
}

http::WebResponse EndSessionEndpoint::HandleConfirm(const http::WebRequest& request) const {
  http::WebResponse error;
  std::optional<Call> call = MakeCall(request, &error);
  if (!call) return error;
  const http::Params form = request.Form();
  std::optional<std::string> ignored_sid, ignored_sub;
  http::Params params;
  for (const char* name : {"client_id", "post_logout_redirect_uri", "state", "ui_locales"}) {
    auto it = form.find(name);
    if (it != form.end()) params.emplace(it->first, it->second);
  }
  std::optional<Target> target = ResolveTarget(*call, params, &ignored_sid, &ignored_sub, &error);
  if (!target) return error;
  auto session = deps_.logout.Current(call->realm, call->session_cookie, call->ctx.now);
  if (!session) return ErrorPage(*call, 503, "temporarily_unavailable");
  if (!*session) return Finish(*call, *target, {});
  if (!deps_.csrf.Verify(kConfirmBindingPrefix + (*session)->id, FormValue(form, "csrf_token"))) {
    return ErrorPage(*call, 403, "csrf");
  }
  if (FormValue(form, "decision") != "logout") return ErrorPage(*call, 200, "logout_cancelled");
  return EndAndFinish(*call, **session, *target);
}

http::WebResponse EndSessionEndpoint::ConfirmPage(const Call& call, const core::SsoSession& session,
                                                  const Target& target) const {
  const std::string locale = Locale(call);
  core::Json hidden = core::Json::array();
  auto add = [&hidden](const char* name, const std::string& value) {
    if (!value.empty()) hidden.push_back({{"name", name}, {"value", value}});
  };
  add("client_id", target.client ? target.client->client_id : "");
  add("post_logout_redirect_uri", target.post_logout_redirect_uri);
  add("state", target.state);
  add("ui_locales", target.ui_locales);
  core::Json context = {
      {"client_name", target.client ? (target.client->name.empty() ? target.client->client_id
                                                                   : target.client->name)
                                    : ""},
      {"form_action", "/realms/" + call.realm.name + "/protocol/openid-connect/logout/confirm"},
      {"csrf_token", deps_.csrf.Issue(kConfirmBindingPrefix + session.id)},
      {"hidden", hidden}};
  http::WebResponse response =
      http::WebResponse::Html(200, deps_.pages.Render(pages::Page::kLogout, locale, context));
  http::PagePolicy policy;
  // CSP form-action also governs the redirect that follows the form (CSP3 §6.3.1).
  if (std::string origin = pages::CspSourceForUrl(target.post_logout_redirect_uri);
      !origin.empty()) {
    policy.form_action.push_back(origin);
  }
  http::ApplyPageHeaders(response, policy);
  return response;
}

http::WebResponse EndSessionEndpoint::EndAndFinish(const Call& call,
                                                   const core::SsoSession& session,
                                                   const Target& target) const {
  auto ended = deps_.logout.End(call.ctx, call.realm, session.id,
                                target.client ? target.client->client_id : "");
  if (!ended) {
    // Ended meanwhile by another request: the outcome the user wanted.
    if (ended.error().code == core::ServiceErrorCode::kNotFound) return Finish(call, target, {});
    return ErrorPage(call, 503, "temporarily_unavailable");
  }
  deps_.notices.NotifyBackchannel(call.realm, call.issuer, *ended, call.ctx.now);
  std::vector<std::string> frontchannel;
  for (const core::Client& client : ended->clients) {
    if (client.frontchannel_logout_uri.empty()) continue;
    // Front-Channel Logout §3: iss and sid let the RP find the session to end.
    frontchannel.push_back(AppendQuery(client.frontchannel_logout_uri,
                                       {{"iss", call.issuer}, {"sid", ended->session.id}}));
  }
  return Finish(call, target, frontchannel);
}

http::WebResponse EndSessionEndpoint::Finish(const Call& call, const Target& target,
                                             const std::vector<std::string>& frontchannel) const {
  std::string continue_url;
  if (!target.post_logout_redirect_uri.empty()) {
    ResponseFields fields;
    if (!target.state.empty()) fields.emplace_back("state", target.state);  // §3
    continue_url = AppendQuery(target.post_logout_redirect_uri, fields);
  }
  http::WebResponse response;
  if (frontchannel.empty() && !continue_url.empty()) {
    response.status = 302;
    response.SetHeader("Location", continue_url);
    response.SetHeader("Cache-Control", "no-store");
  } else {
    core::Json frames = core::Json::array();
    http::PagePolicy policy;
    for (const std::string& uri : frontchannel) {
      frames.push_back({{"uri", uri}});
      if (std::string origin = pages::CspSourceForUrl(uri); !origin.empty())
        policy.frame_src.push_back(origin);
    }
    core::Json context = {{"continue_url", continue_url}, {"frontchannel", frames}};
    response = http::WebResponse::Html(
        200, deps_.pages.Render(pages::Page::kLoggedOut, Locale(call), context));
    http::ApplyPageHeaders(response, policy);
  }
  (void)response.AddCookie(http::ExpiredSessionCookie(secure_));
  return response;
}

void RegisterEndSessionRoutes(http::Router& router, const EndSessionEndpoint& endpoint) {
  auto logout = [&endpoint](const http::WebRequest& r) { return endpoint.HandleLogout(r); };
  router.Add("GET", "/realms/{realm}/protocol/openid-connect/logout", logout);
  router.Add("POST", "/realms/{realm}/protocol/openid-connect/logout", logout);
  router.Add("POST", "/realms/{realm}/protocol/openid-connect/logout/confirm",
             [&endpoint](const http::WebRequest& r) { return endpoint.HandleConfirm(r); });
}

}  // namespace idm::oauth
