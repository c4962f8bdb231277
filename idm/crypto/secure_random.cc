#include "idm/crypto/secure_random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace idm::crypto {
namespace {

void Draw(uint8_t* out, size_t n) {
  while (n > 0) {
    int chunk = n > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n);
    // RAND_bytes is thread-safe in OpenSSL 3. Without entropy nothing idm makes is safe.
    if (RAND_bytes(out, chunk) != 1) std::abort();
    out += chunk;
    n -= static_cast<size_t>(chunk);
  }
}

// Trivially constructible and destructible, so reading it needs no TLS initialisation (also in
// the fork handler below). The bytes before `next` have been handed out and wiped.
struct ThreadBuffer {
  std::array<uint8_t, SecureRandom::kBufferSize> bytes;
  size_t next;  // the first byte not yet handed out
  bool filled;  // false: empty (never filled, or discarded in a forked child)
};
thread_local ThreadBuffer t_buffer;

void DiscardInChild() {
  OPENSSL_cleanse(t_buffer.bytes.data(), t_buffer.bytes.size());
  t_buffer.filled = false;
}

}  // namespace

SecureRandom::SecureRandom() {
  static std::once_flag registered;
  std::call_once(registered, [] {
    if (pthread_atfork(nullptr, nullptr, DiscardInChild) != 0) std::abort();
  });
}

void SecureRandom::Fill(uint8_t* out, size_t n) {
  if (n > kBufferedRequestMax) return Draw(out, n);
  ThreadBuffer& b = t_buffer;
  if (!b.filled || b.bytes.size() - b.next < n) {
    Draw(b.bytes.data(), b.bytes.size());
    b.next = 0;
    b.filled = true;
  }
  uint8_t* src = b.bytes.data() + b.next;
  std::memcpy(out, src, n);
  OPENSSL_cleanse(src, n);
  b.next += n;
}

}  // namespace idm::crypto
