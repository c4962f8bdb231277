// SecureRandom: core::Random backed by OpenSSL's CSPRNG (RAND_bytes).
//
// Small requests (up to kBufferedRequestMax bytes: ids, nonces, 32-byte secrets) are served from
// a per-thread buffer that one RAND_bytes call fills with kBufferSize bytes: each RAND_bytes call
// costs a few microseconds whatever its size (the CTR-DRBG re-keys after every call), and a
// token request takes two such draws (docs/design/025, decision 12). Every byte is handed out
// once and wiped from the buffer as it is. A forked child discards what its parent's thread had
// buffered (pthread_atfork), so parent and child never hand out the same bytes; OpenSSL reseeds
// its own generators in the child likewise.
//
// Thread-safety: safe to share; each thread draws from its own buffer.
#pragma once

#include <cstddef>

#include "idm/core/random.h"

namespace idm::crypto {

class SecureRandom final : public core::Random {
 public:
  static constexpr size_t kBufferSize = 512;
  static constexpr size_t kBufferedRequestMax = 64;

  SecureRandom();
  // Aborts the process if OpenSSL cannot produce random bytes.
  void Fill(uint8_t* out, size_t n) override;
};

}  // namespace idm::crypto
