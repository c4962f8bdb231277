// Test helpers for JOSE tests: hand-built compact JWS with arbitrary headers, for the negative
// cases that JwsSign refuses to produce.
// Thread-safety: free functions.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "idm/crypto/encoding.h"
#include "idm/crypto/signing_key.h"

namespace idm::crypto::testing {

// BASE64URL(header_json) "." BASE64URL(payload) "." BASE64URL(key's signature over both).
inline std::string MakeJws(const SigningKey& key, const std::string& header_json,
                           const std::string& payload) {
  std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload);
  auto sig = key.Sign(input);
  EXPECT_TRUE(sig);
  return input + "." + Base64UrlEncode(sig.value_or(""));
}

inline SigningKey MustGenerate(JwsAlg alg) {
  auto key = SigningKey::Generate(alg);
  if (!key) ADD_FAILURE() << key.error().message;
  return *std::move(key);
}

}  // namespace idm::crypto::testing
