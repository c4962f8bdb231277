// DirectoryCache: an in-process cache of directory objects (realms, clients, service-account
// subjects) for the hot protocol paths, so a token request that changes nothing does not read
// the same rows from the database on every call (docs/design/021-hot-path-caches.md).
//
// An entry is used only while both hold:
//   - the store's DirectoryGeneration() is the value read *before* the entry was loaded: any
//     write transaction of this process that used a directory repository and committed since
//     makes it stale, so a change made here (admin API, CLI in-process, registration) is seen by
//     the very next request;
//   - it is younger than max_age: a change committed by another node or process is seen within
//     max_age (ARCHITECTURE.md decision 3: caches carry a TTL).
// Only successes and kNotFound are kept; any other error is returned and not cached. The map is
// bounded: when full it is cleared (a burst of distinct keys costs reloads, never memory).
//
// Thread-safety: Get is safe to call concurrently; the loader runs outside the lock, so two
// threads missing the same key may both load it (the later result wins).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "idm/core/service_error.h"
#include "idm/store/store.h"

namespace idm::realm {

// How stale a directory object changed by another node may look here.
inline constexpr std::chrono::milliseconds kDirectoryCacheMaxAge{1000};

template <class V>
class DirectoryCache {
 public:
  using Loader = std::function<core::ServiceResult<V>()>;

  explicit DirectoryCache(const store::Store& store,
                          std::chrono::milliseconds max_age = kDirectoryCacheMaxAge,
                          size_t max_entries = 4096)
      : store_(store), max_age_(max_age), max_entries_(max_entries) {}

  core::ServiceResult<V> Get(const std::string& key, const Loader& load) {
    const uint64_t generation = store_.DirectoryGeneration();
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = entries_.find(key);
      if (it != entries_.end() && it->second.generation == generation &&
          now - it->second.loaded_at < max_age_) {
        return it->second.value;
      }
    }
    core::ServiceResult<V> loaded = load();
    if (loaded || loaded.error().code == core::ServiceErrorCode::kNotFound) {
      std::lock_guard<std::mutex> lock(mu_);
      if (entries_.size() >= max_entries_) entries_.clear();
      entries_.insert_or_assign(key, Entry{loaded, generation, now});
    }
    return loaded;
  }

 private:
  struct Entry {
    core::ServiceResult<V> value;
    uint64_t generation;
    std::chrono::steady_clock::time_point loaded_at;
  };

  const store::Store& store_;
  const std::chrono::milliseconds max_age_;
  const size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace idm::realm
