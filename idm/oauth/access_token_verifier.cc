// RFC 9068 §4 validation of JWT access tokens.
#include "idm/oauth/access_token_verifier.h"

#include "idm/crypto/jwt.h"
#include "idm/oauth/issuer.h"
#include "idm/oauth/keys/key_service.h"

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
    : options_(std::move(options)), store_(store), keys_(keys), clock_(clock) {}

core::Result<core::Realm, AccessTokenError> AccessTokenVerifier::RealmOf(
    std::string_view token) const {
  crypto::Result<crypto::Jwt> unverified = crypto::JwtDecodeUnverified(token);
  if (!unverified) return VerifierCryptoError(unverified.error());
  std::string iss = StringClaim(unverified->claims, "iss");
  std::optional<std::string> name = RealmFromIssuer(options_.public_url, iss);
  if (!name) return Fail(TokenErrorCode::kWrongIssuer, "token issuer is not accepted");
  auto tx = store_.Begin(store::TxMode::kReadOnly);
  if (!tx) return Fail(TokenErrorCode::kUnavailable, "the database is unavailable");
  store::Result<core::Realm> realm = (*tx)->realms().GetByName(*name);
  if (!realm) {
    if (realm.error().code == store::ErrorCode::kNotFound) {
      return Fail(TokenErrorCode::kWrongIssuer, "token issuer is not accepted");
    }
    return Fail(TokenErrorCode::kUnavailable, "the database is unavailable");
  }
  if (!realm->enabled) return Fail(TokenErrorCode::kWrongIssuer, "token issuer is not accepted");
  return std::move(*realm);
}

core::Result<AccessTokenClaims, AccessTokenError> AccessTokenVerifier::Verify(
    std::string_view token) const {
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
  return claims;
}

}  // namespace idm::oauth
