// WebAuthn Level 2 ceremony checks; see webauthn.h. CBOR through libcbor, keys and signatures
// through OpenSSL 3 (a COSE_Key is turned into a JWK and built by jwk_codec).
#include "idm/crypto/webauthn.h"

#include <cbor.h>

#include <memory>
#include <utility>

#include "idm/core/json.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/crypto/jwk_codec.h"
#include "idm/crypto/openssl_util.h"

namespace idm::crypto::webauthn {
namespace {

using internal::Bytes;

constexpr size_t kRpIdHashBytes = 32;
constexpr size_t kAaguidBytes = 16;
constexpr size_t kMaxCredentialIdBytes = 1023;  // §6.5.1 (Level 3 bound; Level 2 allows up to 2^16)

struct CborDeleter {
  void operator()(cbor_item_t* item) const { cbor_decref(&item); }
};
using CborPtr = std::unique_ptr<cbor_item_t, CborDeleter>;

Failure Fail(Check check, std::string message) { return Failure{check, std::move(message)}; }

// One CBOR item from the start of `bytes`; *read is how many bytes it took.
Result<CborPtr> LoadCbor(std::string_view bytes, size_t* read) {
  cbor_load_result r{};
  CborPtr item(cbor_load(reinterpret_cast<cbor_data>(bytes.data()), bytes.size(), &r));
  if (!item || r.error.code != CBOR_ERR_NONE) return Fail(Check::kMalformed, "invalid CBOR");
  *read = r.read;
  return item;
}

// A CBOR integer (major type 0 or 1) as int64, if it is one and fits.
std::optional<int64_t> CborInt(const cbor_item_t* item) {
  if (cbor_isa_uint(item)) {
    uint64_t v = cbor_get_int(item);
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (cbor_isa_negint(item)) {
    uint64_t v = cbor_get_int(item);
    if (v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return -1 - static_cast<int64_t>(v);
  }
  return std::nullopt;
}

std::optional<std::string> CborBytes(const cbor_item_t* item) {
  if (item == nullptr || !cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item)) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(cbor_bytestring_handle(item)),
                     cbor_bytestring_length(item));
}

std::optional<std::string> CborText(const cbor_item_t* item) {
  if (item == nullptr || !cbor_isa_string(item) || !cbor_string_is_definite(item)) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(cbor_string_handle(item)),
                     cbor_string_length(item));
}

// The value under integer label `label` of a CBOR map (COSE_Key), or nullptr.
const cbor_item_t* ByIntLabel(const cbor_item_t* map, int64_t label) {
  cbor_pair* pairs = cbor_map_handle(map);
  for (size_t i = 0; i < cbor_map_size(map); ++i) {
    if (CborInt(pairs[i].key) == label) return pairs[i].value;
  }
  return nullptr;
}

// The value under text key `key` of a CBOR map (attestation object, attStmt), or nullptr.
const cbor_item_t* ByTextKey(const cbor_item_t* map, std::string_view key) {
  cbor_pair* pairs = cbor_map_handle(map);
  for (size_t i = 0; i < cbor_map_size(map); ++i) {
    if (CborText(pairs[i].key) == key) return pairs[i].value;
  }
  return nullptr;
}

uint32_t BigEndian(std::string_view b) {
  uint32_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}

// COSE_Key (RFC 8152 §13, RFC 9053 §7, RFC 8230 §4) to a JWK (RFC 7518 §6, RFC 8037 §2).
struct CoseKey {
  int64_t alg = 0;
  core::Json jwk;
  KeyType kty{};
};

Result<CoseKey> ParseCoseKey(std::string_view bytes) {
  size_t read = 0;
  IDM_ASSIGN_OR_RETURN(CborPtr key, LoadCbor(bytes, &read));
  if (read != bytes.size() || !cbor_isa_map(key.get())) {
    return Fail(Check::kMalformed, "the COSE_Key is not one CBOR map");
  }
  std::optional<int64_t> kty = CborInt(ByIntLabel(key.get(), 1));
  std::optional<int64_t> alg = CborInt(ByIntLabel(key.get(), 3));
  if (!kty || !alg) return Fail(Check::kMalformed, "the COSE_Key lacks kty or alg");
  const cbor_item_t* m1 = ByIntLabel(key.get(), -1);
  std::optional<std::string> m2 = CborBytes(ByIntLabel(key.get(), -2));
  CoseKey out;
  out.alg = *alg;
  if (*alg == kCoseEs256 && *kty == 2 && CborInt(m1) == 1) {  // EC2, crv P-256
    std::optional<std::string> y = CborBytes(ByIntLabel(key.get(), -3));
    if (!m2 || !y) return Fail(Check::kMalformed, "EC2 key without x or y");
    out.jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", Base64UrlEncode(*m2)},
               {"y", Base64UrlEncode(*y)}};
    out.kty = KeyType::kEc;
  } else if (*alg == kCoseEdDsa && *kty == 1 && CborInt(m1) == 6) {  // OKP, crv Ed25519
    if (!m2) return Fail(Check::kMalformed, "OKP key without x");
    out.jwk = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", Base64UrlEncode(*m2)}};
    out.kty = KeyType::kOkp;
  } else if (*alg == kCoseRs256 && *kty == 3) {  // RSA: -1 n, -2 e
    std::optional<std::string> n = CborBytes(m1);
    if (!n || !m2) return Fail(Check::kMalformed, "RSA key without n or e");
    out.jwk = {{"kty", "RSA"}, {"n", Base64UrlEncode(*n)}, {"e", Base64UrlEncode(*m2)}};
    out.kty = KeyType::kRsa;
  } else {
    return Fail(Check::kUnsupportedAlgorithm,
                "COSE alg " + std::to_string(*alg) + " with kty " + std::to_string(*kty) +
                    " is not ES256 (P-256), EdDSA (Ed25519) or RS256");
  }
  return out;
}

Result<PkeyPtr> CosePkey(std::string_view cose_key, int64_t* alg) {
  IDM_ASSIGN_OR_RETURN(CoseKey key, ParseCoseKey(cose_key));
  auto pkey = internal::PkeyFromJwk(key.jwk, key.kty, /*include_private=*/false);
  if (!pkey) return Fail(Check::kUnsupportedAlgorithm, "unusable key: " + pkey.error().message);
  if (auto valid = internal::ValidateKey(pkey->get(), false); !valid) {
    return Fail(Check::kUnsupportedAlgorithm, "unusable key: " + valid.error().message);
  }
  *alg = key.alg;
  return std::move(*pkey);
}

struct ClientData {
  std::string type;
  std::string challenge;  // decoded bytes
  std::string origin;
};

// §5.8.1 CollectedClientData, checked per §7.1 steps 5-9 / §7.2 steps 9-13.
Status CheckClientData(std::string_view json, std::string_view type, const Expected& expected) {
  core::Json cd = core::Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!cd.is_object() || !cd.contains("type") || !cd["type"].is_string() ||
      !cd.contains("challenge") || !cd["challenge"].is_string() || !cd.contains("origin") ||
      !cd["origin"].is_string()) {
    return Fail(Check::kMalformed, "clientDataJSON is not a CollectedClientData object");
  }
  if (cd["type"].get<std::string>() != type) {
    return Fail(Check::kWrongType, "clientData.type is not " + std::string(type));
  }
  std::optional<std::string> challenge = Base64UrlDecode(cd["challenge"].get<std::string>());
  if (!challenge || !ConstantTimeEquals(*challenge, expected.challenge) ||
      expected.challenge.empty()) {
    return Fail(Check::kWrongChallenge, "clientData.challenge is not the challenge issued");
  }
  if (cd["origin"].get<std::string>() != expected.origin) {
    return Fail(Check::kWrongOrigin, "clientData.origin is not " + expected.origin);
  }
  // idm's pages are never framed (frame-ancestors 'none'): a cross-origin call is not ours.
  if (cd.contains("crossOrigin") && cd["crossOrigin"].is_boolean() &&
      cd["crossOrigin"].get<bool>()) {
    return Fail(Check::kWrongOrigin, "clientData.crossOrigin is true");
  }
  return {};
}

// §7.1 steps 13-15 / §7.2 steps 15-17.
Status CheckFlags(const AuthenticatorData& ad, const Expected& expected) {
  if (!ConstantTimeEquals(ad.rp_id_hash, Sha256(expected.rp_id))) {
    return Fail(Check::kWrongRpId, "rpIdHash is not SHA-256 of " + expected.rp_id);
  }
  if ((ad.flags & kFlagUserPresent) == 0) {
    return Fail(Check::kUserNotPresent, "the UP flag is not set");
  }
  if (expected.require_user_verification && (ad.flags & kFlagUserVerified) == 0) {
    return Fail(Check::kUserNotVerified, "user verification is required and UV is not set");
  }
  return {};
}

// §8.2 packed attestation, self attestation only (no x5c).
Status VerifyPackedSelf(const cbor_item_t* att_stmt, const Registration& reg,
                        std::string_view signed_data) {
  if (ByTextKey(att_stmt, "x5c") != nullptr || ByTextKey(att_stmt, "ecdaaKeyId") != nullptr) {
    return Fail(Check::kUnsupportedAttestation,
                "packed attestation with a certificate chain is not accepted (self only)");
  }
  std::optional<int64_t> alg = CborInt(ByTextKey(att_stmt, "alg"));
  std::optional<std::string> sig = CborBytes(ByTextKey(att_stmt, "sig"));
  if (!alg || !sig) return Fail(Check::kBadAttestation, "packed attStmt lacks alg or sig");
  if (*alg != reg.alg) {
    return Fail(Check::kBadAttestation, "packed attStmt alg differs from the credential key's");
  }
  auto verified = VerifySignature(reg.public_key, signed_data, *sig);
  if (!verified) return Fail(Check::kBadAttestation, "packed self-attestation signature invalid");
  return {};
}

}  // namespace

const char* CheckName(Check check) {
  switch (check) {
    case Check::kMalformed: return "malformed";
    case Check::kWrongType: return "wrong_type";
    case Check::kWrongChallenge: return "wrong_challenge";
    case Check::kWrongOrigin: return "wrong_origin";
    case Check::kWrongRpId: return "wrong_rp_id";
    case Check::kUserNotPresent: return "user_not_present";
    case Check::kUserNotVerified: return "user_not_verified";
    case Check::kUnsupportedAlgorithm: return "unsupported_algorithm";
    case Check::kUnsupportedAttestation: return "unsupported_attestation";
    case Check::kBadAttestation: return "bad_attestation";
    case Check::kBadSignature: return "bad_signature";
    case Check::kSignCountRegression: return "sign_count_regression";
  }
  return "unknown";
}

Result<AuthenticatorData> ParseAuthenticatorData(std::string_view bytes) {
  constexpr size_t kFixed = kRpIdHashBytes + 1 + 4;
  if (bytes.size() < kFixed) return Fail(Check::kMalformed, "authenticator data too short");
  AuthenticatorData ad;
  ad.rp_id_hash = std::string(bytes.substr(0, kRpIdHashBytes));
  ad.flags = static_cast<uint8_t>(bytes[kRpIdHashBytes]);
  ad.sign_count = BigEndian(bytes.substr(kRpIdHashBytes + 1, 4));
  std::string_view rest = bytes.substr(kFixed);
  if ((ad.flags & kFlagAttested) != 0) {
    if (rest.size() < kAaguidBytes + 2) return Fail(Check::kMalformed, "attested data too short");
    AttestedCredential cred;
    cred.aaguid = std::string(rest.substr(0, kAaguidBytes));
    size_t id_len = BigEndian(rest.substr(kAaguidBytes, 2));
    rest = rest.substr(kAaguidBytes + 2);
    if (id_len == 0 || id_len > kMaxCredentialIdBytes || rest.size() < id_len) {
      return Fail(Check::kMalformed, "bad credentialIdLength");
    }
    cred.credential_id = std::string(rest.substr(0, id_len));
    rest = rest.substr(id_len);
    size_t read = 0;
    IDM_ASSIGN_OR_RETURN(CborPtr key, LoadCbor(rest, &read));
    if (!cbor_isa_map(key.get())) return Fail(Check::kMalformed, "credentialPublicKey not a map");
    cred.public_key = std::string(rest.substr(0, read));
    rest = rest.substr(read);
    ad.attested = std::move(cred);
  }
  if ((ad.flags & kFlagExtensions) != 0) {
    size_t read = 0;
    IDM_ASSIGN_OR_RETURN(CborPtr ext, LoadCbor(rest, &read));
    if (!cbor_isa_map(ext.get())) return Fail(Check::kMalformed, "extensions are not a map");
    rest = rest.substr(read);
  }
  if (!rest.empty()) return Fail(Check::kMalformed, "trailing bytes after authenticator data");
  return ad;
}

Result<int64_t> CoseKeyAlgorithm(std::string_view cose_key) {
  int64_t alg = 0;
  IDM_ASSIGN_OR_RETURN(PkeyPtr pkey, CosePkey(cose_key, &alg));
  return alg;
}

Status VerifySignature(std::string_view cose_key, std::string_view data,
                       std::string_view signature) {
  int64_t alg = 0;
  IDM_ASSIGN_OR_RETURN(PkeyPtr pkey, CosePkey(cose_key, &alg));
  internal::MdCtxPtr ctx(EVP_MD_CTX_new());
  // Ed25519 hashes internally (no digest); ES256 and RS256 use SHA-256. OpenSSL verifies ECDSA
  // signatures in DER, the form authenticators produce (§6.5.6), and RSA with PKCS#1 v1.5.
  const EVP_MD* md = alg == kCoseEdDsa ? nullptr : EVP_sha256();
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pkey.get()) != 1) {
    internal::OpensslReason();
    return Fail(Check::kUnsupportedAlgorithm, "cannot verify with this key");
  }
  int rc = EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(data),
                            data.size());
  if (rc != 1) {
    internal::OpensslReason();  // clears the queue
    return Fail(Check::kBadSignature, "the signature does not verify");
  }
  return {};
}

Result<Registration> VerifyRegistration(const Expected& expected,
                                        std::string_view client_data_json,
                                        std::string_view attestation_object) {
  IDM_TRY(CheckClientData(client_data_json, "webauthn.create", expected));
  size_t read = 0;
  IDM_ASSIGN_OR_RETURN(CborPtr att, LoadCbor(attestation_object, &read));  // §7.1 step 12
  if (read != attestation_object.size() || !cbor_isa_map(att.get())) {
    return Fail(Check::kMalformed, "attestationObject is not one CBOR map");
  }
  std::optional<std::string> fmt = CborText(ByTextKey(att.get(), "fmt"));
  std::optional<std::string> auth_data = CborBytes(ByTextKey(att.get(), "authData"));
  const cbor_item_t* att_stmt = ByTextKey(att.get(), "attStmt");
  if (!fmt || !auth_data || att_stmt == nullptr || !cbor_isa_map(att_stmt)) {
    return Fail(Check::kMalformed, "attestationObject lacks fmt, authData or attStmt");
  }
  IDM_ASSIGN_OR_RETURN(AuthenticatorData ad, ParseAuthenticatorData(*auth_data));
  IDM_TRY(CheckFlags(ad, expected));
  if (!ad.attested) return Fail(Check::kMalformed, "no attested credential data (AT clear)");
  Registration reg;
  reg.credential_id = ad.attested->credential_id;
  reg.public_key = ad.attested->public_key;
  reg.aaguid = ad.attested->aaguid;
  reg.sign_count = ad.sign_count;
  reg.fmt = *fmt;
  reg.user_verified = (ad.flags & kFlagUserVerified) != 0;
  IDM_ASSIGN_OR_RETURN(reg.alg, CoseKeyAlgorithm(reg.public_key));  // §7.1 step 16
  // §7.1 steps 18-21: the formats idm accepts and their trust (self or none only).
  if (*fmt == "none") {
    if (cbor_map_size(att_stmt) != 0) return Fail(Check::kBadAttestation, "none with attStmt");
  } else if (*fmt == "packed") {
    std::string signed_data = *auth_data + Sha256(client_data_json);
    IDM_TRY(VerifyPackedSelf(att_stmt, reg, signed_data));
  } else {
    return Fail(Check::kUnsupportedAttestation, "attestation format \"" + *fmt +
                                                    "\" is not accepted (none, packed self)");
  }
  return reg;
}

Result<Assertion> VerifyAssertion(const Expected& expected, std::string_view public_key,
                                  uint32_t stored_sign_count, std::string_view client_data_json,
                                  std::string_view authenticator_data,
                                  std::string_view signature) {
  IDM_TRY(CheckClientData(client_data_json, "webauthn.get", expected));
  IDM_ASSIGN_OR_RETURN(AuthenticatorData ad, ParseAuthenticatorData(authenticator_data));
  IDM_TRY(CheckFlags(ad, expected));
  // §7.2 steps 19-20: sig over authData || SHA-256(clientDataJSON).
  std::string signed_data = std::string(authenticator_data) + Sha256(client_data_json);
  IDM_TRY(VerifySignature(public_key, signed_data, signature));
  // §7.2 step 21: "If either authData.signCount or storedSignCount is nonzero, and
  // authData.signCount is less than or equal to storedSignCount", the authenticator may be cloned.
  if ((ad.sign_count != 0 || stored_sign_count != 0) && ad.sign_count <= stored_sign_count) {
    return Fail(Check::kSignCountRegression,
                "signCount " + std::to_string(ad.sign_count) + " is not greater than the stored " +
                    std::to_string(stored_sign_count));
  }
  Assertion out;
  out.sign_count = ad.sign_count;
  out.user_verified = (ad.flags & kFlagUserVerified) != 0;
  return out;
}

}  // namespace idm::crypto::webauthn
