// Metrics registry and Prometheus text exposition format 0.0.4. See metrics.h.
#include "idm/core/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace idm::core::metrics {
namespace {

bool ValidName(const std::string& name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Shortest text that reads back as `v`; +Inf/-Inf/NaN as Prometheus spells them.
std::string FormatDouble(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

// Label values escape '\', '"' and newline; HELP text escapes '\' and newline.
std::string Escape(const std::string& s, bool quote) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out.push_back(c);
  }
  return out;
}

const char* TypeName(Type t) {
  switch (t) {
    case Type::kCounter:
      return "counter";
    case Type::kGauge:
      return "gauge";
    case Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double v) {
  // le semantics: the first bucket whose upper bound is >= v; NaN counts only in +Inf.
  const size_t i = std::isnan(v)
                       ? bounds_.size()
                       : static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) -
                                             bounds_.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::CumulativeCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

const std::vector<double>& DefaultLatencyBuckets() {
  static const std::vector<double> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                               0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

void FamilyBase::CheckArity(const LabelValues& values) const {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + ": wrong number of label values");
  }
}

std::string FamilyBase::LabelText(const LabelValues& values, const char* extra_name,
                                  const std::string& extra_value) const {
  if (values.empty() && extra_name == nullptr) return "";
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += label_names_[i] + "=\"" + Escape(values[i], true) + '"';
  }
  if (extra_name != nullptr) {
    if (!values.empty()) out += ',';
    out += std::string(extra_name) + "=\"" + Escape(extra_value, true) + '"';
  }
  return out + '}';
}

void FamilyBase::RenderHeader(std::string* out) const {
  *out += "# HELP " + name_ + ' ' + Escape(help_, false) + '\n';
  *out += "# TYPE " + name_ + ' ' + TypeName(type_) + '\n';
}

template <class Series>
Series& Family<Series>::WithLabels(const LabelValues& values) {
  CheckArity(values);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = series_.find(values);
  if (it != series_.end()) return *it->second;
  std::unique_ptr<Series> series;
  if constexpr (std::is_same_v<Series, Histogram>) {
    series = std::make_unique<Histogram>(bounds_);
  } else {
    series = std::make_unique<Series>();
  }
  Series& ref = *series;
  series_.emplace(values, std::move(series));
  return ref;
}

template <class Series>
void Family<Series>::Render(std::string* out) const {
  RenderHeader(out);
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [values, series] : series_) {
    if constexpr (std::is_same_v<Series, Counter>) {
      *out += name_ + LabelText(values) + ' ' + std::to_string(series->Value()) + '\n';
    } else if constexpr (std::is_same_v<Series, Gauge>) {
      *out += name_ + LabelText(values) + ' ' + FormatDouble(series->Value()) + '\n';
    } else {
      const std::vector<uint64_t> counts = series->CumulativeCounts();
      for (size_t i = 0; i < counts.size(); ++i) {
        const std::string le = i < bounds_.size() ? FormatDouble(bounds_[i]) : "+Inf";
        *out += name_ + "_bucket" + LabelText(values, "le", le) + ' ' + std::to_string(counts[i]) +
                '\n';
      }
      *out += name_ + "_sum" + LabelText(values) + ' ' + FormatDouble(series->Sum()) + '\n';
      *out += name_ + "_count" + LabelText(values) + ' ' + std::to_string(counts.back()) + '\n';
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

FamilyBase& Registry::Add(const std::string& name, const std::string& help, Type type,
                          std::vector<std::string> label_names, std::vector<double> bounds) {
  if (!ValidName(name, true)) throw std::invalid_argument("invalid metric name: " + name);
  for (const std::string& l : label_names) {
    if (!ValidName(l, false) || l.rfind("__", 0) == 0 || l == "le") {
      throw std::invalid_argument("invalid label name for " + name + ": " + l);
    }
  }
  if (type == Type::kHistogram &&
      (bounds.empty() || !std::is_sorted(bounds.begin(), bounds.end(), std::less_equal<>()) ||
       std::isnan(bounds.back()))) {
    throw std::invalid_argument("histogram " + name + ": bounds must be strictly increasing");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) {
    FamilyBase& f = *it->second;
    if (f.type_ != type || f.label_names_ != label_names || f.bounds_ != bounds) {
      throw std::invalid_argument("metric " + name + " re-registered differently");
    }
    return f;
  }
  std::unique_ptr<FamilyBase> family;
  switch (type) {
    case Type::kCounter:
      family.reset(new CounterFamily(name, help, type, std::move(label_names)));
      break;
    case Type::kGauge:
      family.reset(new GaugeFamily(name, help, type, std::move(label_names)));
      break;
    case Type::kHistogram:
      family.reset(new HistogramFamily(name, help, type, std::move(label_names)));
      break;
  }
  family->bounds_ = std::move(bounds);
  FamilyBase& ref = *family;
  families_.emplace(name, std::move(family));
  return ref;
}

CounterFamily& Registry::AddCounter(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  return static_cast<CounterFamily&>(Add(name, help, Type::kCounter, std::move(label_names), {}));
}

GaugeFamily& Registry::AddGauge(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names) {
  return static_cast<GaugeFamily&>(Add(name, help, Type::kGauge, std::move(label_names), {}));
}

HistogramFamily& Registry::AddHistogram(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> bounds) {
  return static_cast<HistogramFamily&>(
      Add(name, help, Type::kHistogram, std::move(label_names), std::move(bounds)));
}

std::string Registry::Render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, family] : families_) family->Render(&out);
  return out;
}

}  // namespace idm::core::metrics
