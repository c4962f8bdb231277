// See pooled_keys.h.
#include "tests/support/pooled_keys.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "idm/crypto/encoding.h"

namespace idm::testing {
namespace {

// The PKCS#8 DER of every test key, read once per process.
const std::vector<std::string>& TestRsaKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    std::ifstream in(std::string(IDM_TESTS_DIR) + "/vectors/rsa2048_test_keys.txt");
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      std::optional<std::string> der = crypto::Base64Decode(line);
      EXPECT_TRUE(der.has_value()) << "rsa2048_test_keys.txt: a line is not base64";
      if (der) out.push_back(std::move(*der));
    }
    EXPECT_FALSE(out.empty()) << "rsa2048_test_keys.txt is missing";
    return out;
  }();
  return keys;
}

}  // namespace

oauth::KeyGenerator PooledKeys() {
  struct Pool {
    std::mutex mu;
    size_t next = 0;
  };
  auto pool = std::make_shared<Pool>();
  return [pool](crypto::JwsAlg alg) -> crypto::Result<crypto::SigningKey> {
    if (alg == crypto::JwsAlg::kRs256 || alg == crypto::JwsAlg::kPs256) {
      const std::vector<std::string>& keys = TestRsaKeys();
      std::lock_guard lock(pool->mu);
      if (pool->next < keys.size())
        return crypto::SigningKey::FromPkcs8Der(keys[pool->next++], alg);
    }
    return crypto::SigningKey::Generate(alg);
  };
}

}  // namespace idm::testing
