#include "idm/crypto/jwk_codec.h"

#include <openssl/rsa.h>

#include "idm/crypto/encoding.h"
#include "idm/crypto/openssl_util.h"

namespace idm::crypto::internal {
namespace {

constexpr size_t kP256CoordinateBytes = 32;
constexpr size_t kEd25519KeyBytes = 32;
constexpr int kMinRsaBits = 2048;  // RFC 7518 §3.3, §3.5
constexpr int kMaxRsaBits = 8192;  // bounds the cost of verifying with a client-supplied key

Error Invalid(std::string m) { return MakeError(ErrorCode::kInvalidKey, std::move(m)); }

// A required base64url member, decoded.
Result<std::string> Member(const core::Json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) {
    return MakeError(ErrorCode::kMalformed, std::string("JWK member \"") + name + "\" missing");
  }
  auto bytes = Base64UrlDecode(it->get_ref<const std::string&>());
  if (!bytes)
    return MakeError(ErrorCode::kMalformed,
                     std::string("JWK member \"") + name + "\" is not base64url");
  return *std::move(bytes);
}

// An RSA integer member: minimal big-endian (RFC 7518 §6.3.1.1), non-empty.
Result<BnPtr> IntMember(const core::Json& jwk, const char* name) {
  IDM_ASSIGN_OR_RETURN(std::string bytes, Member(jwk, name));
  if (bytes.empty() || bytes[0] == '\0') {
    return Invalid(std::string("JWK member \"") + name + "\" is not a minimal positive integer");
  }
  BnPtr bn = BytesToBn(bytes);
  if (!bn) return MakeError(ErrorCode::kInternal, "BN_bin2bn failed");
  return bn;
}

Result<PkeyPtr> FromData(const char* type, OSSL_PARAM_BLD* bld, bool include_private) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, include_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
                        params.get()) != 1) {
    return Invalid(std::string("unusable ") + type + " key: " + OpensslReason());
  }
  return PkeyPtr(raw);
}

}  // namespace

Status ValidateKey(EVP_PKEY* pkey, bool include_private) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx) return MakeError(ErrorCode::kInternal, "EVP_PKEY_CTX_new_from_pkey failed");
  int rc = include_private ? EVP_PKEY_pairwise_check(ctx.get()) : EVP_PKEY_public_check(ctx.get());
  if (rc == -2) return {};  // the key type has no such check (Ed25519 public keys)
  if (rc != 1) return Invalid("key fails validation: " + OpensslReason());
  return {};
}

namespace {

Result<PkeyPtr> EcFromJwk(const core::Json& jwk, bool include_private) {
  IDM_ASSIGN_OR_RETURN(std::string x, Member(jwk, "x"));
  IDM_ASSIGN_OR_RETURN(std::string y, Member(jwk, "y"));
  // RFC 7518 §6.2.1.2: coordinates are exactly the field size, leading zeros included.
  if (x.size() != kP256CoordinateBytes || y.size() != kP256CoordinateBytes) {
    return Invalid("P-256 coordinates must be 32 bytes");
  }
  std::string point = "\x04" + x + y;
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  BnPtr d;
  if (include_private) {
    IDM_ASSIGN_OR_RETURN(std::string d_bytes, Member(jwk, "d"));
    if (d_bytes.size() != kP256CoordinateBytes) return Invalid("P-256 \"d\" must be 32 bytes");
    d = BytesToBn(d_bytes);
  }
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size()) ||
      (d && !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()))) {
    return MakeError(ErrorCode::kInternal, "OSSL_PARAM_BLD failed");
  }
  return FromData("EC", bld.get(), include_private);
}

Result<PkeyPtr> RsaFromJwk(const core::Json& jwk, bool include_private) {
  struct Part {
    const char* member;
    const char* param;
  };
  static constexpr Part kPublic[] = {{"n", OSSL_PKEY_PARAM_RSA_N}, {"e", OSSL_PKEY_PARAM_RSA_E}};
  static constexpr Part kPrivate[] = {
      {"d", OSSL_PKEY_PARAM_RSA_D},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
      {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
      {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) return MakeError(ErrorCode::kInternal, "OSSL_PARAM_BLD_new failed");
  std::vector<BnPtr> keep;  // the builder references the BIGNUMs until to_param
  auto push = [&](const Part& part) -> Status {
    IDM_ASSIGN_OR_RETURN(BnPtr bn, IntMember(jwk, part.member));
    if (!OSSL_PARAM_BLD_push_BN(bld.get(), part.param, bn.get())) {
      return MakeError(ErrorCode::kInternal, "OSSL_PARAM_BLD_push_BN failed");
    }
    keep.push_back(std::move(bn));
    return {};
  };
  for (const auto& part : kPublic) IDM_TRY(push(part));
  if (include_private) {
    for (const auto& part : kPrivate) IDM_TRY(push(part));
  }
  int bits = BN_num_bits(keep[0].get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits)
    return Invalid("RSA modulus must be 2048..8192 bits");
  return FromData("RSA", bld.get(), include_private);
}

Result<PkeyPtr> OkpFromJwk(const core::Json& jwk, bool include_private) {
  IDM_ASSIGN_OR_RETURN(std::string x, Member(jwk, "x"));
  if (x.size() != kEd25519KeyBytes) return Invalid("Ed25519 \"x\" must be 32 bytes");
  if (!include_private) {
    EVP_PKEY* raw = EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, Bytes(x), x.size());
    if (raw == nullptr) return Invalid("unusable Ed25519 public key: " + OpensslReason());
    return PkeyPtr(raw);
  }
  IDM_ASSIGN_OR_RETURN(std::string d, Member(jwk, "d"));
  if (d.size() != kEd25519KeyBytes) return Invalid("Ed25519 \"d\" must be 32 bytes");
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, Bytes(d), d.size()));
  OPENSSL_cleanse(d.data(), d.size());
  if (!pkey) return Invalid("unusable Ed25519 private key: " + OpensslReason());
  std::string derived(kEd25519KeyBytes, '\0');
  size_t len = derived.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), Bytes(derived), &len) != 1 || derived != x) {
    return Invalid("Ed25519 \"d\" does not match \"x\"");
  }
  return pkey;
}

}  // namespace

Result<KeyType> ParseKeyType(const core::Json& jwk) {
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string())
    return MakeError(ErrorCode::kMalformed, "JWK has no \"kty\"");
  auto crv = jwk.find("crv");
  std::string crv_name = crv != jwk.end() && crv->is_string() ? crv->get<std::string>() : "";
  const auto& name = kty->get_ref<const std::string&>();
  if (name == "RSA") return KeyType::kRsa;
  if (name == "EC" && crv_name == "P-256") return KeyType::kEc;
  if (name == "OKP" && crv_name == "Ed25519") return KeyType::kOkp;
  return MakeError(ErrorCode::kUnsupportedAlgorithm,
                   "unsupported JWK kty/crv " + name + " " + crv_name);
}

Result<PkeyPtr> PkeyFromJwk(const core::Json& jwk, KeyType kty, bool include_private) {
  Result<PkeyPtr> pkey = MakeError(ErrorCode::kInternal, "unreachable");
  switch (kty) {
    case KeyType::kEc:
      pkey = EcFromJwk(jwk, include_private);
      break;
    case KeyType::kRsa:
      pkey = RsaFromJwk(jwk, include_private);
      break;
    case KeyType::kOkp:
      pkey = OkpFromJwk(jwk, include_private);
      break;
  }
  if (!pkey) return pkey;
  IDM_TRY(ValidateKey(pkey->get(), include_private));
  return pkey;
}

Result<KeyType> KeyTypeOf(const EVP_PKEY* pkey) {
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_ED25519:
      return KeyType::kOkp;
    case EVP_PKEY_RSA: {
      int bits = EVP_PKEY_get_bits(pkey);
      if (bits < kMinRsaBits || bits > kMaxRsaBits)
        return Invalid("RSA modulus must be 2048..8192 bits");
      return KeyType::kRsa;
    }
    case EVP_PKEY_EC: {
      char group[64] = {};
      size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                         &len) != 1 ||
          std::string_view(group, len) != "prime256v1") {
        return MakeError(ErrorCode::kUnsupportedAlgorithm, "EC keys must be on P-256");
      }
      return KeyType::kEc;
    }
    default:
      return MakeError(ErrorCode::kUnsupportedAlgorithm, "unsupported key type");
  }
}

Result<core::Json> PublicMembers(const EVP_PKEY* pkey, KeyType kty) {
  core::Json m = core::Json::object();
  if (kty == KeyType::kRsa) {
    BnPtr n = GetBnParam(pkey, OSSL_PKEY_PARAM_RSA_N), e = GetBnParam(pkey, OSSL_PKEY_PARAM_RSA_E);
    if (!n || !e) return MakeError(ErrorCode::kInternal, "cannot read RSA public key");
    m = {{"kty", "RSA"},
         {"n", Base64UrlEncode(BnToBytes(n.get()))},
         {"e", Base64UrlEncode(BnToBytes(e.get()))}};
  } else if (kty == KeyType::kEc) {
    BnPtr x = GetBnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_X),
          y = GetBnParam(pkey, OSSL_PKEY_PARAM_EC_PUB_Y);
    if (!x || !y) return MakeError(ErrorCode::kInternal, "cannot read EC public key");
    m = {{"kty", "EC"},
         {"crv", "P-256"},
         {"x", Base64UrlEncode(BnToBytes(x.get(), kP256CoordinateBytes))},
         {"y", Base64UrlEncode(BnToBytes(y.get(), kP256CoordinateBytes))}};
  } else {
    std::string x(kEd25519KeyBytes, '\0');
    size_t len = x.size();
    if (EVP_PKEY_get_raw_public_key(pkey, Bytes(x), &len) != 1 || len != x.size()) {
      return MakeError(ErrorCode::kInternal, "cannot read Ed25519 public key");
    }
    m = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", Base64UrlEncode(x)}};
  }
  return m;
}

}  // namespace idm::crypto::internal
