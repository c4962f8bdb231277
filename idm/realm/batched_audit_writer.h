// BatchedAuditWriter: a core::AuditSink that appends events to the store in batches from one
// background thread (docs/design/014, "Client-credentials audit"). Record() only queues: the
// queue is bounded (Options::capacity); a full queue drops the event, counts it in
// idm_audit_events_dropped_total{reason="queue_full"} and logs a warning. The thread wakes every
// Options::flush_interval or as soon as Options::max_batch events wait, and appends up to
// max_batch events in one read-write transaction (AuditRepo::Append, so each realm's hash chain
// stays linear). While the store is unavailable the batch stays at the head of the queue and is
// retried on the next wake-up; an event the store refuses outright (its realm was deleted) is
// dropped alone after three attempts, counted with reason="write_failed" and logged. Stop()
// drains the queue; what it still cannot write is counted the same way (events recorded after
// Stop: reason="stopped").
//
//   realm::BatchedAuditWriter audit(store, &metrics);
//   audit.Start();
//   ... audit.Record(event) from request threads ...
//   audit.Stop();  // at shutdown, after the HTTP server stopped: writes what is queued
//
// Thread-safety: Record and Flush from any thread; Start and Stop from one owning thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "idm/core/audit_sink.h"
#include "idm/core/metrics.h"
#include "idm/core/model.h"
#include "idm/store/store.h"

namespace idm::realm {

class BatchedAuditWriter final : public core::AuditSink {
 public:
  struct Options {
    size_t capacity = 8192;  // queued events at most; beyond that Record drops
    size_t max_batch = 256;  // events per transaction; this many waiting wakes the thread
    std::chrono::milliseconds flush_interval{200};
  };

  // `metrics` (optional) gets idm_audit_events_dropped_total{reason} and
  // idm_audit_events_written_total. The store must outlive the writer.
  BatchedAuditWriter(store::Store& store, core::metrics::Registry* metrics);
  BatchedAuditWriter(store::Store& store, core::metrics::Registry* metrics, Options options);
  ~BatchedAuditWriter() override;  // Stop()
  BatchedAuditWriter(const BatchedAuditWriter&) = delete;
  BatchedAuditWriter& operator=(const BatchedAuditWriter&) = delete;

  // Queues the event; false (and counted) when the queue is full or the writer has stopped.
  bool Record(core::AuditEvent event) override;

  // Starts the background thread. Events recorded before Start wait in the queue.
  void Start();
  // Writes everything queued before the call; returns false when a batch could not be written
  // (it stays queued). Runs on the caller's thread, serialised with the background thread.
  bool Flush();
  // Stops the thread after draining the queue (one last attempt per batch). Idempotent; Record
  // returns false afterwards.
  void Stop();

  uint64_t dropped() const;  // events dropped so far, for any reason
  size_t queued() const;

 private:
  void Loop();
  // Appends the head of the queue (at most max_batch events) in one transaction and pops them.
  // When the store refuses the batch for another reason than kUnavailable, writes its events one
  // by one and drops (counts, logs) an event refused three times. False when the store is
  // unavailable: what is left stays queued. Caller holds write_mu_.
  bool WriteBatch();
  void Pop(size_t n);
  void CountDropped(const char* reason, uint64_t n);

  store::Store& store_;
  const Options options_;
  core::metrics::Counter* dropped_full_ = nullptr;
  core::metrics::Counter* dropped_failed_ = nullptr;
  core::metrics::Counter* dropped_stopped_ = nullptr;
  core::metrics::Counter* written_ = nullptr;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<core::AuditEvent> queue_;  // guarded by mu_
  bool stopping_ = false;               // guarded by mu_
  bool stopped_ = false;                // guarded by mu_
  uint64_t dropped_ = 0;                // guarded by mu_
  uint64_t popped_ = 0;                 // guarded by mu_: events taken off the queue, ever
  uint64_t drops_logged_ = 0;           // guarded by mu_: drops already reported in the log
  std::mutex write_mu_;                 // one batch write at a time (thread or Flush)
  std::thread thread_;
};

}  // namespace idm::realm
