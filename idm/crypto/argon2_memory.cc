#include "idm/crypto/argon2_memory.h"

#include <argon2.h>
#include <sys/mman.h>

#include <iterator>
#include <mutex>
#include <utility>
#include <vector>

namespace idm::crypto::argon2_memory {
namespace {

using Clock = std::chrono::steady_clock;

struct FreeBuffer {
  uint8_t* memory;
  size_t bytes;
  Clock::time_point returned_at;
};

struct Pool {
  std::mutex mu;
  std::vector<FreeBuffer> free;  // oldest first; guarded by mu
  uint64_t fresh = 0;            // guarded by mu
};

Pool& ThePool() {
  static Pool* pool = new Pool();  // never destroyed: hashes may run during static destruction
  return *pool;
}

uint8_t* MapFresh(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  // Argon2 reads its blocks in a data-dependent order across the whole area: with 2 MiB pages
  // the TLB covers it (a hint; the kernel may decline, and "never" THP leaves 4 KiB pages).
  madvise(p, bytes, MADV_HUGEPAGE);
  return static_cast<uint8_t*>(p);
}

}  // namespace

int Allocate(uint8_t** memory, size_t bytes) {
  Pool& pool = ThePool();
  {
    std::lock_guard lock(pool.mu);
    // The newest buffer of the size: its pages are the likeliest to be resident.
    for (auto it = pool.free.rbegin(); it != pool.free.rend(); ++it) {
      if (it->bytes == bytes) {
        *memory = it->memory;
        pool.free.erase(std::next(it).base());
        return ARGON2_OK;
      }
    }
    ++pool.fresh;
  }
  *memory = MapFresh(bytes);
  return *memory ? ARGON2_OK : ARGON2_MEMORY_ALLOCATION_ERROR;
}

void Release(uint8_t* memory, size_t bytes) {
  if (memory == nullptr) return;
  Pool& pool = ThePool();
  if (bytes > kMaxRetainedBytes) {
    munmap(memory, bytes);
    return;
  }
  FreeBuffer evicted{nullptr, 0, {}};
  {
    std::lock_guard lock(pool.mu);
    // Full: the oldest buffer goes, so a size no longer asked for (parameters changed, an
    // imported hash) does not hold a slot for ever.
    if (pool.free.size() >= kMaxRetainedBuffers) {
      evicted = pool.free.front();
      pool.free.erase(pool.free.begin());
    }
    pool.free.push_back({memory, bytes, Clock::now()});
  }
  if (evicted.memory != nullptr) munmap(evicted.memory, evicted.bytes);
}

Stats GetStats() {
  Pool& pool = ThePool();
  std::lock_guard lock(pool.mu);
  Stats s;
  s.fresh_allocations = pool.fresh;
  s.retained_buffers = pool.free.size();
  for (const FreeBuffer& b : pool.free) s.retained_bytes += b.bytes;
  return s;
}

void ReleaseRetained() { ReleaseIdle(Clock::duration::zero()); }

size_t ReleaseIdle(Clock::duration idle) {
  std::vector<FreeBuffer> take;
  const Clock::time_point cutoff = Clock::now() - idle;
  {
    Pool& pool = ThePool();
    std::lock_guard lock(pool.mu);
    std::erase_if(pool.free, [&](const FreeBuffer& b) {
      if (b.returned_at > cutoff) return false;
      take.push_back(b);
      return true;
    });
  }
  size_t bytes = 0;
  for (const FreeBuffer& b : take) {
    munmap(b.memory, b.bytes);
    bytes += b.bytes;
  }
  return bytes;
}

}  // namespace idm::crypto::argon2_memory
