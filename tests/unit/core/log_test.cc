#include "idm/core/log.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>
#include <vector>

namespace idm::core::log {
namespace {

constexpr UnixMillis kT = 1'700'000'000'123;  // 2023-11-14T22:13:20.123Z

struct Fixture {
  std::ostringstream out;
  FakeClock clock{kT};
  Logger logger;
  explicit Fixture(Level level = Level::kInfo, log::Format format = log::Format::kJson) {
    logger.Configure({level, format, &out, &clock});
  }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }
};

TEST(Log, WritesOneJsonLineWithLevelTimeMessageAndFields) {
  Fixture f;
  f.logger.Write(Level::kInfo, "listening", {{"port", 8080}, {"host", "0.0.0.0"}});
  auto lines = f.Lines();
  ASSERT_EQ(lines.size(), 1u);
  Json j = Json::parse(lines[0]);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["time"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(j["msg"], "listening");
  EXPECT_EQ(j["port"], 8080);
  EXPECT_EQ(j["host"], "0.0.0.0");
}

TEST(Log, DropsRecordsBelowTheConfiguredLevel) {
  Fixture f(Level::kWarn);
  f.logger.Write(Level::kDebug, "d");
  f.logger.Write(Level::kInfo, "i");
  f.logger.Write(Level::kWarn, "w");
  f.logger.Write(Level::kError, "e");
  auto lines = f.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Json::parse(lines[0])["level"], "warn");
  EXPECT_EQ(Json::parse(lines[1])["level"], "error");
  EXPECT_FALSE(f.logger.Enabled(Level::kInfo));
}

TEST(Log, ReservedFieldNamesCannotOverrideRecordKeys) {
  Fixture f;
  f.logger.Write(Level::kError, "real", {{"msg", "forged"}, {"level", "debug"}});
  Json j = Json::parse(f.Lines().at(0));
  EXPECT_EQ(j["msg"], "real");
  EXPECT_EQ(j["level"], "error");
  EXPECT_EQ(j["field.msg"], "forged");
  EXPECT_EQ(j["field.level"], "debug");
}

TEST(Log, NewlinesInMessageCannotForgeASecondLine) {
  Fixture json;
  json.logger.Write(Level::kInfo, "a\n{\"level\":\"error\"}", {{"k", "x\ny"}});
  EXPECT_EQ(json.Lines().size(), 1u);
  Fixture text(Level::kInfo, log::Format::kText);
  text.logger.Write(Level::kInfo, "a\nb", {{"k", "x\ny"}});
  EXPECT_EQ(text.Lines().size(), 1u);
}

TEST(Log, InvalidUtf8IsReplacedNotThrown) {
  Fixture f;
  f.logger.Write(Level::kInfo, "bad \xff byte", {{"v", "\xc3"}});
  auto lines = f.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NO_THROW(Json::parse(lines[0]));
}

TEST(Log, TextFormatIsReadable) {
  Fixture f(Level::kDebug, log::Format::kText);
  f.logger.Write(Level::kDebug, "request done", {{"status", 200}, {"path", "/a b"}});
  EXPECT_EQ(f.Lines().at(0),
            "2023-11-14T22:13:20.123Z DEBUG request done path=\"/a b\" status=200");  // sorted
}

TEST(Log, ConcurrentWritersNeverInterleaveLines) {
  Fixture f;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&f, t] {
      for (int i = 0; i < 200; ++i) f.logger.Write(Level::kInfo, "m", {{"t", t}, {"i", i}});
    });
  }
  for (auto& t : threads) t.join();
  auto lines = f.Lines();
  ASSERT_EQ(lines.size(), 800u);
  for (const auto& l : lines) ASSERT_NO_THROW(Json::parse(l)) << l;
}

TEST(Log, ParsesLevelAndFormatNames) {
  Level l;
  EXPECT_TRUE(ParseLevel("warning", &l));
  EXPECT_EQ(l, Level::kWarn);
  EXPECT_TRUE(ParseLevel("debug", &l));
  EXPECT_EQ(l, Level::kDebug);
  EXPECT_FALSE(ParseLevel("verbose", &l));
  log::Format fmt;
  EXPECT_TRUE(ParseFormat("text", &fmt));
  EXPECT_EQ(fmt, log::Format::kText);
  EXPECT_FALSE(ParseFormat("xml", &fmt));
}

TEST(Log, FormatsRfc3339UtcMillis) {
  EXPECT_EQ(FormatRfc3339Millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(951'782'400'007), "2000-02-29T00:00:00.007Z");
  EXPECT_EQ(FormatRfc3339Millis(-1), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace idm::core::log
