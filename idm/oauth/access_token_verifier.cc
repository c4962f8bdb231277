// RFC 9068 §4 validation of JWT access tokens.
#include "idm/oauth/access_token_verifier.h"

#include <mutex>
#include <optional>
#include <unordered_map>

#include "idm/crypto/hash.h"
#include "idm/crypto/jwt.h"
#include "idm/oauth/issuer.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/realm/directory_cache.h"

namespace idm::oauth {
namespace {

AccessTokenError Fail(TokenErrorCode code, std::string message) {
  return {code, std::move(message)};
}

AccessTokenError VerifierCryptoError(const crypto::Error& e) {
  switch (e.code) {
    case crypto::ErrorCode::kExpired:
    case crypto::ErrorCode::kNotYetValid:
    case crypto::ErrorCode::kIssuedInFuture:
      return Fail(TokenErrorCode::kExpired, "token is expired or not yet valid");
    case crypto::ErrorCode::kWrongType:
      return Fail(TokenErrorCode::kWrongType, "token is not an access token (typ at+jwt)");
    case crypto::ErrorCode::kWrongIssuer:
      return Fail(TokenErrorCode::kWrongIssuer, "token issuer is not accepted");
    case crypto::ErrorCode::kWrongAudience:
      return Fail(TokenErrorCode::kWrongAudience, "token audience is not accepted");
    case crypto::ErrorCode::kBadSignature:
      return Fail(TokenErrorCode::kBadSignature, "token signature is invalid");
    case crypto::ErrorCode::kKeyNotFound:
    case crypto::ErrorCode::kKeyMismatch:
    case crypto::ErrorCode::kAlgorithmNotAllowed:
    case crypto::ErrorCode::kUnsupportedAlgorithm:
      return Fail(TokenErrorCode::kUnknownKey, "token is not signed by a key of its realm");
    default:
      return Fail(TokenErrorCode::kMalformed, std::string("token is malformed: ") + e.message);
  }
}

// Reads a string claim; "" when absent or not a string.
std::string StringClaim(const core::Json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> StringArray(const core::Json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const core::Json& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

core::Result<AccessTokenClaims, AccessTokenError> ToClaims(const core::Json& c) {
  AccessTokenClaims out;
  out.issuer = StringClaim(c, "iss");
  out.subject = StringClaim(c, "sub");
  out.client_id = StringClaim(c, "client_id");
  out.jti = StringClaim(c, "jti");
  out.scope = StringClaim(c, "scope");
  out.session_id = StringClaim(c, "sid");
  if (out.subject.empty() || out.client_id.empty() || out.jti.empty() || !c.contains("iat") ||
      !c["iat"].is_number_integer() || !c["exp"].is_number_integer()) {
    return Fail(TokenErrorCode::kMalformed, "token lacks a claim RFC 9068 section 2.2 requires");
  }
  out.issued_at = c["iat"].get<int64_t>();
  out.expires_at = c["exp"].get<int64_t>();
  const core::Json& aud = c["aud"];
  out.audience =
      aud.is_string() ? std::vector<std::string>{aud.get<std::string>()} : StringArray(aud);
  if (auto ra = c.find("realm_access"); ra != c.end() && ra->is_object() && ra->contains("roles")) {
    out.realm_roles = StringArray((*ra)["roles"]);
  }
  if (auto res = c.find("resource_access"); res != c.end() && res->is_object()) {
    for (const auto& [client, entry] : res->items()) {
      if (entry.is_object() && entry.contains("roles"))
        out.client_roles[client] = StringArray(entry["roles"]);
    }
  }
  return out;
}

}  // namespace

struct AccessTokenVerifier::Caches {
  // A verified token: its claims, and what verified it.
  struct Remembered {
    AccessTokenClaims claims;
    std::shared_ptr<const RealmKeys> keys;  // the realm's key set the signature verified with
    double not_before = 0;                  // nbf (a NumericDate); 0 when absent
  };

  explicit Caches(const store::Store& store) : realms(store) {}

  std::optional<Remembered> Find(const std::string& digest) {
    std::lock_guard lock(mu);
    auto it = tokens.find(digest);
    if (it == tokens.end()) return std::nullopt;
    return it->second;
  }

  void Put(const std::string& digest, Remembered r, int64_t now_s) {
    std::lock_guard lock(mu);
    if (tokens.size() >= kVerifiedTokenCacheEntries) {
      std::erase_if(tokens, [&](const auto& e) { return e.second.claims.expires_at <= now_s; });
      if (tokens.size() >= kVerifiedTokenCacheEntries) tokens.clear();
    }
    tokens.insert_or_assign(digest, std::move(r));
  }

  realm::DirectoryCache<core::Realm> realms;  // by name
  std::mutex mu;
  std::unordered_map<std::string, Remembered> tokens;  // by SHA-256 of the token; guarded by mu
};

const char* TokenErrorCodeName(TokenErrorCode code) {
  switch (code) {
    case TokenErrorCode::kMalformed:
      return "malformed";
    case TokenErrorCode::kWrongType:
      return "wrong_type";
    case TokenErrorCode::kWrongIssuer:
      return "wrong_issuer";
    case TokenErrorCode::kUnknownKey:
      return "unknown_key";
    case TokenErrorCode::kBadSignature:
      return "bad_signature";
    case TokenErrorCode::kExpired:
      return "expired";
    case TokenErrorCode::kWrongAudience:
      return "wrong_audience";
    case TokenErrorCode::kUnavailable:
      return "unavailable";
  }
  return "malformed";
}

AccessTokenVerifier::AccessTokenVerifier(VerifierOptions options, store::Store& store,
                                         KeyService& keys, const core::Clock& clock)
    : options_(std::move(options)),
      store_(store),
      keys_(keys),
      clock_(clock),
      caches_(std::make_unique<Caches>(store)) {}

AccessTokenVerifier::~AccessTokenVerifier() = default;

core::Result<core::Realm, AccessTokenError> AccessTokenVerifier::EnabledRealm(
    const std::string& name) const {
  core::ServiceResult<core::Realm> realm =
      caches_->realms.Get(name, [&]() -> core::ServiceResult<core::Realm> {
        auto tx = store_.Begin(store::TxMode::kReadOnly);
        if (!tx) return core::ServiceError{core::ServiceErrorCode::kUnavailable, "database", {}};
        store::Result<core::Realm> r = (*tx)->realms().GetByName(name);
        if (r) return std::move(*r);
        if (r.error().code == store::ErrorCode::kNotFound) return core::NotFoundError("realm");
        return core::ServiceError{core::ServiceErrorCode::kUnavailable, "database", {}};
      });
  if (!realm) {
    if (realm.error().code == core::ServiceErrorCode::kNotFound) {
      return Fail(TokenErrorCode::kWrongIssuer, "token issuer is not accepted");
    }
    return Fail(TokenErrorCode::kUnavailable, "the database is unavailable");
  }
  if (!realm->enabled) return Fail(TokenErrorCode::kWrongIssuer, "token issuer is not accepted");
  return std::move(*realm);
}

core::Result<core::Realm, AccessTokenError> AccessTokenVerifier::RealmOf(
    std::string_view token) const {
  crypto::Result<crypto::Jwt> unverified = crypto::JwtDecodeUnverified(token);
  if (!unverified) return VerifierCryptoError(unverified.error());
  std::string iss = StringClaim(unverified->claims, "iss");
  std::optional<std::string> name = RealmFromIssuer(options_.public_url, iss);
  if (!name) return Fail(TokenErrorCode::kWrongIssuer, "token issuer is not accepted");
  return EnabledRealm(*name);
}

core::Result<AccessTokenClaims, AccessTokenError> AccessTokenVerifier::Verify(
    std::string_view token) const {
  const std::string digest = crypto::Sha256(token);
  if (std::optional<Caches::Remembered> hit = caches_->Find(digest)) {
    IDM_ASSIGN_OR_RETURN(core::Realm realm, EnabledRealm(hit->claims.realm));
    core::ServiceResult<std::shared_ptr<const RealmKeys>> keys = keys_.Keys(realm);
    if (!keys) return Fail(TokenErrorCode::kUnavailable, "signing keys are unavailable");
    if (realm.id == hit->claims.realm_id && *keys == hit->keys) {
      // The checks of crypto::JwtVerify that depend on the time (RFC 7519 §4.1.4, §4.1.5, §4.1.6).
      const int64_t now = clock_.NowSeconds(), leeway = options_.leeway_s;
      if (now >= hit->claims.expires_at + leeway ||
          static_cast<double>(now + leeway) < hit->not_before ||
          now + leeway < hit->claims.issued_at) {
        return Fail(TokenErrorCode::kExpired, "token is expired or not yet valid");
      }
      return std::move(hit->claims);
    }
    // The realm was re-created or its keys reloaded: verify again from the start.
  }
  IDM_ASSIGN_OR_RETURN(core::Realm realm, RealmOf(token));
  core::ServiceResult<std::shared_ptr<const RealmKeys>> keys = keys_.Keys(realm);
  if (!keys) return Fail(TokenErrorCode::kUnavailable, "signing keys are unavailable");
  crypto::JwtValidation v;
  v.allowed_algs = {crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256, crypto::JwsAlg::kPs256,
                    crypto::JwsAlg::kEdDsa};
  v.now = clock_.NowSeconds();
  v.leeway_seconds = options_.leeway_s;
  v.issuer = IssuerOf(options_.public_url, realm.name);
  v.audience = options_.expected_audience;
  v.typ = "at+jwt";
  crypto::Result<crypto::Jwt> jwt = crypto::JwtVerify(token, (*keys)->published, v);
  if (!jwt) return VerifierCryptoError(jwt.error());
  IDM_ASSIGN_OR_RETURN(AccessTokenClaims claims, ToClaims(jwt->claims));
  claims.realm = realm.name;
  claims.realm_id = realm.id;
  auto nbf = jwt->claims.find("nbf");
  caches_->Put(
      digest,
      Caches::Remembered{claims, *keys,
                         nbf != jwt->claims.end() && nbf->is_number() ? nbf->get<double>() : 0.0},
      v.now);
  return claims;
}

}  // namespace idm::oauth
