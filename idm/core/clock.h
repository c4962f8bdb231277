// Clock: where "now" comes from. Injected everywhere so tests can step time (CONVENTIONS.md §6);
// read it once per request and pass the value down.
//
// Thread-safety: SystemClock and FakeClock are safe to share between threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace idm::core {

// Seconds and milliseconds since the Unix epoch, the unit of every timestamp idm stores.
using UnixSeconds = int64_t;
using UnixMillis = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis NowMillis() const = 0;
  UnixSeconds NowSeconds() const { return NowMillis() / 1000; }
};

class SystemClock final : public Clock {
 public:
  UnixMillis NowMillis() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixMillis start = 1'700'000'000'000) : now_(start) {}
  UnixMillis NowMillis() const override { return now_.load(); }
  void Advance(std::chrono::milliseconds d) { now_ += d.count(); }
  void Set(UnixMillis t) { now_ = t; }

 private:
  std::atomic<UnixMillis> now_;
};

}  // namespace idm::core
