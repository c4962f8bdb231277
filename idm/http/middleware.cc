// Request ids, security headers and access-log fields. See middleware.h.
#include "idm/http/middleware.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <random>

namespace idm::http {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool AllZero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

void SetIfAbsent(WebResponse& r, const char* name, const char* value) {
  if (r.headers.find(name) == r.headers.end()) r.headers.emplace(name, value);
}

}  // namespace

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> TraceIdFromTraceparent(std::string_view tp) {
  // version(2) '-' trace-id(32) '-' parent-id(16) '-' flags(2); a future version may append
  // more fields after another '-' (§3.2.4: parse the version-00 prefix).
  if (tp.size() < 55 || tp[2] != '-' || tp[35] != '-' || tp[52] != '-') return std::nullopt;
  if (tp.size() > 55 && (tp.substr(0, 2) == "00" || tp[55] != '-')) return std::nullopt;
  std::string_view version = tp.substr(0, 2), trace = tp.substr(3, 32), parent = tp.substr(36, 16),
                   flags = tp.substr(53, 2);
  if (!IsLowerHex(version) || version == "ff") return std::nullopt;
  if (!IsLowerHex(trace) || !IsLowerHex(parent) || !IsLowerHex(flags)) return std::nullopt;
  if (AllZero(trace) || AllZero(parent)) return std::nullopt;
  return std::string(trace);
}

std::string NewRequestId(core::Random* random) {
  uint8_t bytes[16];
  if (random != nullptr) {
    random->Fill(bytes, sizeof bytes);
  } else {
    thread_local std::mt19937_64 gen{(static_cast<uint64_t>(std::random_device{}()) << 32) ^
                                     std::random_device{}()};
    for (size_t i = 0; i < sizeof bytes; i += 8) {
      const uint64_t v = gen();
      for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<uint8_t>(v >> (8 * j));
    }
  }
  std::string out(32, '0');
  for (size_t i = 0; i < 16; ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0x0f];
  }
  return out;
}

std::string ChooseRequestId(const Headers& headers, core::Random* random) {
  auto it = headers.find("X-Request-Id");
  if (it != headers.end() && IsValidRequestId(it->second)) return it->second;
  it = headers.find("traceparent");
  if (it != headers.end()) {
    if (auto trace = TraceIdFromTraceparent(it->second)) return *trace;
  }
  return NewRequestId(random);
}

void ApplySecurityHeaders(WebResponse& r, bool tls) {
  SetIfAbsent(r, "X-Content-Type-Options", "nosniff");
  SetIfAbsent(r, "Referrer-Policy", "no-referrer");
  SetIfAbsent(r, "X-Frame-Options", "DENY");
  SetIfAbsent(r, "Content-Security-Policy", "frame-ancestors 'none'");
  if (tls) SetIfAbsent(r, "Strict-Transport-Security", "max-age=31536000");
}

std::string HttpDate(core::UnixMillis t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

core::Json AccessLogFields(const AccessRecord& r) {
  return core::Json{{"method", r.method},
                    {"route", r.route},
                    {"path", r.path},
                    {"status", r.status},
                    {"duration_ms", std::round(r.duration_ms * 1000) / 1000},
                    {"bytes", r.bytes},
                    {"remote_addr", r.remote_addr},
                    {"request_id", r.request_id}};
}

}  // namespace idm::http
