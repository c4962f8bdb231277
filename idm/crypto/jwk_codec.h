// Internal to idm/crypto: conversion between JWK members (RFC 7518 §6, RFC 8037 §2) and OpenSSL 3
// EVP_PKEYs, shared by Jwk (public keys) and SigningKey (private keys).
//
// Thread-safety: free functions without shared state.
#pragma once

#include "idm/core/json.h"
#include "idm/crypto/error.h"
#include "idm/crypto/jwk.h"

namespace idm::crypto::internal {

// The key type named by a JWK's "kty" (and "crv"). kMalformed if kty is absent or not a string;
// kUnsupportedAlgorithm for a kty or crv idm does not implement.
Result<KeyType> ParseKeyType(const core::Json& jwk);

// Builds a key from the JWK's members. Public: EC x, y; RSA n, e; OKP x. With include_private,
// also d (and for RSA p, q, dp, dq, qi), checked against the public members. Fails with kMalformed
// (missing member, bad base64url) or kInvalidKey (wrong lengths, off-curve point, RSA modulus
// outside 2048..8192 bits, non-minimal integers, inconsistent private key).
Result<PkeyPtr> PkeyFromJwk(const core::Json& jwk, KeyType kty, bool include_private);

// OpenSSL's consistency checks: for public keys the point is on the curve / the RSA key is sane;
// with include_private also that the private key matches the public one. kInvalidKey otherwise.
Status ValidateKey(EVP_PKEY* pkey, bool include_private);

// The key type of an EVP_PKEY, if idm supports it (P-256, RSA 2048..8192, Ed25519); else
// kUnsupportedAlgorithm or kInvalidKey.
Result<KeyType> KeyTypeOf(const EVP_PKEY* pkey);

// The RFC 7638 §3.2 required public members of pkey ({crv, kty, x, y} / {e, kty, n} /
// {crv, kty, x}), as a JSON object (nlohmann keeps keys sorted). kInternal if OpenSSL fails.
Result<core::Json> PublicMembers(const EVP_PKEY* pkey, KeyType kty);

}  // namespace idm::crypto::internal
