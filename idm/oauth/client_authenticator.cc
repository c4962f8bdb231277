// RFC 6749 §2.3 client authentication; RFC 7523 §2.2 and §3 / OIDC Core §9 private_key_jwt.
#include "idm/oauth/client_authenticator.h"

#include "idm/core/log.h"
#include "idm/crypto/jwt.h"
#include "idm/http/client.h"
#include "idm/oauth/issuer.h"
#include "idm/oauth/service_error_mapping.h"
#include "idm/oauth/token_request_checks.h"
#include "idm/realm/service_support.h"

namespace idm::oauth {
namespace {

constexpr int64_t kAssertionLeewayS = 30;

Error InvalidClient(bool basic) {
  return Error{ErrorCode::kInvalidClient, "client authentication failed", basic};
}

// A client lookup failure: the client's absence is an authentication failure like a wrong secret.
Error LookupFailure(const core::ServiceError& e, bool basic) {
  switch (e.code) {
    case core::ServiceErrorCode::kUnauthenticated:
    case core::ServiceErrorCode::kPermissionDenied:
    case core::ServiceErrorCode::kNotFound:
    case core::ServiceErrorCode::kInvalidArgument:
      return InvalidClient(basic);
    default:
      return FromServiceError(e, "client authentication");
  }
}

std::string AssertionClaim(const core::Json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// RFC 7523 §3 item 3: aud identifies the authorization server — here its token endpoint URL or
// its issuer identifier (OIDC Core §9 names the token endpoint; RFC 7523 allows the issuer).
bool AudienceAccepted(const core::Json& claims, const std::string& issuer) {
  std::string token_endpoint = TokenEndpointOf(issuer);
  auto accepted = [&](const core::Json& v) {
    return v.is_string() &&
           (v.get<std::string>() == issuer || v.get<std::string>() == token_endpoint);
  };
  auto it = claims.find("aud");
  if (it == claims.end()) return false;
  if (it->is_array()) {
    for (const core::Json& v : *it) {
      if (accepted(v)) return true;
    }
    return false;
  }
  return accepted(*it);
}

// A JWK Set document's text as keys; nullopt when it is not one.
std::optional<crypto::JwkSet> ParseJwks(const std::string& text) {
  core::Json j = core::Json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  crypto::Result<crypto::JwkSet> set = crypto::JwkSet::FromJson(j);
  if (!set) return std::nullopt;
  return std::move(*set);
}

}  // namespace

std::optional<crypto::JwkSet> ClientAuthenticator::FetchJwks(const std::string& uri,
                                                             core::UnixMillis now) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = jwks_cache_.find(uri);
    if (it != jwks_cache_.end() && now - it->second.fetched_at < kJwksCacheMs) {
      return it->second.keys;
    }
  }
  size_t scheme = uri.find("://");
  if (scheme == std::string::npos) return std::nullopt;
  size_t slash = uri.find('/', scheme + 3);
  std::string origin = slash == std::string::npos ? uri : uri.substr(0, slash);
  std::string target = slash == std::string::npos ? "/" : uri.substr(slash);
  http::ClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(2'000);
  options.read_timeout = std::chrono::milliseconds(3'000);
  options.keep_alive = false;
  http::Client client(origin, options);
  auto response = client.Get(target, {{"Accept", "application/json"}});
  if (!response || response->status != 200 || response->body.size() > kMaxJwksBytes) {
    core::log::Warn("oauth: jwks_uri fetch failed", {{"jwks_uri", uri}});
    return std::nullopt;
  }
  std::optional<crypto::JwkSet> keys = ParseJwks(response->body);
  if (!keys) {
    core::log::Warn("oauth: jwks_uri is not a JWK Set", {{"jwks_uri", uri}});
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mu_);
  jwks_cache_[uri] = CachedJwks{*keys, now};
  return keys;
}

crypto::JwkSet ClientAuthenticator::ClientKeys(const core::Client& client,
                                               core::UnixMillis now) const {
  if (!client.jwks.empty()) return ParseJwks(client.jwks).value_or(crypto::JwkSet{});
  if (!client.jwks_uri.empty()) return FetchJwks(client.jwks_uri, now).value_or(crypto::JwkSet{});
  return {};
}

Result<core::Client> ClientAuthenticator::WithSecret(const core::Realm& realm,
                                                     const ClientCredentials& creds) const {
  bool basic = creds.method == ClientAuthMethod::kClientSecretBasic;
  core::ServiceResult<core::Client> client =
      clients_.Authenticate(realm.name, creds.client_id, creds.client_secret);
  if (!client) return LookupFailure(client.error(), basic);
  return std::move(*client);
}

Result<core::Client> ClientAuthenticator::WithoutSecret(const core::Realm& realm,
                                                        const ClientCredentials& creds) const {
  core::ServiceResult<core::Client> client = clients_.GetByClientId(realm.name, creds.client_id);
  if (!client) return LookupFailure(client.error(), false);
  if (!client->enabled) return InvalidClient(false);
  return std::move(*client);
}

Status ClientAuthenticator::RememberJti(const core::Client& client, const std::string& jti,
                                        int64_t exp_s, core::UnixMillis now) const {
  core::ServiceResult<std::unique_ptr<store::Transaction>> tx =
      realm::BeginTx(store_, store::TxMode::kReadWrite);
  if (!tx) return FromServiceError(tx.error(), "assertion jti");
  core::UsedJti used{client.realm_id, client.id, jti, exp_s * 1000};
  store::Result<bool> fresh = (*tx)->jtis().InsertIfAbsent(used, now);
  if (!fresh) return FromServiceError(realm::FromStoreError(fresh.error(), "jti"), "assertion jti");
  if (!*fresh) {
    core::log::Warn("oauth: client assertion replayed", {{"client_id", client.client_id}});
    return InvalidClient(false);  // RFC 7523 §3 item 7: a jti seen before is a replay
  }
  if (auto c = realm::CommitTx(**tx); !c) return FromServiceError(c.error(), "assertion jti");
  return {};
}

Result<core::Client> ClientAuthenticator::WithAssertion(const core::Realm& realm,
                                                        const ClientCredentials& creds,
                                                        core::UnixMillis now) const {
  crypto::Result<crypto::Jwt> unverified = crypto::JwtDecodeUnverified(creds.client_assertion);
  if (!unverified) return InvalidClient(false);
  // RFC 7523 §3 items 1-2: iss and sub are both the client_id (OIDC Core §9).
  std::string iss = AssertionClaim(unverified->claims, "iss");
  std::string sub = AssertionClaim(unverified->claims, "sub");
  if (iss.empty() || iss != sub) return InvalidClient(false);
  if (!creds.client_id.empty() && creds.client_id != sub) return InvalidClient(false);
  IDM_ASSIGN_OR_RETURN(core::Client client,
                       WithoutSecret(realm, ClientCredentials{creds.method, sub}));
  if (client.token_endpoint_auth_method != "private_key_jwt") return InvalidClient(false);
  crypto::JwkSet keys = ClientKeys(client, now);
  if (keys.empty()) {
    core::log::Warn("oauth: private_key_jwt client has no usable jwks",
                    {{"client_id", client.client_id}});
    return InvalidClient(false);
  }
  crypto::JwtValidation v;
  // Asymmetric algorithms only: "none" and HS* are not JwsAlg values and fail as unsupported.
  v.allowed_algs = {crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256, crypto::JwsAlg::kPs256,
                    crypto::JwsAlg::kEdDsa};
  v.now = now / 1000;
  v.leeway_seconds = kAssertionLeewayS;
  v.require_exp = true;  // RFC 7523 §3 item 4
  crypto::Result<crypto::Jwt> jwt = crypto::JwtVerify(creds.client_assertion, keys, v);
  if (!jwt) return InvalidClient(false);
  if (!AudienceAccepted(jwt->claims, IssuerOf(public_url_, realm.name)))
    return InvalidClient(false);
  const core::Json& exp = jwt->claims["exp"];
  if (!exp.is_number_integer() || exp.get<int64_t>() > v.now + kMaxAssertionLifetimeS) {
    return InvalidClient(false);
  }
  std::string jti = AssertionClaim(jwt->claims, "jti");
  if (jti.empty()) return InvalidClient(false);  // OIDC Core §9: jti is required
  IDM_TRY(RememberJti(client, jti, exp.get<int64_t>(), now));
  return client;
}

Result<AuthenticatedClient> ClientAuthenticator::Authenticate(const core::Realm& realm,
                                                              const http::WebRequest& request,
                                                              const http::Params& form,
                                                              core::UnixMillis now,
                                                              bool allow_public) const {
  IDM_ASSIGN_OR_RETURN(ClientCredentials creds, ExtractClientCredentials(request, form));
  bool basic = creds.method == ClientAuthMethod::kClientSecretBasic;
  AuthenticatedClient out;
  out.method = creds.method;
  switch (creds.method) {
    case ClientAuthMethod::kClientSecretBasic:
    case ClientAuthMethod::kClientSecretPost: {
      IDM_ASSIGN_OR_RETURN(out.client, WithSecret(realm, creds));
      break;
    }
    case ClientAuthMethod::kPrivateKeyJwt: {
      IDM_ASSIGN_OR_RETURN(out.client, WithAssertion(realm, creds, now));
      break;
    }
    case ClientAuthMethod::kNone: {
      if (!allow_public) return InvalidClient(basic);
      IDM_ASSIGN_OR_RETURN(out.client, WithoutSecret(realm, creds));
      break;
    }
  }
  IDM_TRY(CheckAuthMethodAllowed(creds, out.client));
  return out;
}

}  // namespace idm::oauth
