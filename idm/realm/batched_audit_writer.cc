// Batched, asynchronous audit appends (docs/design/014, "Client-credentials audit").
#include "idm/realm/batched_audit_writer.h"

#include <algorithm>
#include <utility>

#include "idm/core/log.h"

namespace idm::realm {

BatchedAuditWriter::BatchedAuditWriter(store::Store& store, core::metrics::Registry* metrics)
    : BatchedAuditWriter(store, metrics, Options{}) {}

BatchedAuditWriter::BatchedAuditWriter(store::Store& store, core::metrics::Registry* metrics,
                                       Options options)
    : store_(store), options_(options) {
  if (metrics == nullptr) return;
  auto& dropped = metrics->AddCounter("idm_audit_events_dropped_total",
                                      "Audit events the batched writer could not store.",
                                      {"reason"});
  dropped_full_ = &dropped.WithLabels({"queue_full"});
  dropped_failed_ = &dropped.WithLabels({"write_failed"});
  dropped_stopped_ = &dropped.WithLabels({"stopped"});
  written_ = &metrics
                  ->AddCounter("idm_audit_events_written_total",
                               "Audit events appended by the batched writer.")
                  .WithLabels({});
}

BatchedAuditWriter::~BatchedAuditWriter() { Stop(); }

bool BatchedAuditWriter::Record(core::AuditEvent event) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (stopped_ || queue_.size() >= options_.capacity) {
      ++dropped_;
      core::metrics::Counter* counter = stopped_ ? dropped_stopped_ : dropped_full_;
      if (counter != nullptr) counter->Inc();
      return false;
    }
    queue_.push_back(std::move(event));
    wake = queue_.size() >= options_.max_batch;
  }
  if (wake) wake_.notify_one();
  return true;
}

void BatchedAuditWriter::CountDropped(const char* reason, uint64_t n) {
  {
    std::lock_guard lock(mu_);
    dropped_ += n;
    drops_logged_ += n;  // logged here, not again by the loop
  }
  if (dropped_failed_ != nullptr) dropped_failed_->Inc(n);
  core::log::Error("audit: events dropped", {{"reason", reason}, {"count", n}});
}

namespace {

// Appends `events` in one read-write transaction.
store::Status AppendAll(store::Store& store, const std::vector<core::AuditEvent>& events) {
  IDM_ASSIGN_OR_RETURN(auto tx, store.Begin(store::TxMode::kReadWrite));
  IDM_TRY(tx->audit().AppendMany(events));
  return tx->Commit();
}

constexpr int kAttemptsPerEvent = 3;

}  // namespace

void BatchedAuditWriter::Pop(size_t n) {
  std::lock_guard lock(mu_);
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  popped_ += n;
}

bool BatchedAuditWriter::WriteBatch() {
  std::vector<core::AuditEvent> batch;
  {
    std::lock_guard lock(mu_);
    size_t n = std::min(queue_.size(), options_.max_batch);
    batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
  }
  if (batch.empty()) return true;
  store::Status written = AppendAll(store_, batch);
  if (written) {
    Pop(batch.size());
    if (written_ != nullptr) written_->Inc(batch.size());
    return true;
  }
  core::log::Warn("audit: batch append failed", {{"error", written.error().message}});
  if (written.error().code == store::ErrorCode::kUnavailable) return false;  // retry later
  // One event the store refuses (e.g. its realm was deleted meanwhile) must not hold back the
  // others: write them one by one, and give up on an event refused kAttemptsPerEvent times.
  for (const core::AuditEvent& event : batch) {
    store::Status one;
    for (int attempt = 0; attempt < kAttemptsPerEvent; ++attempt) {
      one = AppendAll(store_, {event});
      if (one || one.error().code == store::ErrorCode::kUnavailable) break;
    }
    if (!one && one.error().code == store::ErrorCode::kUnavailable) return false;
    Pop(1);
    if (one) {
      if (written_ != nullptr) written_->Inc();
    } else {
      CountDropped("write_failed", 1);
      core::log::Error("audit: event refused by the store",
                       {{"type", event.type},
                        {"realm_id", event.realm_id},
                        {"id", event.id},
                        {"error", one.error().message}});
    }
  }
  return true;
}

bool BatchedAuditWriter::Flush() {
  std::lock_guard write_lock(write_mu_);
  uint64_t target = 0;  // popped_ once every event recorded before this call is handled
  {
    std::lock_guard lock(mu_);
    target = popped_ + queue_.size();
  }
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (popped_ >= target || queue_.empty()) return true;
    }
    if (!WriteBatch()) return false;
  }
}

void BatchedAuditWriter::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopped_) return;
  thread_ = std::thread([this] { Loop(); });
}

void BatchedAuditWriter::Loop() {
  for (;;) {
    bool stopping = false;
    uint64_t new_drops = 0;
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, options_.flush_interval,
                     [this] { return stopping_ || queue_.size() >= options_.max_batch; });
      stopping = stopping_;
      new_drops = dropped_ - drops_logged_;
      drops_logged_ = dropped_;
    }
    if (new_drops > 0) {
      core::log::Warn("audit: queue full, events dropped", {{"count", new_drops}});
    }
    if (stopping) return;
    std::lock_guard write_lock(write_mu_);
    while (queued() > 0 && WriteBatch()) {
    }
  }
}

void BatchedAuditWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  // Drain: one attempt per batch; what still cannot be written is counted and logged. The queue
  // is closed (stopped_) under the same lock that finds it empty, so no event is left behind.
  std::lock_guard write_lock(write_mu_);
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (queue_.empty()) {
        stopped_ = true;
        return;
      }
    }
    if (WriteBatch()) continue;
    size_t lost = std::min(queued(), options_.max_batch);  // only Record runs meanwhile
    Pop(lost);
    CountDropped("write_failed", lost);
  }
}

uint64_t BatchedAuditWriter::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

size_t BatchedAuditWriter::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

}  // namespace idm::realm
