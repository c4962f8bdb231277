// Maintenance: the background task of `idm serve` (docs/design/015) that, every
// `maintenance_interval_s` seconds,
//   1. per realm with key_rotation_interval_s > 0: KeyService::RotateIfDue — publishes a next key
//      ahead of time and promotes it when the active key is older than the interval;
//   2. per realm: KeyService::Prune — deletes retired keys past expires_at (every token they
//      signed has expired);
//   3. oauth::SweepExpiredState — deletes expired sessions, login flows, codes, refresh tokens
//      and used jtis;
//   4. crypto::argon2_memory::ReleaseIdle — gives back Argon2 working memory unused for a whole
//      interval (design 025).
// Safe with several nodes on one PostgreSQL: rotations are conditional (KeyService::RotateIfDue)
// and sweeps are idempotent deletes. Failures are logged and retried on the next run; they never
// stop the server. The first run happens one interval after Start.
//
// Thread-safety: Start/Stop from one thread (the server's main thread); RunOnce may be called from
// any thread but not concurrently with itself.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "idm/core/clock.h"
#include "idm/oauth/keys/key_service.h"
#include "idm/realm/realm_service.h"
#include "idm/store/store.h"

namespace idm::app {

struct MaintenanceReport {
  int64_t rotated = 0;  // algs rotated, over all realms
  int64_t keys_pruned = 0;
  int64_t rows_swept = 0;
  int64_t failures = 0;  // steps that failed (logged)
};

class Maintenance {
 public:
  Maintenance(store::Store& store, realm::RealmService& realms, oauth::KeyService& keys,
              const core::Clock& clock, std::chrono::milliseconds interval);
  ~Maintenance();  // Stop()
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  // Starts the background thread.
  void Start();
  // Wakes the thread and joins it; a run in progress finishes its current step first.
  // Idempotent.
  void Stop();
  // One run of the three steps now.
  MaintenanceReport RunOnce();

 private:
  void Loop();

  store::Store& store_;
  realm::RealmService& realms_;
  oauth::KeyService& keys_;
  const core::Clock& clock_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace idm::app
