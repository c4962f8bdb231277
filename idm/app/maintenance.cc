// The background maintenance task of `idm serve`; see maintenance.h.
#include "idm/app/maintenance.h"

#include "idm/core/log.h"
#include "idm/crypto/argon2_memory.h"
#include "idm/oauth/state_sweeper.h"

namespace idm::app {
namespace {

namespace log = core::log;

void LogFailure(const char* step, const std::string& realm, const core::ServiceError& e) {
  log::Warn("maintenance step failed", {{"step", step}, {"realm", realm}, {"error", e.detail}});
}

}  // namespace

Maintenance::Maintenance(store::Store& store, realm::RealmService& realms, oauth::KeyService& keys,
                         const core::Clock& clock, std::chrono::milliseconds interval)
    : store_(store), realms_(realms), keys_(keys), clock_(clock), interval_(interval) {}

Maintenance::~Maintenance() { Stop(); }

void Maintenance::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Maintenance::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Maintenance::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    MaintenanceReport r = RunOnce();
    if (r.rotated > 0 || r.keys_pruned > 0 || r.rows_swept > 0 || r.failures > 0) {
      log::Info("maintenance", {{"rotated", r.rotated},
                                {"keys_pruned", r.keys_pruned},
                                {"rows_swept", r.rows_swept},
                                {"failures", r.failures}});
    }
    lock.lock();
  }
}

MaintenanceReport Maintenance::RunOnce() {
  MaintenanceReport report;
  // Argon2 working memory kept since a burst of logins goes back once it has not been used for a
  // whole interval (design 025).
  crypto::argon2_memory::ReleaseIdle(interval_);
  core::UnixMillis now = clock_.NowMillis();
  core::OpContext ctx{"system", "", "", now};
  auto realms = realms_.List();
  if (!realms) {
    LogFailure("list realms", "", realms.error());
    ++report.failures;
  } else {
    for (const core::Realm& realm : *realms) {
      auto rotated = keys_.RotateIfDue(ctx, realm);
      if (rotated) {
        report.rotated += *rotated;
      } else if (rotated.error().code == core::ServiceErrorCode::kPreconditionFailed) {
        log::Info("keys rotated by another node", {{"realm", realm.name}});
      } else {
        LogFailure("rotate keys", realm.name, rotated.error());
        ++report.failures;
      }
      auto pruned = keys_.Prune(ctx, realm);
      if (pruned) {
        report.keys_pruned += *pruned;
      } else {
        LogFailure("prune keys", realm.name, pruned.error());
        ++report.failures;
      }
    }
  }
  auto swept = oauth::SweepExpiredState(store_, now);
  if (swept) {
    report.rows_swept = swept->Total();
  } else {
    LogFailure("sweep expired state", "", swept.error());
    ++report.failures;
  }
  return report;
}

}  // namespace idm::app
