#include "idm/crypto/secure_random.h"

#include <openssl/rand.h>

#include <climits>
#include <cstdlib>

namespace idm::crypto {

void SecureRandom::Fill(uint8_t* out, size_t n) {
  while (n > 0) {
    int chunk = n > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n);
    // RAND_bytes is thread-safe in OpenSSL 3. Without entropy nothing idm makes is safe.
    if (RAND_bytes(out, chunk) != 1) std::abort();
    out += chunk;
    n -= static_cast<size_t>(chunk);
  }
}

}  // namespace idm::crypto
