#include "idm/crypto/argon2_memory.h"

#include <argon2.h>
#include <sys/mman.h>

#include <mutex>
#include <utility>
#include <vector>

namespace idm::crypto::argon2_memory {
namespace {

struct Pool {
  std::mutex mu;
  std::vector<std::pair<uint8_t*, size_t>> free;  // guarded by mu
  uint64_t fresh = 0;                             // guarded by mu
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
    for (auto it = pool.free.begin(); it != pool.free.end(); ++it) {
      if (it->second == bytes) {
        *memory = it->first;
        pool.free.erase(it);
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
  std::pair<uint8_t*, size_t> evicted{nullptr, 0};
  {
    std::lock_guard lock(pool.mu);
    // Full: the oldest buffer goes, so a size no longer asked for (parameters changed, an
    // imported hash) does not hold a slot for ever.
    if (pool.free.size() >= kMaxRetainedBuffers) {
      evicted = pool.free.front();
      pool.free.erase(pool.free.begin());
    }
    pool.free.emplace_back(memory, bytes);
  }
  if (evicted.first != nullptr) munmap(evicted.first, evicted.second);
}

Stats GetStats() {
  Pool& pool = ThePool();
  std::lock_guard lock(pool.mu);
  Stats s;
  s.fresh_allocations = pool.fresh;
  s.retained_buffers = pool.free.size();
  for (const auto& [p, n] : pool.free) s.retained_bytes += n;
  return s;
}

void ReleaseRetained() {
  std::vector<std::pair<uint8_t*, size_t>> take;
  {
    Pool& pool = ThePool();
    std::lock_guard lock(pool.mu);
    take.swap(pool.free);
  }
  for (auto& [p, n] : take) munmap(p, n);
}

}  // namespace idm::crypto::argon2_memory
