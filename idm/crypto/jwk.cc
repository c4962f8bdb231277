// Jwk, JwkSet and the JWS algorithm names (RFC 7517, RFC 7518 §3.1, RFC 7638, RFC 8037).
#include "idm/crypto/jwk.h"

#include <openssl/evp.h>

#include "idm/core/ascii.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/crypto/jwk_codec.h"

namespace idm::crypto {
namespace {

// An optional string member; kMalformed if present with another JSON type.
Result<std::string> OptionalString(const core::Json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end()) return std::string();
  if (!it->is_string()) {
    return MakeError(ErrorCode::kMalformed,
                     std::string("JWK member \"") + name + "\" is not a string");
  }
  return it->get<std::string>();
}

}  // namespace

std::string_view JwsAlgName(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kEs256:
      return "ES256";
    case JwsAlg::kRs256:
      return "RS256";
    case JwsAlg::kPs256:
      return "PS256";
    case JwsAlg::kEdDsa:
      return "EdDSA";
  }
  return "";
}

Result<JwsAlg> ParseJwsAlg(std::string_view name) {
  for (JwsAlg alg : {JwsAlg::kEs256, JwsAlg::kRs256, JwsAlg::kPs256, JwsAlg::kEdDsa}) {
    if (name == JwsAlgName(alg)) return alg;
  }
  // RFC 7518 §3.6: unsecured JWS is never acceptable here, whatever its capitalisation.
  if (core::EqualsIgnoreCase(name, "none"))
    return MakeError(ErrorCode::kAlgorithmNotAllowed, "alg \"none\" is not accepted");
  return MakeError(ErrorCode::kUnsupportedAlgorithm, "unsupported alg");
}

void PkeyDeleter::operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }

Jwk::Jwk(const Jwk& other)
    : kty_(other.kty_),
      members_(other.members_),
      kid_(other.kid_),
      alg_(other.alg_),
      use_(other.use_),
      thumbprint_(other.thumbprint_) {
  if (other.pkey_ && EVP_PKEY_up_ref(other.pkey_.get()) == 1) pkey_.reset(other.pkey_.get());
}

Jwk& Jwk::operator=(const Jwk& other) {
  if (this != &other) *this = Jwk(other);
  return *this;
}

Result<Jwk> Jwk::FromJson(const core::Json& jwk) {
  if (!jwk.is_object()) return MakeError(ErrorCode::kMalformed, "JWK is not a JSON object");
  IDM_ASSIGN_OR_RETURN(KeyType kty, internal::ParseKeyType(jwk));
  IDM_ASSIGN_OR_RETURN(std::string kid, OptionalString(jwk, "kid"));
  IDM_ASSIGN_OR_RETURN(std::string use, OptionalString(jwk, "use"));
  IDM_ASSIGN_OR_RETURN(std::string alg_name, OptionalString(jwk, "alg"));
  std::optional<JwsAlg> alg;
  if (!alg_name.empty()) {
    IDM_ASSIGN_OR_RETURN(alg, ParseJwsAlg(alg_name));
  }
  IDM_ASSIGN_OR_RETURN(PkeyPtr pkey, internal::PkeyFromJwk(jwk, kty, /*include_private=*/false));
  IDM_ASSIGN_OR_RETURN(core::Json members, internal::PublicMembers(pkey.get(), kty));
  Jwk out;
  out.pkey_ = std::move(pkey);
  out.kty_ = kty;
  out.members_ = std::move(members);
  // RFC 7638 §3: the required members in lexicographic order without whitespace, which is exactly
  // nlohmann's compact dump of an object (std::map keys); values are base64url, never escaped.
  out.thumbprint_ = Base64UrlEncode(Sha256(out.members_.dump()));
  out.kid_ = kid.empty() ? out.thumbprint_ : std::move(kid);
  out.alg_ = alg;
  out.use_ = std::move(use);
  return out;
}

Result<Jwk> Jwk::FromPkey(PkeyPtr pkey, std::optional<JwsAlg> alg, std::string kid) {
  if (!pkey) return MakeError(ErrorCode::kInvalidKey, "no key");
  IDM_ASSIGN_OR_RETURN(KeyType kty, internal::KeyTypeOf(pkey.get()));
  // Rebuilt from the public members so that a Jwk never holds private material.
  IDM_ASSIGN_OR_RETURN(core::Json jwk, internal::PublicMembers(pkey.get(), kty));
  if (!kid.empty()) jwk["kid"] = kid;
  if (alg) jwk["alg"] = JwsAlgName(*alg);
  jwk["use"] = "sig";
  return FromJson(jwk);
}

core::Json Jwk::ToJson() const {
  core::Json out = members_;
  out["kid"] = kid_;
  if (alg_) out["alg"] = JwsAlgName(*alg_);
  if (!use_.empty()) out["use"] = use_;
  return out;
}

Status Jwk::CheckFits(JwsAlg alg) const {
  bool fits = false;
  switch (alg) {
    case JwsAlg::kEs256:
      fits = kty_ == KeyType::kEc;
      break;
    case JwsAlg::kRs256:
    case JwsAlg::kPs256:
      fits = kty_ == KeyType::kRsa;
      break;
    case JwsAlg::kEdDsa:
      fits = kty_ == KeyType::kOkp;
      break;
  }
  std::string name(JwsAlgName(alg));
  if (!fits) return MakeError(ErrorCode::kKeyMismatch, "key type does not fit alg " + name);
  if (alg_ && *alg_ != alg)
    return MakeError(ErrorCode::kKeyMismatch, "key is for another alg than " + name);
  if (!use_.empty() && use_ != "sig")
    return MakeError(ErrorCode::kKeyMismatch, "key is not for signatures");
  return {};
}

Result<JwkSet> JwkSet::FromJson(const core::Json& jwks) {
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
    return MakeError(ErrorCode::kMalformed, "JWK Set has no \"keys\" array");
  }
  JwkSet set;
  for (const auto& member : jwks["keys"]) {
    // RFC 7517 §5: ignore keys of unknown types, missing members or out-of-range values.
    if (auto key = Jwk::FromJson(member)) set.Add(*std::move(key));
  }
  return set;
}

core::Json JwkSet::ToJson() const {
  core::Json keys = core::Json::array();
  for (const auto& key : keys_) keys.push_back(key.ToJson());
  return {{"keys", std::move(keys)}};
}

std::vector<const Jwk*> JwkSet::Candidates(std::string_view kid, JwsAlg alg) const {
  std::vector<const Jwk*> out;
  for (const auto& key : keys_) {
    if (!kid.empty() && key.kid() != kid) continue;
    if (key.CheckFits(alg)) out.push_back(&key);
  }
  return out;
}

}  // namespace idm::crypto
