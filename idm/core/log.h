// Logging: one structured record per event, written as a JSON line (default) or as a readable text
// line to stdout (ARCHITECTURE.md decision 9). A record is a level, the time (RFC 3339, UTC,
// milliseconds), a message and a JSON object of fields:
//
//   {"level":"info","time":"2026-11-22T04:30:00.123Z","msg":"request","status":200,...}
//
//   core::log::Info("server listening", {{"port", 8080}});
//
// Fields are merged into the top level of the JSON record; a field named like a reserved key
// (level, time, msg) is written as "field.<name>" so it never hides the record's own keys.
// Callers must never pass secrets (tokens, passwords, Authorization, query strings) as fields.
//
// Configuration is set once at start (Configure) before other threads log; changing it while
// threads log is safe but records written during the change may use either setting.
//
// Thread-safety: all functions may be called from any thread; each record is written whole
// (one mutex-guarded write and flush per record). Logging never throws and never fails the
// caller: invalid UTF-8 is replaced, and a failing sink drops the record.
#pragma once

#include <atomic>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "idm/core/clock.h"
#include "idm/core/json.h"

namespace idm::core::log {

enum class Level : int { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class Format { kJson, kText };

// "debug"/"info"/"warn"/"error"; ParseLevel also accepts "warning". False if unknown.
std::string_view LevelName(Level level);
bool ParseLevel(std::string_view text, Level* out);
// "json"/"text". False if unknown.
bool ParseFormat(std::string_view text, Format* out);

struct Options {
  Level min_level = Level::kInfo;
  Format format = Format::kJson;
  std::ostream* out = nullptr;   // nullptr = std::cout; must outlive the logger's use of it
  const Clock* clock = nullptr;  // nullptr = the system clock; must outlive its use
};

class Logger {
 public:
  Logger() = default;
  explicit Logger(const Options& options) { Configure(options); }

  void Configure(const Options& options);
  bool Enabled(Level level) const {
    return static_cast<int>(level) >= min_level_.load(std::memory_order_relaxed);
  }
  // Writes one record if `level` is enabled. `fields` should be a JSON object; any other JSON
  // value is written under the key "fields".
  void Write(Level level, std::string_view msg, const Json& fields = Json::object());

  // Formats one record without writing it (used by Write; exposed for tests).
  std::string Format(Level level, UnixMillis time, std::string_view msg, const Json& fields) const;

 private:
  std::atomic<int> min_level_{static_cast<int>(Level::kInfo)};
  std::atomic<log::Format> format_{log::Format::kJson};
  std::mutex mu_;
  std::ostream* out_ = nullptr;   // guarded by mu_
  const Clock* clock_ = nullptr;  // guarded by mu_
};

// The process-wide logger the free functions write to.
Logger& Default();

inline void Debug(std::string_view msg, const Json& fields = Json::object()) {
  if (Default().Enabled(Level::kDebug)) Default().Write(Level::kDebug, msg, fields);
}
inline void Info(std::string_view msg, const Json& fields = Json::object()) {
  Default().Write(Level::kInfo, msg, fields);
}
inline void Warn(std::string_view msg, const Json& fields = Json::object()) {
  Default().Write(Level::kWarn, msg, fields);
}
inline void Error(std::string_view msg, const Json& fields = Json::object()) {
  Default().Write(Level::kError, msg, fields);
}

// RFC 3339 UTC time with milliseconds: "2026-11-22T04:30:00.123Z".
std::string FormatRfc3339Millis(UnixMillis t);

}  // namespace idm::core::log
