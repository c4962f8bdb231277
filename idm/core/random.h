// Random: the source of every unpredictable value idm makes (ids, secrets, salts, nonces).
// Injected so tests can be deterministic where they need to be (CONVENTIONS.md §6). The real one
// is crypto::SecureRandom (OpenSSL's CSPRNG); this header stays free of OpenSSL.
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace idm::core {

class Random {
 public:
  virtual ~Random() = default;
  // Fills out[0..n) with random bytes. Aborts the process if the system has no entropy: nothing
  // idm makes is safe without it.
  virtual void Fill(uint8_t* out, size_t n) = 0;

  std::string Bytes(size_t n) {
    std::string s(n, '\0');
    Fill(reinterpret_cast<uint8_t*>(s.data()), n);
    return s;
  }
};

// A new random (version 4) UUID in its canonical lower-case text form. Every stored object's id.
std::string NewUuid(Random& random);

// A new time-ordered (version 7, RFC 9562 §5.7) UUID: the 48-bit Unix time in milliseconds
// (unix_ms, clamped to [0, 2^48)), then 74 random bits, in the same text form. Ids made later
// sort after earlier ones (within a millisecond the order is random), so a B-tree index on them
// grows at its right edge instead of dirtying a random leaf page per insert. For rows that are
// written often and whose creation time is no secret: audit events, which carry their time in
// the row anyway. Objects whose id reaches users (users, clients, sessions) keep version 4.
std::string NewTimeOrderedUuid(Random& random, int64_t unix_ms);

}  // namespace idm::core
