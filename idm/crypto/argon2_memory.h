// Working memory for libargon2 that is kept between hashes. An Argon2id check at idm's default
// parameters fills 19 MiB; allocated fresh, every page of it is a page fault on first touch, and
// on the reference VM those faults cost more CPU than the hash itself (docs/design/025). The
// callbacks below hand libargon2 a retained buffer of the same size when one is free, so a busy
// server faults the memory in once per concurrent hash, not once per login.
//
// libargon2 wipes the memory (secure_wipe_memory) before it calls Release, so a retained buffer
// never holds password-derived blocks between hashes.
//
// Thread-safety: both callbacks are safe to call from any thread (one mutex around the free
// list; the hash itself runs outside it).
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace idm::crypto::argon2_memory {

// At most this many free buffers are kept (the hashes that can run at once on a small machine);
// a buffer of another size than the one asked for is never handed out.
inline constexpr size_t kMaxRetainedBuffers = 4;
// Buffers larger than this are returned to the system at once (an imported hash with a huge m).
inline constexpr size_t kMaxRetainedBytes = size_t{128} << 20;

// libargon2's allocate_fptr / deallocate_fptr (argon2_context::allocate_cbk / free_cbk).
int Allocate(uint8_t** memory, size_t bytes);
void Release(uint8_t* memory, size_t bytes);

struct Stats {
  uint64_t fresh_allocations = 0;  // buffers mapped from the system so far
  size_t retained_buffers = 0;     // free buffers kept now
  size_t retained_bytes = 0;
};
Stats GetStats();

// Returns every retained buffer to the system (after the first start's bootstrap hash; tests).
void ReleaseRetained();

// Returns the retained buffers that have not been handed out for `idle` or longer, so a server
// gives the memory of a burst of logins back once it is quiet (the maintenance task calls it).
// Returns how many bytes went back.
size_t ReleaseIdle(std::chrono::steady_clock::duration idle);

}  // namespace idm::crypto::argon2_memory
