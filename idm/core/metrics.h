// Metrics: counters, gauges and fixed-bucket histograms with labels, rendered in the Prometheus
// text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
//
// A metric family (name, help, label names) is registered once in a Registry; each label set is
// resolved once to a series handle (Counter&, Gauge&, Histogram&) that stays valid for the
// registry's lifetime. Updating a handle is lock-free (relaxed atomics), so the hot path resolves
// its labels once (or caches the handle) and then only touches atomics:
//
//   auto& requests = registry.AddCounter("idm_http_requests_total", "HTTP requests.",
//                                        {"route", "method", "status"});
//   requests.WithLabels({"/health/live", "GET", "200"}).Inc();
//
// Thread-safety: every method is safe to call concurrently. WithLabels() takes the family's mutex
// (a map lookup); series updates are atomic; Render() takes each family's mutex briefly and may
// observe a histogram mid-update (its _count is derived from its buckets, so the exposition stays
// self-consistent).
//
// Failures: metric and label names are fixed by the program, so an invalid name, a re-registration
// with another type or label names, or a label-value count that differs from the label names is a
// programming error and throws std::invalid_argument (at set-up, in practice).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace idm::core::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  void Inc() { Add(1); }
  void Dec() { Add(-1); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: strictly increasing upper bounds; the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  // Cumulative count of observations <= each bound, then the +Inf total.
  std::vector<uint64_t> CumulativeCounts() const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1 (the last is +Inf)
  std::atomic<double> sum_{0};
};

// Default latency buckets in seconds (1 ms .. 10 s), suited to request durations.
const std::vector<double>& DefaultLatencyBuckets();

enum class Type { kCounter, kGauge, kHistogram };

class Registry;

// One metric family: its name, help, type and label names, and its series. Created by Registry.
class FamilyBase {
 public:
  virtual ~FamilyBase() = default;
  // Appends the family's HELP, TYPE and sample lines.
  virtual void Render(std::string* out) const = 0;

 protected:
  friend class Registry;
  FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> labels)
      : name_(std::move(name)),
        help_(std::move(help)),
        type_(type),
        label_names_(std::move(labels)) {}
  void CheckArity(const LabelValues& values) const;
  // `{a="x",b="y"}` for these values, plus an optional extra label (histogram `le`).
  std::string LabelText(const LabelValues& values, const char* extra_name = nullptr,
                        const std::string& extra_value = "") const;
  void RenderHeader(std::string* out) const;

  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;  // histograms only
};

template <class Series>
class Family final : public FamilyBase {
 public:
  // The series for these label values (one per label name, in order), created at zero on first
  // use. The reference stays valid for the registry's lifetime. Throws std::invalid_argument when
  // the number of values differs from the number of label names.
  Series& WithLabels(const LabelValues& values);
  void Render(std::string* out) const override;

 private:
  friend class Registry;
  using FamilyBase::FamilyBase;

  mutable std::mutex mu_;
  std::map<LabelValues, std::unique_ptr<Series>> series_;  // guarded by mu_
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

class Registry {
 public:
  // Registers a family, or returns the existing one when the same name was registered before with
  // the same type and label names (so two components may share a metric).
  CounterFamily& AddCounter(const std::string& name, const std::string& help,
                            std::vector<std::string> label_names = {});
  GaugeFamily& AddGauge(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names = {});
  HistogramFamily& AddHistogram(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names,
                                std::vector<double> bounds = DefaultLatencyBuckets());

  // The exposition text of every family, sorted by name (Content-Type
  // "text/plain; version=0.0.4; charset=utf-8").
  std::string Render() const;

 private:
  FamilyBase& Add(const std::string& name, const std::string& help, Type type,
                  std::vector<std::string> label_names, std::vector<double> bounds);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<FamilyBase>> families_;  // guarded by mu_
};

inline constexpr char kExpositionContentType[] = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace idm::core::metrics
