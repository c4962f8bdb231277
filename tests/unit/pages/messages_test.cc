// Message catalogs (idm/pages/messages.h): English fallback, validation, and the shipped catalogs.
#include "idm/pages/messages.h"

#include <gtest/gtest.h>

#include <set>

namespace idm::pages {
namespace {

using core::Json;

// Every dotted key of a catalog.
void Keys(const Json& j, const std::string& prefix, std::set<std::string>* out) {
  for (const auto& [k, v] : j.items()) {
    if (v.is_object()) {
      Keys(v, prefix + k + ".", out);
    } else {
      out->insert(prefix + k);
    }
  }
}

TEST(MessageCatalog, MissingKeysFallBackToEnglish) {
  auto c = MessageCatalog::FromFiles({{"en.json", R"({"a": {"x": "X", "y": "Y"}, "b": "B"})"},
                                      {"ko.json", R"({"a": {"x": "엑스"}})"}});
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->Text("ko", "a.x"), "엑스");
  EXPECT_EQ(c->Text("ko", "a.y"), "Y");
  EXPECT_EQ(c->Text("ko", "b"), "B");
  EXPECT_EQ(c->Text("ko", "a.nope"), "");
  EXPECT_EQ(c->Text("fr", "a.x"), "X");  // unsupported locale → English
  EXPECT_EQ(c->Messages("ko")["a"]["y"], "Y");
  EXPECT_EQ(c->Locales(), (std::vector<std::string>{"en", "ko"}));
}

TEST(MessageCatalog, RejectsInvalidCatalogs) {
  struct Case {
    std::string name;
    std::vector<core::EmbeddedFile> files;
    std::string message;
  } cases[] = {
      {"no English", {{"ko.json", "{}"}}, "en.json: missing"},
      {"bad JSON", {{"en.json", "{"}}, "en.json: invalid JSON"},
      {"array", {{"en.json", "[]"}}, "must be an object"},
      {"number leaf", {{"en.json", R"({"a": {"b": 1}})"}}, "must be a string"},
      {"file name", {{"en.txt", "{}"}}, "not a <locale>.json"},
  };
  for (const Case& c : cases) {
    auto r = MessageCatalog::FromFiles(c.files);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().find(c.message), std::string::npos) << c.name << ": " << r.error();
  }
}

TEST(MessageCatalog, ShippedCatalogsCoverTheSameKeysInEveryLocale) {
  auto c = MessageCatalog::Embedded();
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->Locales(), (std::vector<std::string>{"en", "ko"}));
  // Merged catalogs always hold the English keys; a Korean text equal to the English one would
  // mean a missing translation (language-neutral strings excepted).
  std::set<std::string> keys;
  Keys(c->Messages("en"), "", &keys);
  EXPECT_GT(keys.size(), 40u);
  for (const std::string& k : keys) {
    EXPECT_NE(c->Text("ko", k), "") << k;
    EXPECT_NE(c->Text("ko", k), c->Text("en", k)) << "untranslated: " << k;
  }
  EXPECT_EQ(c->Text("ko", "login.invalid_credentials"),
            "사용자 이름 또는 비밀번호가 올바르지 않습니다.");
}

}  // namespace
}  // namespace idm::pages
