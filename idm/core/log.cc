// Logger. See log.h.
#include "idm/core/log.h"

#include <cstdio>
#include <ctime>
#include <iostream>

namespace idm::core::log {
namespace {

constexpr auto kReplace = Json::error_handler_t::replace;

bool IsReserved(std::string_view key) { return key == "level" || key == "time" || key == "msg"; }

// Text form of a field value: strings bare unless they need quoting, other values as JSON.
std::string TextValue(const Json& v) {
  if (!v.is_string()) return v.dump(-1, ' ', false, kReplace);
  const std::string& s = v.get_ref<const std::string&>();
  bool plain = !s.empty();
  for (unsigned char c : s) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) plain = false;
  }
  return plain ? s : v.dump(-1, ' ', false, kReplace);
}

std::string FormatJson(Level level, UnixMillis time, std::string_view msg, const Json& fields) {
  Json record = Json::object();
  record["level"] = LevelName(level);
  record["time"] = FormatRfc3339Millis(time);
  record["msg"] = std::string(msg);
  if (fields.is_object()) {
    for (const auto& [k, v] : fields.items()) {
      record[IsReserved(k) ? "field." + k : k] = v;
    }
  } else if (!fields.is_null()) {
    record["fields"] = fields;
  }
  return record.dump(-1, ' ', false, kReplace);
}

std::string FormatText(Level level, UnixMillis time, std::string_view msg, const Json& fields) {
  std::string line = FormatRfc3339Millis(time);
  std::string name(LevelName(level));
  for (char& c : name) c = static_cast<char>(c - 'a' + 'A');
  line += ' ' + name + ' ';
  // The message is quoted as JSON so a newline in it cannot forge a second log line.
  std::string quoted = Json(std::string(msg)).dump(-1, ' ', false, kReplace);
  line += quoted.substr(1, quoted.size() - 2);
  if (fields.is_object()) {
    for (const auto& [k, v] : fields.items()) line += ' ' + k + '=' + TextValue(v);
  } else if (!fields.is_null()) {
    line += " fields=" + TextValue(fields);
  }
  return line;
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

bool ParseLevel(std::string_view text, Level* out) {
  if (text == "debug")
    *out = Level::kDebug;
  else if (text == "info")
    *out = Level::kInfo;
  else if (text == "warn" || text == "warning")
    *out = Level::kWarn;
  else if (text == "error")
    *out = Level::kError;
  else
    return false;
  return true;
}

bool ParseFormat(std::string_view text, Format* out) {
  if (text == "json")
    *out = Format::kJson;
  else if (text == "text")
    *out = Format::kText;
  else
    return false;
  return true;
}

std::string FormatRfc3339Millis(UnixMillis t) {
  std::time_t secs = static_cast<std::time_t>(t >= 0 ? t / 1000 : (t - 999) / 1000);
  const int millis = static_cast<int>(t - static_cast<UnixMillis>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

void Logger::Configure(const Options& options) {
  std::lock_guard<std::mutex> lock(mu_);
  min_level_.store(static_cast<int>(options.min_level));
  format_.store(options.format);
  out_ = options.out;
  clock_ = options.clock;
}

std::string Logger::Format(Level level, UnixMillis time, std::string_view msg,
                           const Json& fields) const {
  return format_.load() == log::Format::kText ? FormatText(level, time, msg, fields)
                                              : FormatJson(level, time, msg, fields);
}

void Logger::Write(Level level, std::string_view msg, const Json& fields) {
  if (!Enabled(level)) return;
  try {
    static const SystemClock kSystemClock;
    std::lock_guard<std::mutex> lock(mu_);
    const Clock& clock = clock_ != nullptr ? *clock_ : kSystemClock;
    std::string line = Format(level, clock.NowMillis(), msg, fields);
    line.push_back('\n');
    std::ostream& out = out_ != nullptr ? *out_ : std::cout;
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    out.flush();
    if (!out) out.clear();  // a failing sink drops the record; the next write tries again
  } catch (...) {
    // Logging must never take the caller down (e.g. std::bad_alloc); the record is dropped.
  }
}

Logger& Default() {
  static Logger* logger = new Logger();  // never destroyed: threads may log during exit
  return *logger;
}

}  // namespace idm::core::log
