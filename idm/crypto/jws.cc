// JWS compact serialization (RFC 7515 §3.1, §5.1 signing, §5.2 validation).
#include "idm/crypto/jws.h"

#include <algorithm>

#include "idm/core/json_writer.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/signature.h"

namespace idm::crypto {
namespace {

Error Malformed(std::string m) { return MakeError(ErrorCode::kMalformed, std::move(m)); }

// RFC 7515 §5.2 steps 1-6 for the protected header: the algorithm, allowed by the caller.
Result<JwsAlg> CheckHeader(const core::Json& header, std::span<const JwsAlg> allowed) {
  // §4.1.11: a recipient that does not understand a listed extension MUST reject; idm
  // understands none (this also refuses RFC 7797 unencoded payloads).
  if (header.contains("crit")) return Malformed("JWS \"crit\" header is not supported");
  auto it = header.find("alg");
  if (it == header.end() || !it->is_string()) return Malformed("JWS header has no \"alg\"");
  IDM_ASSIGN_OR_RETURN(JwsAlg alg, ParseJwsAlg(it->get<std::string>()));
  if (std::find(allowed.begin(), allowed.end(), alg) == allowed.end()) {
    return MakeError(ErrorCode::kAlgorithmNotAllowed,
                     "alg " + std::string(JwsAlgName(alg)) + " is not allowed here");
  }
  return alg;
}

Result<std::string> HeaderKid(const core::Json& header) {
  auto it = header.find("kid");
  if (it == header.end()) return std::string();
  if (!it->is_string()) return Malformed("JWS \"kid\" is not a string");
  return it->get<std::string>();
}

Status VerifyWithKey(const UnverifiedJws& jws, JwsAlg alg, const Jwk& key) {
  IDM_TRY(key.CheckFits(alg));
  if (!internal::VerifyWith(key.pkey(), alg, jws.signing_input, jws.signature)) {
    return MakeError(ErrorCode::kBadSignature, "JWS signature does not verify");
  }
  return {};
}

// RFC 7515 §5.1 steps 2-8 with the protected header already written as JSON text.
Result<std::string> SignCompact(const SigningKey& key, std::string_view header_json,
                                std::string_view payload) {
  std::string out = Base64UrlEncode(header_json);
  out += '.';
  out += Base64UrlEncode(payload);
  IDM_ASSIGN_OR_RETURN(std::string sig, key.Sign(out));
  out += '.';
  out += Base64UrlEncode(sig);
  return out;
}

}  // namespace

Result<std::string> JwsSign(const SigningKey& key, std::string_view payload,
                            const core::Json& extra_header) {
  if (!extra_header.is_object()) return Malformed("JWS header must be a JSON object");
  core::Json header = extra_header;
  header["alg"] = JwsAlgName(key.alg());
  header["kid"] = key.kid();
  return SignCompact(key, header.dump(), payload);
}

Result<std::string> JwsSignTyped(const SigningKey& key, std::string_view payload,
                                 std::string_view typ) {
  std::string header;
  core::JsonWriter w(header);
  w.BeginObject().Key("alg").String(JwsAlgName(key.alg())).Key("kid").String(key.kid());
  if (!typ.empty()) w.Key("typ").String(typ);
  w.EndObject();
  return SignCompact(key, header, payload);
}

Result<UnverifiedJws> JwsParseUnverified(std::string_view compact) {
  size_t dot1 = compact.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : compact.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || compact.find('.', dot2 + 1) != std::string_view::npos) {
    return Malformed("JWS compact serialization must have three parts");
  }
  auto header_bytes = Base64UrlDecode(compact.substr(0, dot1));
  auto payload = Base64UrlDecode(compact.substr(dot1 + 1, dot2 - dot1 - 1));
  auto signature = Base64UrlDecode(compact.substr(dot2 + 1));
  if (!header_bytes || !payload || !signature) return Malformed("JWS part is not base64url");
  core::Json header = core::Json::parse(*header_bytes, nullptr, /*allow_exceptions=*/false);
  if (!header.is_object()) return Malformed("JWS header is not a JSON object");
  return UnverifiedJws{std::move(header), *std::move(payload), std::string(compact.substr(0, dot2)),
                       *std::move(signature)};
}

Result<VerifiedJws> JwsVerify(std::string_view compact, const Jwk& key,
                              std::span<const JwsAlg> allowed) {
  IDM_ASSIGN_OR_RETURN(UnverifiedJws jws, JwsParseUnverified(compact));
  IDM_ASSIGN_OR_RETURN(JwsAlg alg, CheckHeader(jws.header, allowed));
  IDM_TRY(HeaderKid(jws.header));
  IDM_TRY(VerifyWithKey(jws, alg, key));
  return VerifiedJws{std::move(jws.header), std::move(jws.payload), alg, key.kid()};
}

Result<VerifiedJws> JwsVerify(std::string_view compact, const JwkSet& keys,
                              std::span<const JwsAlg> allowed) {
  IDM_ASSIGN_OR_RETURN(UnverifiedJws jws, JwsParseUnverified(compact));
  IDM_ASSIGN_OR_RETURN(JwsAlg alg, CheckHeader(jws.header, allowed));
  IDM_ASSIGN_OR_RETURN(std::string kid, HeaderKid(jws.header));
  auto candidates = keys.Candidates(kid, alg);
  if (candidates.empty()) return MakeError(ErrorCode::kKeyNotFound, "no key for this kid and alg");
  for (const Jwk* key : candidates) {
    if (VerifyWithKey(jws, alg, *key)) {
      return VerifiedJws{std::move(jws.header), std::move(jws.payload), alg, key->kid()};
    }
  }
  return MakeError(ErrorCode::kBadSignature, "JWS signature does not verify");
}

}  // namespace idm::crypto
