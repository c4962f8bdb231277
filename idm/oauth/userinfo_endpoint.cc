// OpenID Connect Core 1.0 §5.3 UserInfo endpoint; errors per RFC 6750 §3.
#include "idm/oauth/userinfo_endpoint.h"

#include "idm/core/log.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/oauth/bearer_token.h"
#include "idm/oauth/claims.h"
#include "idm/oauth/scope.h"
#include "idm/oauth/user_claims.h"

namespace idm::oauth {
namespace {

// What the endpoint reads about a token, in one read transaction.
struct Subject {
  core::Client client;
  core::User user;
  ClaimSources sources;
};

// Why a request is refused: an RFC 6750 error, or the store/keys being unreachable (503).
struct Refusal {
  bool unavailable = false;
  BearerError error;
};

Refusal InvalidToken(std::string description) {
  return {false, {BearerErrorCode::kInvalidToken, std::move(description), ""}};
}

const Refusal kUnavailable{true, {}};

http::WebResponse Unavailable() {
  http::WebResponse r = http::WebResponse::Json(
      503, R"({"error":"temporarily_unavailable","error_description":"try again later"})");
  r.SetHeader("Retry-After", "1");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

// Step 2: a valid access token of this realm.
core::Result<AccessTokenClaims, Refusal> VerifyForRealm(const AccessTokenVerifier& verifier,
                                                        const std::string& token,
                                                        const std::string& realm) {
  core::Result<AccessTokenClaims, AccessTokenError> claims = verifier.Verify(token);
  if (!claims) {
    if (claims.error().code == TokenErrorCode::kUnavailable) return core::Err(kUnavailable);
    return core::Err(InvalidToken(claims.error().message));
  }
  if (claims->realm != realm) return core::Err(InvalidToken("token is for another realm"));
  return std::move(*claims);
}

// Step 4: the token's client and user, both still enabled, and what their mappers read.
core::Result<Subject, Refusal> LoadSubject(store::Store& store, const AccessTokenClaims& at,
                                           const std::vector<std::string>& scopes) {
  auto tx = store.Begin(store::TxMode::kReadOnly);
  if (!tx) return core::Err(kUnavailable);
  Subject s;
  auto client = (*tx)->clients().GetByClientId(at.realm_id, at.client_id);
  if (!client) {
    if (client.error().code != store::ErrorCode::kNotFound) return core::Err(kUnavailable);
    return core::Err(InvalidToken("the token's client no longer exists"));
  }
  if (!client->enabled) return core::Err(InvalidToken("the token's client is disabled"));
  s.client = std::move(*client);
  auto user = (*tx)->users().Get(at.realm_id, at.subject);
  if (!user) {
    if (user.error().code != store::ErrorCode::kNotFound) return core::Err(kUnavailable);
    return core::Err(InvalidToken("the token's user no longer exists"));
  }
  if (!user->enabled) return core::Err(InvalidToken("the token's user is disabled"));
  s.user = std::move(*user);
  if (NeedsRolesOrGroups(s.client, scopes)) {
    auto sources = LoadClaimSources(**tx, at.realm_id, s.user);
    if (!sources) return core::Err(kUnavailable);
    s.sources = std::move(*sources);
  }
  return s;
}

http::WebResponse Refuse(const Refusal& r, const std::string& realm) {
  return r.unavailable ? Unavailable() : BearerErrorResponse(r.error, realm);
}

}  // namespace

UserinfoEndpoint::UserinfoEndpoint(const std::string& public_url, store::Store& store,
                                   KeyService& keys, const core::Clock& clock,
                                   std::string pairwise_secret)
    : store_(store),
      verifier_(std::make_unique<AccessTokenVerifier>(VerifierOptions{public_url, ""}, store, keys,
                                                      clock)),
      pairwise_secret_(std::move(pairwise_secret)) {}

UserinfoEndpoint::~UserinfoEndpoint() = default;

http::WebResponse UserinfoEndpoint::Handle(const http::WebRequest& request) const {
  std::string realm = request.PathParam("realm");
  // Step 1: OIDC Core §5.3.1 — the token is sent per RFC 6750 §2.1 or §2.2.
  auto token = ReadBearerToken(request, /*allow_form_body=*/true);
  if (!token) return BearerErrorResponse(token.error(), realm);
  if (!*token) return BearerErrorResponse({BearerErrorCode::kNone, "", ""}, realm);
  auto at = VerifyForRealm(*verifier_, **token, realm);
  if (!at) return Refuse(at.error(), realm);
  // Step 3: only tokens granted for OpenID Connect (scope openid) may read UserInfo.
  auto scopes = ParseScope(at->scope);
  std::vector<std::string> granted = scopes ? *scopes : std::vector<std::string>{};
  if (!at->HasScope("openid")) {
    return BearerErrorResponse({BearerErrorCode::kInsufficientScope,
                                "the access token was not granted the openid scope", "openid"},
                               realm);
  }
  auto subject = LoadSubject(store_, *at, granted);
  if (!subject) return Refuse(subject.error(), realm);
  core::Json claims =
      UserClaims(subject->client, subject->user, granted, subject->sources, ClaimTarget::kUserinfo);
  // OIDC Core §5.3.2: sub is always returned, as the client sees it (§8: public or pairwise).
  auto sub = SubjectFor(subject->client, subject->user.id, pairwise_secret_);
  if (!sub) {
    core::log::Error("userinfo: client " + subject->client.client_id +
                     " has no usable pairwise sector: " + sub.error());
    return http::WebResponse::Json(500, R"({"error":"server_error"})");
  }
  claims["sub"] = *sub;
  http::WebResponse r = http::WebResponse::Json(200, claims.dump());
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("Pragma", "no-cache");
  return r;
}

}  // namespace idm::oauth
