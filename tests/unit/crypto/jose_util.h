// Test helpers for JOSE tests: hand-built compact JWS with arbitrary headers, for the negative
// cases that JwsSign refuses to produce.
// Thread-safety: free functions.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

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

// A key generated once per (alg, slot) for the whole test binary: RSA generation is slow, and
// most tests only need "some key" (or a few distinct ones: use different slots).
inline const SigningKey& TestKey(JwsAlg alg, int slot = 0) {
  static std::mutex mu;
  static std::map<std::pair<JwsAlg, int>, std::unique_ptr<SigningKey>> keys;
  std::lock_guard<std::mutex> lock(mu);
  auto& key = keys[{alg, slot}];
  if (!key) key = std::make_unique<SigningKey>(MustGenerate(alg));
  return *key;
}

}  // namespace idm::crypto::testing
