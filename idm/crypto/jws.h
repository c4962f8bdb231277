// JSON Web Signature (RFC 7515), compact serialization only (§7.1), with the algorithms of jwk.h.
//
// Verification is strict: the caller names the algorithms it accepts and anything else is
// refused — "none" always (RFC 7518 §3.6), HS256 and other unimplemented algorithms always, and
// any algorithm the chosen key does not fit (so an RSA public key can never be used as an HMAC
// secret, nor an RS256 key for ES256). A "crit" header is refused because idm understands no
// extension (RFC 7515 §4.1.11).
//
// Thread-safety: free functions; safe to call concurrently with shared keys.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "idm/core/json.h"
#include "idm/crypto/error.h"
#include "idm/crypto/jwk.h"
#include "idm/crypto/signing_key.h"

namespace idm::crypto {

// BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature). The protected header is
// extra_header (an object, e.g. {"typ": "at+jwt"}) with "alg" and "kid" set from key, overriding
// any given there. Fails with kMalformed if extra_header is not an object, or as SigningKey::Sign.
Result<std::string> JwsSign(const SigningKey& key, std::string_view payload,
                            const core::Json& extra_header = core::Json::object());
// As JwsSign with the protected header {"alg", "kid", "typ": typ} (typ "" leaves it out), written
// as text without building a core::Json: the form every token idm issues uses.
Result<std::string> JwsSignTyped(const SigningKey& key, std::string_view payload,
                                 std::string_view typ);

// A JWS split and decoded but NOT verified: only for choosing the key (kid, or iss in a client
// assertion) before calling JwsVerify. Never act on its payload.
struct UnverifiedJws {
  core::Json header;          // a JSON object
  std::string payload;        // decoded bytes
  std::string signing_input;  // the first two segments as received
  std::string signature;      // decoded bytes
};
// Fails with kMalformed: not three segments, bad base64url, header not a JSON object.
Result<UnverifiedJws> JwsParseUnverified(std::string_view compact);

struct VerifiedJws {
  core::Json header;
  std::string payload;
  JwsAlg alg;
  std::string kid;  // the kid of the key that verified it
};

// Verifies compact with key. Fails with kMalformed (as above, or a "crit" header, or no "alg"),
// kAlgorithmNotAllowed ("none", or alg not in allowed), kUnsupportedAlgorithm, kKeyMismatch (the
// key does not fit alg) or kBadSignature.
Result<VerifiedJws> JwsVerify(std::string_view compact, const Jwk& key,
                              std::span<const JwsAlg> allowed);
// As above with the key chosen from keys by the header's kid and alg (JwkSet::Candidates).
// Fails additionally with kKeyNotFound when no key is a candidate.
Result<VerifiedJws> JwsVerify(std::string_view compact, const JwkSet& keys,
                              std::span<const JwsAlg> allowed);

}  // namespace idm::crypto
