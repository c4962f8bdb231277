// SigningKey: a private key that signs JWS (ES256, RS256, PS256, EdDSA; see jwk.h), as held by a
// realm. Generated here, stored as PKCS#8 DER sealed under the KEK (kek.h), loaded once and kept:
// signing never re-parses the key.
//
// Thread-safety: immutable after construction and safe to share; Sign may run on many threads at
// once (each signature takes a context of its own from the key's internally locked pool over a
// shared, read-only EVP_PKEY).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "idm/core/json.h"
#include "idm/crypto/error.h"
#include "idm/crypto/jwk.h"

namespace idm::crypto {

namespace internal {
class SignerPool;  // signature.h
}

class SigningKey {
 public:
  // A new key for alg: P-256 for ES256, RSA 2048 (e = 65537) for RS256/PS256, Ed25519 for EdDSA.
  // kid is the RFC 7638 thumbprint. Fails with kInternal only if OpenSSL fails.
  static Result<SigningKey> Generate(JwsAlg alg);
  // Where a PKCS#8 key comes from, which decides what FromPkcs8Der checks beyond parsing.
  enum class Origin {
    // From outside: OpenSSL's pairwise consistency check runs (for RSA it also tests p and q for
    // primality, ~50 ms per 2048-bit key on the reference VM).
    kExternal,
    // Bytes idm generated and sealed itself, opened with the KEK: the AEAD tag already proves
    // they are the bytes of a key made by SigningKey::Generate, so the check is not run again
    // on every key-cache load (it made 16 workers spend ~0.8 s at once; design 025).
    kSealedByIdm,
  };
  // Loads a PKCS#8 PrivateKeyInfo (RFC 5208) DER private key for alg. An empty kid means the
  // thumbprint. Fails with kInvalidKey (not PKCS#8 DER, trailing bytes, inconsistent key) or
  // kKeyMismatch (the key type does not fit alg).
  static Result<SigningKey> FromPkcs8Der(std::string_view der, JwsAlg alg, std::string kid = {},
                                         Origin origin = Origin::kExternal);
  // Loads a private JWK (RFC 7518 §6.2.2, §6.3.2 with all CRT members, RFC 8037 §2). alg defaults
  // to the JWK's "alg"; kid to its "kid", else the thumbprint. Fails with kMalformed (no alg
  // anywhere, missing private members), kInvalidKey or kKeyMismatch.
  static Result<SigningKey> FromJwk(const core::Json& jwk, std::optional<JwsAlg> alg = {});

  // The private key as PKCS#8 PrivateKeyInfo DER. Secret: seal it (Kek::Seal) before storing.
  std::string ToPkcs8Der() const;

  JwsAlg alg() const { return alg_; }
  const std::string& kid() const { return public_.kid(); }
  // The public half with kid, alg and use "sig", for the JWKS.
  const Jwk& public_jwk() const { return public_; }

  // The JWS Signature over signing_input (RFC 7515 §5.1 step 5): for ES256 the 64-byte R || S of
  // RFC 7518 §3.4, for the others the raw OpenSSL signature. Fails with kInternal only if OpenSSL
  // fails.
  Result<std::string> Sign(std::string_view signing_input) const;

 private:
  SigningKey(PkeyPtr pkey, JwsAlg alg, Jwk pub);
  static Result<SigningKey> FromPkey(PkeyPtr pkey, JwsAlg alg, std::string kid);

  PkeyPtr pkey_;
  JwsAlg alg_;
  Jwk public_;
  // Reused signing contexts over pkey_ (shared_ptr: SignerPool stays incomplete here).
  std::shared_ptr<internal::SignerPool> signer_;
};

}  // namespace idm::crypto
