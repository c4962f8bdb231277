// JWT (RFC 7519 §7.1 creation, §7.2 validation) over JWS.
#include "idm/crypto/jwt.h"

#include <algorithm>
#include <optional>

#include "idm/core/ascii.h"

namespace idm::crypto {
namespace {

Error Missing(const char* claim, const char* why) {
  return MakeError(ErrorCode::kMissingClaim, std::string("claim \"") + claim + "\" " + why);
}

// A NumericDate claim (RFC 7519 §2): absent is nullopt; a non-number is an error.
Result<std::optional<double>> NumericDate(const core::Json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<double>();
  if (!it->is_number()) return Missing(name, "is not a NumericDate");
  return std::optional<double>(it->get<double>());
}

Status CheckTimes(const core::Json& claims, const JwtValidation& v) {
  const double now = static_cast<double>(v.now), leeway = static_cast<double>(v.leeway_seconds);
  IDM_ASSIGN_OR_RETURN(auto exp, NumericDate(claims, "exp"));
  IDM_ASSIGN_OR_RETURN(auto nbf, NumericDate(claims, "nbf"));
  IDM_ASSIGN_OR_RETURN(auto iat, NumericDate(claims, "iat"));
  if (!exp && v.require_exp) return Missing("exp", "is required");
  // §4.1.4: "the current date/time MUST be before the expiration date/time".
  if (exp && now >= *exp + leeway) return MakeError(ErrorCode::kExpired, "token has expired");
  // §4.1.5: "MUST NOT be accepted for processing" before nbf.
  if (nbf && now + leeway < *nbf)
    return MakeError(ErrorCode::kNotYetValid, "token is not yet valid");
  if (iat && now + leeway < *iat)
    return MakeError(ErrorCode::kIssuedInFuture, "token issued in the future");
  return {};
}

Status CheckIssuer(const core::Json& claims, const std::string& issuer) {
  if (issuer.empty()) return {};
  auto it = claims.find("iss");
  if (it == claims.end() || !it->is_string())
    return Missing("iss", "is required and must be a string");
  if (it->get_ref<const std::string&>() != issuer) {
    return MakeError(ErrorCode::kWrongIssuer, "token has another issuer");
  }
  return {};
}

// §4.1.3: aud is a string or an array of strings; the verifier must be one of them.
Status CheckAudience(const core::Json& claims, const std::string& audience) {
  if (audience.empty()) return {};
  auto it = claims.find("aud");
  if (it == claims.end()) return Missing("aud", "is required");
  if (it->is_string()) {
    if (it->get_ref<const std::string&>() == audience) return {};
    return MakeError(ErrorCode::kWrongAudience, "token is for another audience");
  }
  if (!it->is_array()) return Missing("aud", "must be a string or an array of strings");
  bool found = false;
  for (const auto& a : *it) {
    if (!a.is_string()) return Missing("aud", "must be a string or an array of strings");
    found = found || a.get_ref<const std::string&>() == audience;
  }
  if (!found) return MakeError(ErrorCode::kWrongAudience, "token is for another audience");
  return {};
}

// RFC 7515 §4.1.9: media types compare case-insensitively, "application/" may be omitted.
std::string NormalizeTyp(std::string_view typ) {
  std::string out = core::AsciiLowered(typ);
  constexpr std::string_view kPrefix = "application/";
  if (out.rfind(kPrefix, 0) == 0) out.erase(0, kPrefix.size());
  return out;
}

Status CheckType(const core::Json& header, const std::string& typ) {
  if (typ.empty()) return {};
  auto it = header.find("typ");
  if (it == header.end() || !it->is_string() ||
      NormalizeTyp(it->get_ref<const std::string&>()) != NormalizeTyp(typ)) {
    return MakeError(ErrorCode::kWrongType, "token has another typ than " + typ);
  }
  return {};
}

Result<core::Json> ParseClaims(std::string_view payload) {
  core::Json claims = core::Json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object())
    return MakeError(ErrorCode::kMalformed, "JWT claims are not a JSON object");
  return claims;
}

Result<Jwt> FinishVerify(Result<VerifiedJws> jws, const JwtValidation& v) {
  if (!jws) return jws.error();
  IDM_TRY(CheckType(jws->header, v.typ));
  IDM_ASSIGN_OR_RETURN(core::Json claims, ParseClaims(jws->payload));
  IDM_TRY(ValidateJwtClaims(claims, v));
  return Jwt{std::move(jws->header), std::move(claims), jws->alg, std::move(jws->kid)};
}

}  // namespace

Result<std::string> JwtSign(const SigningKey& key, const core::Json& claims, std::string_view typ) {
  if (!claims.is_object())
    return MakeError(ErrorCode::kMalformed, "JWT claims must be a JSON object");
  return JwtSignText(key, claims.dump(), typ);
}

Result<std::string> JwtSignText(const SigningKey& key, std::string_view claims_json,
                                std::string_view typ) {
  return JwsSignTyped(key, claims_json, typ);
}

Result<Jwt> JwtVerify(std::string_view compact, const Jwk& key, const JwtValidation& v) {
  return FinishVerify(JwsVerify(compact, key, v.allowed_algs), v);
}

Result<Jwt> JwtVerify(std::string_view compact, const JwkSet& keys, const JwtValidation& v) {
  return FinishVerify(JwsVerify(compact, keys, v.allowed_algs), v);
}

Status ValidateJwtClaims(const core::Json& claims, const JwtValidation& v) {
  if (!claims.is_object())
    return MakeError(ErrorCode::kMalformed, "JWT claims are not a JSON object");
  IDM_TRY(CheckTimes(claims, v));
  IDM_TRY(CheckIssuer(claims, v.issuer));
  IDM_TRY(CheckAudience(claims, v.audience));
  return {};
}

Result<Jwt> JwtDecodeUnverified(std::string_view compact) {
  IDM_ASSIGN_OR_RETURN(UnverifiedJws jws, JwsParseUnverified(compact));
  IDM_ASSIGN_OR_RETURN(core::Json claims, ParseClaims(jws.payload));
  Jwt out{std::move(jws.header), std::move(claims), JwsAlg::kEs256, {}};
  if (auto alg = out.header.find("alg"); alg != out.header.end() && alg->is_string()) {
    if (auto parsed = ParseJwsAlg(alg->get<std::string>())) out.alg = *parsed;
  }
  if (auto kid = out.header.find("kid"); kid != out.header.end() && kid->is_string()) {
    out.kid = kid->get<std::string>();
  }
  return out;
}

}  // namespace idm::crypto
