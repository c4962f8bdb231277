// RFC 7662 §2 token introspection and RFC 7009 §2 token revocation.
#include "idm/oauth/token_inspection.h"

#include <algorithm>

#include "idm/core/log.h"
#include "idm/crypto/secret.h"
#include "idm/oauth/grants/grant_support.h"
#include "idm/oauth/issuer.h"
#include "idm/oauth/token_endpoint.h"
#include "idm/oauth/token_request_checks.h"
#include "idm/oauth/token_response.h"

namespace idm::oauth {
namespace {

struct InspectionRequest {
  core::Realm realm;
  AuthenticatedClient client;
  std::string token;
  std::string hint;
  core::UnixMillis now = 0;
};

// The checks both endpoints share, in the token endpoint's order (RFC 6749 §3.2 conventions):
// realm, repeated parameters, client authentication, then `token` (RFC 7662 §2.1 / RFC 7009 §2.1).
Result<InspectionRequest> ReadRequest(const TokenInspectionDeps& deps,
                                      const http::WebRequest& request, bool allow_public) {
  InspectionRequest out;
  IDM_ASSIGN_OR_RETURN(out.realm, LoadEnabledRealm(deps.realms, request.PathParam("realm")));
  http::Params form = request.Form();
  IDM_TRY(CheckNoRepeatedParams(form));
  out.now = request.received_at != 0 ? request.received_at : deps.clock.NowMillis();
  IDM_ASSIGN_OR_RETURN(
      out.client, deps.authenticator.Authenticate(out.realm, request, form, out.now, allow_public));
  out.token = FormValue(form, "token");
  out.hint = FormValue(form, "token_type_hint");
  if (out.token.empty()) return InvalidRequest("token is required");
  return out;
}

// RFC 6749 §3.2-style method and content type checks; a response when they fail.
std::optional<http::WebResponse> CheckTransport(const http::WebRequest& request) {
  std::string realm = request.PathParam("realm");
  if (auto s = CheckPost(request); !s) {
    http::WebResponse r = TokenError(s.error(), realm);
    r.status = 405;  // RFC 9110 §15.5.6
    r.SetHeader("Allow", "POST");
    return r;
  }
  if (auto s = CheckFormContentType(request); !s) return TokenError(s.error(), realm);
  return std::nullopt;
}

http::WebResponse NoStoreJson(const core::Json& body) {
  http::WebResponse r = http::WebResponse::Json(200, body.dump());
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

bool SessionLive(const core::SsoSession& s, core::UnixMillis now) {
  return s.revoked_at == 0 && s.idle_expires_at > now && s.absolute_expires_at > now;
}

// Whether the SSO session `session_id` of the realm still stands; true for "" (no session).
Result<bool> SessionStands(store::Transaction& tx, const std::string& realm_id,
                           const std::string& session_id, core::UnixMillis now) {
  if (session_id.empty()) return true;
  store::Result<core::SsoSession> s = tx.sessions().Get(realm_id, session_id);
  if (!s) {
    if (s.error().code == store::ErrorCode::kNotFound) return false;
    return StoreFailure(s.error(), "session");
  }
  return SessionLive(*s, now);
}

}  // namespace

Result<std::optional<core::Json>> IntrospectionEndpoint::RefreshTokenInfo(
    const core::Realm& realm, const std::string& token, core::UnixMillis now) const {
  IDM_ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx, BeginRead(deps_.store));
  store::Result<core::RefreshToken> t = tx->refresh_tokens().GetByHash(crypto::HashSecret(token));
  if (!t) {
    if (t.error().code == store::ErrorCode::kNotFound) return std::optional<core::Json>();
    return StoreFailure(t.error(), "refresh token");
  }
  bool live = t->realm_id == realm.id && t->revoked_at == 0 && t->rotated_at == 0 &&
              t->expires_at > now && t->family_expires_at > now;
  if (!live) return std::optional<core::Json>(core::Json{{"active", false}});
  if (!t->offline) {
    IDM_ASSIGN_OR_RETURN(bool stands, SessionStands(*tx, realm.id, t->session_id, now));
    if (!stands) return std::optional<core::Json>(core::Json{{"active", false}});
  }
  store::Result<core::Client> client = tx->clients().Get(realm.id, t->client_id);
  if (!client) return StoreFailure(client.error(), "client");
  IDM_ASSIGN_OR_RETURN(std::string sub, deps_.issuer.Subject(*client, t->user_id));
  core::Json body = {{"active", true},
                     {"token_type", "refresh_token"},
                     {"client_id", client->client_id},
                     {"sub", sub},
                     {"iss", IssuerOf(deps_.public_url, realm.name)},
                     {"iat", t->created_at / 1000},
                     {"exp", std::min(t->expires_at, t->family_expires_at) / 1000}};
  if (!t->scope.empty()) body["scope"] = t->scope;
  return std::optional<core::Json>(std::move(body));
}

Result<std::optional<core::Json>> IntrospectionEndpoint::AccessTokenInfo(
    const core::Realm& realm, const std::string& token, core::UnixMillis now) const {
  auto claims = deps_.verifier.Verify(token);
  if (!claims) {
    if (claims.error().code == TokenErrorCode::kUnavailable) {
      return Error{ErrorCode::kTemporarilyUnavailable, "the service is temporarily unavailable",
                   false};
    }
    return std::optional<core::Json>();
  }
  if (claims->realm_id != realm.id) return std::optional<core::Json>();
  if (!claims->session_id.empty()) {  // a user grant: its SSO session must still stand
    IDM_ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx, BeginRead(deps_.store));
    IDM_ASSIGN_OR_RETURN(bool stands, SessionStands(*tx, realm.id, claims->session_id, now));
    if (!stands) return std::optional<core::Json>(core::Json{{"active", false}});
  }
  core::Json body = {
      {"active", true},         {"token_type", "Bearer"},   {"client_id", claims->client_id},
      {"sub", claims->subject}, {"iss", claims->issuer},    {"aud", claims->audience},
      {"jti", claims->jti},     {"iat", claims->issued_at}, {"exp", claims->expires_at}};
  if (!claims->scope.empty()) body["scope"] = claims->scope;
  if (!claims->session_id.empty()) body["sid"] = claims->session_id;
  return std::optional<core::Json>(std::move(body));
}

Result<core::Json> IntrospectionEndpoint::Introspect(const core::Realm& realm,
                                                     const std::string& token,
                                                     const std::string& hint,
                                                     core::UnixMillis now) const {
  // RFC 7662 §2.1: the hint only orders the lookups; both kinds are always tried.
  bool refresh_first = hint == "refresh_token";
  for (int i = 0; i < 2; ++i) {
    bool refresh = (i == 0) == refresh_first;
    Result<std::optional<core::Json>> info =
        refresh ? RefreshTokenInfo(realm, token, now) : AccessTokenInfo(realm, token, now);
    if (!info) return info.error();
    if (*info) return std::move(**info);
  }
  return core::Json{{"active", false}};  // RFC 7662 §2.2
}

http::WebResponse IntrospectionEndpoint::Handle(const http::WebRequest& request) const {
  if (auto r = CheckTransport(request)) return *r;
  std::string realm_name = request.PathParam("realm");
  Result<InspectionRequest> req = ReadRequest(deps_, request, /*allow_public=*/false);
  if (!req) return TokenError(req.error(), realm_name);
  Result<core::Json> body = Introspect(req->realm, req->token, req->hint, req->now);
  if (!body) return TokenError(body.error(), realm_name);
  return NoStoreJson(*body);
}

Status RevocationEndpoint::Revoke(const core::Realm& realm, const core::Client& client,
                                  const std::string& token, const core::OpContext& ctx) const {
  IDM_ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx, BeginWrite(deps_.store));
  store::Result<core::RefreshToken> t = tx->refresh_tokens().GetByHash(crypto::HashSecret(token));
  if (!t) {
    if (t.error().code != store::ErrorCode::kNotFound) {
      return StoreFailure(t.error(), "refresh token");
    }
    // Not a refresh token. RFC 7009 §2.2.1: a live access token cannot be revoked by itself.
    // The transaction is closed first: verifying may load keys, which may need the store.
    tx.reset();
    auto claims = deps_.verifier.Verify(token);
    if (claims && claims->realm_id == realm.id) {
      return Error{ErrorCode::kUnsupportedTokenType,
                   "access tokens cannot be revoked; revoke the refresh token instead", false};
    }
    return {};  // RFC 7009 §2.2: invalid tokens are not an error
  }
  if (t->realm_id != realm.id) return {};
  if (t->client_id != client.id) {
    // RFC 7009 §2.1: the token was not issued to the requesting client; it is not revoked.
    core::log::Warn("oauth: revocation of another client's token refused",
                    {{"client_id", client.client_id}});
    return {};
  }
  store::Result<int64_t> n = tx->refresh_tokens().RevokeFamily(t->family_id, ctx.now);
  if (!n) return StoreFailure(n.error(), "revoke token family");
  if (*n == 0) return {};  // already revoked: nothing changed, nothing to record
  IDM_TRY(AppendTokenEvent(*tx, deps_.issuer.random(), ctx, realm.id, "RefreshTokenRevoked",
                           "token_family", t->family_id,
                           {{"client_id", client.client_id},
                            {"user_id", t->user_id},
                            {"session_id", t->session_id},
                            {"revoked_refresh_tokens", *n}}));
  return CommitOrFail(*tx);
}

http::WebResponse RevocationEndpoint::Handle(const http::WebRequest& request) const {
  if (auto r = CheckTransport(request)) return *r;
  std::string realm_name = request.PathParam("realm");
  Result<InspectionRequest> req = ReadRequest(deps_, request, /*allow_public=*/true);
  if (!req) return TokenError(req.error(), realm_name);
  core::OpContext ctx{"client:" + req->client.client.client_id, request.remote_addr,
                      request.request_id, req->now};
  if (auto s = Revoke(req->realm, req->client.client, req->token, ctx); !s) {
    return TokenError(s.error(), realm_name);
  }
  http::WebResponse r = http::WebResponse::Text(200, "");  // RFC 7009 §2.2
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace idm::oauth
