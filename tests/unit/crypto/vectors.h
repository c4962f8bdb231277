// Loads spec test vectors checked in under tests/vectors/ (CONVENTIONS.md §12).
// Thread-safety: free functions. A missing or malformed file fails the calling test.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "idm/core/json.h"
#include "idm/crypto/encoding.h"

namespace idm::crypto::testing {

inline std::string ReadVectorFile(const std::string& name) {
  std::ifstream in(std::string(IDM_TESTS_DIR) + "/vectors/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test vector file " << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline core::Json LoadVectors(const std::string& name) {
  return core::Json::parse(ReadVectorFile(name));
}

// Hex from a vector file; an invalid hex string is a broken vector file.
inline std::string Unhex(const std::string& hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.has_value()) << "bad hex in vector file: " << hex;
  return bytes.value_or("");
}

}  // namespace idm::crypto::testing
