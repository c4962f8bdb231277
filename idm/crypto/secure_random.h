// SecureRandom: core::Random backed by OpenSSL's CSPRNG (RAND_bytes).
// Thread-safety: safe to share.
#pragma once

#include "idm/core/random.h"

namespace idm::crypto {

class SecureRandom final : public core::Random {
 public:
  // Aborts the process if OpenSSL cannot produce random bytes.
  void Fill(uint8_t* out, size_t n) override;
};

}  // namespace idm::crypto
