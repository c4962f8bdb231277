// OIDC Core §3.1.2.1 id_token_hint verification.
#include "idm/oauth/id_token_hint.h"

#include <array>

#include "idm/core/json.h"
#include "idm/crypto/jws.h"

namespace idm::oauth {
namespace {

constexpr std::array<crypto::JwsAlg, 4> kAlgs = {crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256,
                                                 crypto::JwsAlg::kPs256, crypto::JwsAlg::kEdDsa};

AuthorizationError InvalidHint() {
  return NonRedirectableError(AuthzErrorCode::kInvalidRequest, "id_token_hint is not valid");
}

bool TypIsIdToken(const core::Json& header) {
  if (!header.contains("typ")) return true;
  const core::Json& typ = header["typ"];
  return typ.is_string() && typ.get<std::string>() == "JWT";
}

}  // namespace

AuthzResult<IdTokenHintClaims> VerifyIdTokenHint(std::string_view hint,
                                                 const crypto::JwkSet& published_keys,
                                                 std::string_view issuer) {
  crypto::Result<crypto::VerifiedJws> jws = crypto::JwsVerify(hint, published_keys, kAlgs);
  if (!jws || !TypIsIdToken(jws->header)) return InvalidHint();
  core::Json claims = core::Json::parse(jws->payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return InvalidHint();
  const core::Json& iss = claims.contains("iss") ? claims["iss"] : core::Json();
  const core::Json& sub = claims.contains("sub") ? claims["sub"] : core::Json();
  if (!iss.is_string() || iss.get<std::string>() != issuer) return InvalidHint();
  if (!sub.is_string() || sub.get<std::string>().empty()) return InvalidHint();
  IdTokenHintClaims out;
  out.sub = sub.get<std::string>();
  const core::Json& aud = claims.contains("aud") ? claims["aud"] : core::Json();
  if (aud.is_string()) {
    out.audiences.push_back(aud.get<std::string>());
  } else if (aud.is_array()) {
    for (const core::Json& a : aud) {
      if (a.is_string()) out.audiences.push_back(a.get<std::string>());
    }
  }
  if (out.audiences.empty()) return InvalidHint();
  if (claims.contains("sid") && claims["sid"].is_string())
    out.sid = claims["sid"].get<std::string>();
  return out;
}

AuthzResult<std::string> IdTokenHintSubject(std::string_view hint,
                                            const crypto::JwkSet& published_keys,
                                            std::string_view issuer, std::string_view client_id) {
  IDM_ASSIGN_OR_RETURN(IdTokenHintClaims claims, VerifyIdTokenHint(hint, published_keys, issuer));
  for (const std::string& a : claims.audiences) {
    if (a == client_id) return claims.sub;
  }
  return InvalidHint();
}

}  // namespace idm::oauth
