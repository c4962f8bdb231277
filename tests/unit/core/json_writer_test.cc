// JsonWriter (idm/core/json_writer.h): JSON text written straight into a string must parse to the
// document meant, and escape strings as core::Json::dump() does.
#include "idm/core/json_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace idm::core {
namespace {

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(JsonWriter, NestedObjectsAndArraysParseToTheDocumentWritten) {
  std::string out = "prefix:";
  JsonWriter w(out);
  w.BeginObject()
      .Key("iss")
      .String("https://idm.example/realms/a")
      .Key("aud")
      .Strings(std::vector<std::string>{"x", "y"})
      .Key("iat")
      .Int(1700000000)
      .Key("empty")
      .BeginObject()
      .EndObject()
      .Key("none")
      .BeginArray()
      .EndArray()
      .Key("realm_access")
      .BeginObject()
      .Key("roles")
      .Strings(std::vector<std::string>{})
      .EndObject()
      .Key("nested")
      .BeginArray()
      .BeginObject()
      .Key("k")
      .Int(-1)
      .EndObject()
      .Int(2)
      .EndArray()
      .Key("raw")
      .Raw(R"({"a":[1,true,null]})")
      .Key("value")
      .Value(Json{{"b", "c"}})
      .EndObject();
  ASSERT_EQ(out.rfind("prefix:", 0), 0u);
  const Json expected = {
      {"iss", "https://idm.example/realms/a"},
      {"aud", {"x", "y"}},
      {"iat", 1700000000},
      {"empty", Json::object()},
      {"none", Json::array()},
      {"realm_access", {{"roles", Json::array()}}},
      {"nested", Json::array({Json{{"k", -1}}, 2})},
      {"raw", {{"a", {1, true, nullptr}}}},
      {"value", {{"b", "c"}}},
  };
  EXPECT_EQ(Json::parse(out.substr(7)), expected) << out;
}

TEST(JsonWriter, WritesTheExtremeIntegers) {
  std::string out;
  JsonWriter(out)
      .BeginArray()
      .Int(std::numeric_limits<int64_t>::min())
      .Int(0)
      .Int(std::numeric_limits<int64_t>::max())
      .EndArray();
  EXPECT_EQ(out, "[-9223372036854775808,0,9223372036854775807]");
}

TEST(JsonWriter, EscapesStringsAsJsonDumpDoes) {
  struct Case {
    const char* name;
    std::string text;
  };
  const Case cases[] = {
      {"empty", ""},
      {"plain", "client-credentials"},
      {"quote and backslash", R"(a"b\c)"},
      {"short escapes", "\b\f\n\r\t"},
      {"other C0 controls", std::string("\x00\x01\x1f", 3)},
      {"DEL and slash pass through", "\x7f/</script>"},
      {"two-, three- and four-byte UTF-8", "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"},
      {"the highest code point", "\xF4\x8F\xBF\xBF"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Quoted(c.text), Json(c.text).dump()) << c.name;
    EXPECT_EQ(Json::parse(Quoted(c.text)).get<std::string>(), c.text) << c.name;
  }
}

TEST(JsonWriter, ReplacesEachMalformedUtf8SequenceWithTheReplacementCharacter) {
  struct Case {
    const char* name;
    std::string text;
    std::string expected;  // the string the JSON text decodes to
  };
  const std::string r = "\xEF\xBF\xBD";
  const Case cases[] = {
      {"lone continuation byte", "a\x80z", "a" + r + "z"},
      {"overlong two-byte form", "\xC0\xAF", r + r},
      {"overlong three-byte form", "\xE0\x80\xAF", r + r + r},
      {"UTF-16 surrogate", "\xED\xA0\x80", r + r + r},
      {"above U+10FFFF", "\xF4\x90\x80\x80", r + r + r + r},
      {"truncated at the end", "ok\xE2\x82", "ok" + r + r},
      {"invalid lead byte", "\xFF", r},
  };
  for (const Case& c : cases) {
    const std::string json = Quoted(c.text);
    EXPECT_EQ(Json::parse(json).get<std::string>(), c.expected) << c.name;
  }
}

}  // namespace
}  // namespace idm::core
