// OpenID Connect Core 1.0 §5.3 UserInfo endpoint; errors per RFC 6750 §3.
#include "idm/oauth/userinfo_endpoint.h"

#include "idm/core/log.h"
#include "idm/oauth/access_token_verifier.h"
#include "idm/oauth/bearer_token.h"
#include "idm/oauth/claims.h"
#include "idm/oauth/scope.h"
#include "idm/oauth/user_claims.h"
#include "idm/realm/directory_cache.h"

namespace idm::oauth {
// Not in the anonymous namespace: UserinfoSubjects (declared in the header) holds them.
namespace userinfo_detail {

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

// Step 4 as read once: the subject, or why the token is refused. Kept by UserinfoSubjects.
struct Outcome {
  std::optional<Subject> subject;
  Refusal refusal;
};
using SharedOutcome = std::shared_ptr<const Outcome>;

}  // namespace userinfo_detail

namespace {

using userinfo_detail::Outcome;
using userinfo_detail::Refusal;
using userinfo_detail::SharedOutcome;
using userinfo_detail::Subject;

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

SharedOutcome Refused(std::string description) {
  return std::make_shared<const Outcome>(
      Outcome{std::nullopt, InvalidToken(std::move(description))});
}

// Step 4: the token's client and user, both still enabled, and what their mappers read. The store
// being unreachable is an error (never cached); a refusal is an outcome.
core::ServiceResult<SharedOutcome> LoadSubject(store::Store& store, const AccessTokenClaims& at,
                                               const std::vector<std::string>& scopes) {
  const core::ServiceError unavailable{core::ServiceErrorCode::kUnavailable, "database", {}};
  auto tx = store.Begin(store::TxMode::kReadOnly);
  if (!tx) return unavailable;
  Subject s;
  auto client = (*tx)->clients().GetByClientId(at.realm_id, at.client_id);
  if (!client) {
    if (client.error().code != store::ErrorCode::kNotFound) return unavailable;
    return Refused("the token's client no longer exists");
  }
  if (!client->enabled) return Refused("the token's client is disabled");
  s.client = std::move(*client);
  auto user = (*tx)->users().Get(at.realm_id, at.subject);
  if (!user) {
    if (user.error().code != store::ErrorCode::kNotFound) return unavailable;
    return Refused("the token's user no longer exists");
  }
  if (!user->enabled) return Refused("the token's user is disabled");
  s.user = std::move(*user);
  if (NeedsRolesOrGroups(s.client, scopes)) {
    auto sources = LoadClaimSources(**tx, at.realm_id, s.user);
    if (!sources) return unavailable;
    s.sources = std::move(*sources);
  }
  return std::make_shared<const Outcome>(Outcome{std::move(s), {}});
}

http::WebResponse Refuse(const Refusal& r, const std::string& realm) {
  return r.unavailable ? Unavailable() : BearerErrorResponse(r.error, realm);
}

}  // namespace

// Step 4's outcomes by realm, client, subject and scope (what LoadSubject reads depends on them).
struct UserinfoSubjects {
  explicit UserinfoSubjects(const store::Store& store)
      : cache(store, realm::kDirectoryCacheMaxAge, 1024) {}
  realm::DirectoryCache<userinfo_detail::SharedOutcome> cache;
};

UserinfoEndpoint::UserinfoEndpoint(const std::string& public_url, store::Store& store,
                                   KeyService& keys, const core::Clock& clock,
                                   std::string pairwise_secret)
    : store_(store),
      verifier_(std::make_unique<AccessTokenVerifier>(VerifierOptions{public_url, ""}, store, keys,
                                                      clock)),
      subjects_(std::make_unique<UserinfoSubjects>(store)),
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
  std::string key = at->realm_id + '\n' + at->client_id + '\n' + at->subject + '\n' + at->scope;
  core::ServiceResult<SharedOutcome> outcome =
      subjects_->cache.Get(key, [&] { return LoadSubject(store_, *at, granted); });
  if (!outcome) return Refuse(kUnavailable, realm);
  if (!(*outcome)->subject) return Refuse((*outcome)->refusal, realm);
  const Subject* subject = &*(*outcome)->subject;
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
