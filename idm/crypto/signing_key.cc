#include "idm/crypto/signing_key.h"

#include <openssl/x509.h>

#include "idm/crypto/jwk_codec.h"
#include "idm/crypto/openssl_util.h"
#include "idm/crypto/signature.h"

namespace idm::crypto {
namespace {

using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, internal::FreeWith<PKCS8_PRIV_KEY_INFO_free>>;

PkeyPtr UpRef(EVP_PKEY* pkey) { return EVP_PKEY_up_ref(pkey) == 1 ? PkeyPtr(pkey) : PkeyPtr(); }

}  // namespace

SigningKey::SigningKey(PkeyPtr pkey, JwsAlg alg, Jwk pub)
    : pkey_(std::move(pkey)),
      alg_(alg),
      public_(std::move(pub)),
      signer_(std::make_shared<internal::SignerPool>(pkey_.get(), alg)) {}

Result<SigningKey> SigningKey::FromPkey(PkeyPtr pkey, JwsAlg alg, std::string kid) {
  IDM_ASSIGN_OR_RETURN(Jwk pub, Jwk::FromPkey(UpRef(pkey.get()), alg, std::move(kid)));
  IDM_TRY(pub.CheckFits(alg));
  return SigningKey(std::move(pkey), alg, std::move(pub));
}

Result<SigningKey> SigningKey::Generate(JwsAlg alg) {
  EVP_PKEY* raw = nullptr;
  switch (alg) {
    case JwsAlg::kEs256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case JwsAlg::kRs256:
    case JwsAlg::kPs256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
      break;
    case JwsAlg::kEdDsa:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (raw == nullptr) {
    return MakeError(ErrorCode::kInternal, "key generation failed: " + internal::OpensslReason());
  }
  return FromPkey(PkeyPtr(raw), alg, {});
}

Result<SigningKey> SigningKey::FromPkcs8Der(std::string_view der, JwsAlg alg, std::string kid,
                                            Origin origin) {
  const unsigned char* p = internal::Bytes(der);
  Pkcs8Ptr info(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!info || p != internal::Bytes(der) + der.size()) {
    ERR_clear_error();
    return MakeError(ErrorCode::kInvalidKey, "not a PKCS#8 DER private key");
  }
  PkeyPtr pkey(EVP_PKCS82PKEY(info.get()));
  if (!pkey)
    return MakeError(ErrorCode::kInvalidKey, "unusable PKCS#8 key: " + internal::OpensslReason());
  auto kty = internal::KeyTypeOf(pkey.get());
  if (!kty && kty.error().code == ErrorCode::kUnsupportedAlgorithm) {
    return MakeError(ErrorCode::kKeyMismatch, kty.error().message);  // e.g. a P-384 key
  }
  if (!kty) return kty.error();
  if (origin == Origin::kExternal) {
    IDM_TRY(internal::ValidateKey(pkey.get(), /*include_private=*/true));
  }
  return FromPkey(std::move(pkey), alg, std::move(kid));
}

Result<SigningKey> SigningKey::FromJwk(const core::Json& jwk, std::optional<JwsAlg> alg) {
  if (!jwk.is_object()) return MakeError(ErrorCode::kMalformed, "JWK is not a JSON object");
  if (!alg) {
    auto it = jwk.find("alg");
    if (it == jwk.end() || !it->is_string()) {
      return MakeError(ErrorCode::kMalformed, "private JWK has no \"alg\" and none was given");
    }
    IDM_ASSIGN_OR_RETURN(alg, ParseJwsAlg(it->get<std::string>()));
  }
  auto kid_it = jwk.find("kid");
  std::string kid = kid_it != jwk.end() && kid_it->is_string() ? kid_it->get<std::string>() : "";
  IDM_ASSIGN_OR_RETURN(KeyType kty, internal::ParseKeyType(jwk));
  IDM_ASSIGN_OR_RETURN(PkeyPtr pkey, internal::PkeyFromJwk(jwk, kty, /*include_private=*/true));
  return FromPkey(std::move(pkey), *alg, std::move(kid));
}

std::string SigningKey::ToPkcs8Der() const {
  Pkcs8Ptr info(EVP_PKEY2PKCS8(pkey_.get()));
  int len = info ? i2d_PKCS8_PRIV_KEY_INFO(info.get(), nullptr) : 0;
  if (len <= 0) std::abort();  // a loaded key always encodes; failing here is a broken invariant
  std::string der(static_cast<size_t>(len), '\0');
  unsigned char* p = internal::Bytes(der);
  if (i2d_PKCS8_PRIV_KEY_INFO(info.get(), &p) != len) std::abort();
  return der;
}

Result<std::string> SigningKey::Sign(std::string_view signing_input) const {
  return signer_->Sign(signing_input);
}

}  // namespace idm::crypto
