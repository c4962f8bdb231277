// OIDC Core §3.1.2.1 id_token_hint verification.
#include "idm/oauth/id_token_hint.h"

#include <array>

#include "idm/core/json.h"
#include "idm/crypto/jws.h"

namespace idm::oauth {
namespace {

constexpr std::array<crypto::JwsAlg, 4> kAlgs = {crypto::JwsAlg::kEs256, crypto::JwsAlg::kRs256,
                                                 crypto::JwsAlg::kPs256, crypto::JwsAlg::kEdDsa};

AuthorizationError Invalid() {
  return NonRedirectableError(AuthzErrorCode::kInvalidRequest, "id_token_hint is not valid");
}

bool AudienceHas(const core::Json& aud, std::string_view client_id) {
  if (aud.is_string()) return aud.get<std::string>() == client_id;
  if (!aud.is_array()) return false;
  for (const core::Json& a : aud) {
    if (a.is_string() && a.get<std::string>() == client_id) return true;
  }
  return false;
}

bool TypIsIdToken(const core::Json& header) {
  if (!header.contains("typ")) return true;
  const core::Json& typ = header["typ"];
  return typ.is_string() && typ.get<std::string>() == "JWT";
}

}  // namespace

AuthzResult<std::string> IdTokenHintSubject(std::string_view hint,
                                            const crypto::JwkSet& published_keys,
                                            std::string_view issuer, std::string_view client_id) {
  crypto::Result<crypto::VerifiedJws> jws = crypto::JwsVerify(hint, published_keys, kAlgs);
  if (!jws || !TypIsIdToken(jws->header)) return Invalid();
  core::Json claims = core::Json::parse(jws->payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object()) return Invalid();
  const core::Json& iss = claims.contains("iss") ? claims["iss"] : core::Json();
  const core::Json& sub = claims.contains("sub") ? claims["sub"] : core::Json();
  if (!iss.is_string() || iss.get<std::string>() != issuer) return Invalid();
  if (!claims.contains("aud") || !AudienceHas(claims["aud"], client_id)) return Invalid();
  if (!sub.is_string() || sub.get<std::string>().empty()) return Invalid();
  return sub.get<std::string>();
}

}  // namespace idm::oauth
