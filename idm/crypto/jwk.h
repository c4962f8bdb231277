// JSON Web Keys (RFC 7517) for the JWS algorithms idm implements (RFC 7518 §3, RFC 8037 §3.1):
//   ES256  ECDSA P-256 + SHA-256      kty "EC",  crv "P-256"   (idm's default, ARCHITECTURE.md 5)
//   RS256  RSASSA-PKCS1-v1_5 SHA-256  kty "RSA", >= 2048 bits  (always available: OIDC Core §15.1)
//   PS256  RSASSA-PSS SHA-256         kty "RSA", >= 2048 bits
//   EdDSA  Ed25519                    kty "OKP", crv "Ed25519"
// Jwk is a public key as published in a JWKS or received from a client; JwkSet is a JWK Set.
// Key thumbprints follow RFC 7638 and are idm's default kid.
//
// Thread-safety: Jwk and JwkSet are immutable after construction and safe to share; copying a Jwk
// shares its OpenSSL key (EVP_PKEY reference count), which OpenSSL 3 allows to be used from many
// threads at once.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/json.h"
#include "idm/crypto/error.h"

namespace idm::crypto {

enum class JwsAlg { kEs256, kRs256, kPs256, kEdDsa };

// "ES256", "RS256", "PS256", "EdDSA".
std::string_view JwsAlgName(JwsAlg alg);
// The algorithm named by a JOSE "alg" value. kAlgorithmNotAllowed for "none" (RFC 7518 §3.6:
// never accepted here), kUnsupportedAlgorithm for any other name idm does not implement.
Result<JwsAlg> ParseJwsAlg(std::string_view name);

enum class KeyType { kEc, kRsa, kOkp };

struct PkeyDeleter {
  void operator()(EVP_PKEY* pkey) const;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

class Jwk {
 public:
  // Parses a public JWK (RFC 7517 §4; members per RFC 7518 §6.2.1, §6.3.1 and RFC 8037 §2).
  // Private members, if present, are ignored. Fails with kMalformed (not an object, missing or
  // non-string member, bad base64url), kUnsupportedAlgorithm (unknown kty/crv/alg) or kInvalidKey
  // (wrong coordinate length, point not on the curve, RSA modulus below 2048 bits).
  static Result<Jwk> FromJson(const core::Json& jwk);
  // Wraps a public (or private; only its public half is used) OpenSSL key of a supported type.
  // An empty kid means the RFC 7638 thumbprint. Fails like FromJson.
  static Result<Jwk> FromPkey(PkeyPtr pkey, std::optional<JwsAlg> alg, std::string kid);

  Jwk(const Jwk& other);
  Jwk& operator=(const Jwk& other);
  Jwk(Jwk&&) noexcept = default;
  Jwk& operator=(Jwk&&) noexcept = default;
  ~Jwk() = default;

  KeyType kty() const { return kty_; }
  const std::string& kid() const { return kid_; }
  std::optional<JwsAlg> alg() const { return alg_; }
  const std::string& use() const { return use_; }  // "" when the JWK had no "use"

  // The public JWK: kty, crv, x, y / n, e, plus kid, alg and use ("sig") when known. Never has
  // private members. Suitable for a JWKS endpoint.
  core::Json ToJson() const;
  // RFC 7638 §3: base64url(SHA-256(required members, sorted, no whitespace)).
  const std::string& Thumbprint() const { return thumbprint_; }
  // Ok if this key may be used with alg: kty and crv per the table above, the JWK's own "alg" (if
  // any) equal to alg, and "use" (if any) equal to "sig". Fails with kKeyMismatch otherwise.
  Status CheckFits(JwsAlg alg) const;

  // Borrowed OpenSSL key, for jws.cc and signing_key.cc.
  EVP_PKEY* pkey() const { return pkey_.get(); }

 private:
  Jwk() = default;
  PkeyPtr pkey_;
  KeyType kty_ = KeyType::kEc;
  core::Json members_;  // required public members (RFC 7638 §3.2), sorted
  std::string kid_;
  std::optional<JwsAlg> alg_;
  std::string use_;
  std::string thumbprint_;
};

// A JWK Set (RFC 7517 §5).
class JwkSet {
 public:
  JwkSet() = default;
  // Parses {"keys": [...]}. Keys of a kty, crv or alg idm does not implement, and keys with
  // missing or out-of-range members, are skipped (RFC 7517 §5 "SHOULD ignore"). Fails with
  // kMalformed only if there is no "keys" array.
  static Result<JwkSet> FromJson(const core::Json& jwks);

  void Add(Jwk key) { keys_.push_back(std::move(key)); }
  const std::vector<Jwk>& keys() const { return keys_; }
  bool empty() const { return keys_.empty(); }
  // {"keys": [public JWKs]}.
  core::Json ToJson() const;
  // The keys a JWS with this kid and alg may be verified with: with a kid, the keys of that kid
  // that fit alg; without one (empty kid), every key that fits alg. Empty if none.
  std::vector<const Jwk*> Candidates(std::string_view kid, JwsAlg alg) const;

 private:
  std::vector<Jwk> keys_;
};

}  // namespace idm::crypto
