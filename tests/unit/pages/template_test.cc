// The logic-less template engine (idm/pages/template.h): Mustache subset, escaping, load errors.
#include "idm/pages/template.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace idm::pages {
namespace {

using core::Json;

std::string RenderOne(std::string_view source, const Json& ctx) {
  auto t = Template::Compile("t", source);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().ToString());
  if (!t.ok()) return "<compile error>";
  TemplateSet set;
  set.Add(std::move(*t));
  return set.Render("t", ctx);
}

TemplateError CompileError(std::string_view source) {
  auto t = Template::Compile("page.html", source);
  EXPECT_FALSE(t.ok()) << source;
  return t.ok() ? TemplateError{} : t.error();
}

TEST(Template, RendersTextAndVariables) {
  EXPECT_EQ(RenderOne("Hello, {{name}}!", Json{{"name", "Ann"}}), "Hello, Ann!");
  EXPECT_EQ(RenderOne("{{ name }}", Json{{"name", "spaced"}}), "spaced");
  EXPECT_EQ(RenderOne("no tags at all", Json::object()), "no tags at all");
}

TEST(Template, UnknownVariablesRenderEmpty) {
  EXPECT_EQ(RenderOne("[{{missing}}][{{a.b.c}}][{{{raw}}}]", Json{{"a", {{"x", 1}}}}), "[][][]");
}

TEST(Template, RendersScalarsAndNothingForObjectsOrNull) {
  Json ctx = {{"n", 42},           {"f", 1.5},    {"t", true},
              {"o", {{"k", "v"}}}, {"l", {1, 2}}, {"z", nullptr}};
  EXPECT_EQ(RenderOne("{{n}} {{f}} {{t}} [{{o}}] [{{l}}] [{{z}}]", ctx), "42 1.5 true [] [] []");
}

TEST(Template, EscapesEveryHtmlSignificantCharacter) {
  EXPECT_EQ(RenderOne("{{v}}", Json{{"v", "& < > \" ' ` ="}}),
            "&amp; &lt; &gt; &quot; &#39; &#96; &#61;");
}

TEST(Template, EscapedValuesCannotBreakOutOfTextOrAttributes) {
  const std::vector<std::string> payloads = {
      "<script>alert(1)</script>",
      "\"><script>alert(1)</script>",
      "' onmouseover='alert(1)",
      "\" autofocus onfocus=\"alert(1)",
      "` onload=`alert(1)",
      "</textarea><img src=x onerror=alert(1)>",
      "{{evil}}",
  };
  for (const std::string& p : payloads) {
    const std::string html = RenderOne("<input value=\"{{v}}\" title='{{v}}'><p>{{v}}</p>",
                                       Json{{"v", p}, {"evil", "X"}});
    EXPECT_EQ(html.find('<', 1), html.find("<p>")) << p;  // no new element before <p>
    EXPECT_EQ(html.find("<script"), std::string::npos) << p;
    EXPECT_EQ(html.find("<img"), std::string::npos) << p;
    // Exactly the template's own quotes remain: value's "..." and title's '...'.
    EXPECT_EQ(std::count(html.begin(), html.end(), '"'), 2) << p;
    EXPECT_EQ(std::count(html.begin(), html.end(), '\''), 2) << p;
    EXPECT_EQ(html.find("X"), std::string::npos) << p << ": a value is never re-parsed as a tag";
  }
}

TEST(Template, TripleAndAmpersandTagsAreRaw) {
  Json ctx = {{"html", "<b>bold</b>"}};
  EXPECT_EQ(RenderOne("{{{html}}}|{{& html}}|{{html}}", ctx),
            "<b>bold</b>|<b>bold</b>|&lt;b&gt;bold&lt;/b&gt;");
}

TEST(Template, SectionsIterateArraysWithTheElementOnTheStack) {
  Json ctx = {{"items", {{{"n", "a"}}, {{"n", "b"}}}}, {"sep", ","}};
  EXPECT_EQ(RenderOne("{{#items}}{{n}}{{sep}}{{/items}}", ctx), "a,b,");
  EXPECT_EQ(RenderOne("{{#list}}<{{.}}>{{/list}}", Json{{"list", {"x", "<y>"}}}), "<x><&lt;y&gt;>");
}

TEST(Template, SectionsRenderOnceForTruthyValuesAndNeverForFalsyOnes) {
  Json ctx = {{"yes", true},           {"no", false},         {"empty", ""}, {"nil", nullptr},
              {"none", Json::array()}, {"obj", {{"k", "v"}}}, {"str", "s"},  {"zero", 0}};
  EXPECT_EQ(RenderOne("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#empty}}E{{/empty}}{{#nil}}0{{/nil}}"
                      "{{#none}}L{{/none}}{{#missing}}M{{/missing}}",
                      ctx),
            "Y");
  EXPECT_EQ(RenderOne("{{#obj}}{{k}}{{/obj}}{{#str}}[{{.}}]{{/str}}{{#zero}}z{{/zero}}", ctx),
            "v[s]z");
}

TEST(Template, InvertedSectionsRenderForFalsyValuesOnly) {
  Json ctx = {{"yes", true}, {"none", Json::array()}};
  EXPECT_EQ(RenderOne("{{^yes}}A{{/yes}}{{^none}}B{{/none}}{{^missing}}C{{/missing}}", ctx), "BC");
}

TEST(Template, DottedNamesResolveTheFirstSegmentThroughTheStackOnly) {
  Json ctx = {{"msg", {{"login", {{"title", "Sign in"}}}}}, {"items", {{{"msg", "inner"}}}}};
  EXPECT_EQ(RenderOne("{{msg.login.title}}", ctx), "Sign in");
  // Inside the section, "msg" is found in the element first; it has no .login, so empty.
  EXPECT_EQ(RenderOne("{{#items}}[{{msg.login.title}}]{{msg}}{{/items}}", ctx), "[]inner");
  EXPECT_EQ(RenderOne("{{#msg.login}}{{title}}{{/msg.login}}", ctx), "Sign in");
}

TEST(Template, OuterNamesAreVisibleInsideSections) {
  Json ctx = {{"flow_id", "f1"}, {"locales", {{{"code", "en"}}, {{"code", "ko"}}}}};
  EXPECT_EQ(RenderOne("{{#locales}}{{code}}:{{flow_id}} {{/locales}}", ctx), "en:f1 ko:f1 ");
}

TEST(Template, CommentsAreDropped) {
  EXPECT_EQ(RenderOne("a{{! a comment with }} inside? }}b", Json::object()), "a inside? }}b");
  EXPECT_EQ(RenderOne("a{{!x}}b", Json::object()), "ab");
}

TEST(Template, PartialsRenderWithTheCurrentContext) {
  TemplateSet set;
  set.Add(*Template::Compile("item", "<li>{{name}}</li>"));
  set.Add(*Template::Compile("page", "<ul>{{#items}}{{> item}}{{/items}}</ul>"));
  ASSERT_TRUE(set.Validate().ok());
  EXPECT_EQ(set.Render("page", Json{{"items", {{{"name", "<a>"}}, {{"name", "b"}}}}}),
            "<ul><li>&lt;a&gt;</li><li>b</li></ul>");
}

TEST(Template, ValidateRejectsUnknownPartials) {
  TemplateSet set;
  set.Add(*Template::Compile("page", "{{> footer}}"));
  auto r = set.Validate();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().template_name, "page");
  EXPECT_NE(r.error().message.find("unknown partial 'footer'"), std::string::npos);
}

TEST(Template, ValidateRejectsPartialCycles) {
  TemplateSet set;
  set.Add(*Template::Compile("a", "{{> b}}"));
  set.Add(*Template::Compile("b", "{{#x}}{{> a}}{{/x}}"));
  auto r = set.Validate();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("includes itself"), std::string::npos) << r.error().message;
  TemplateSet self;
  self.Add(*Template::Compile("s", "{{> s}}"));
  EXPECT_FALSE(self.Validate().ok());
}

TEST(Template, UnknownTemplateRendersEmpty) {
  TemplateSet set;
  EXPECT_EQ(set.Render("nope", Json::object()), "");
  EXPECT_FALSE(set.Contains("nope"));
}

TEST(Template, UnclosedSectionIsAnErrorAtItsOpeningLine) {
  TemplateError e = CompileError("line1\n<ul>\n{{#scopes}}\n<li>{{.}}</li>\n</ul>\n");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.ToString(), "page.html:3: unclosed section 'scopes'");
}

TEST(Template, MismatchedCloseIsAnErrorNamingBothSections) {
  TemplateError e = CompileError("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}");
  EXPECT_EQ(e.line, 3);
  EXPECT_NE(e.message.find("'a' does not match section 'b' opened on line 2"), std::string::npos)
      << e.message;
}

TEST(Template, CloseWithoutOpenIsAnError) {
  TemplateError e = CompileError("text\n\n{{/x}}");
  EXPECT_EQ(e.line, 3);
  EXPECT_NE(e.message.find("without an open section"), std::string::npos);
}

TEST(Template, MalformedTagsAreErrorsWithLineNumbers) {
  struct Case {
    std::string name, source, message;
    int line;
  } cases[] = {
      {"unterminated", "a\nb {{name", "unterminated tag", 2},
      {"unterminated triple", "{{{raw}}", "unterminated tag", 1},
      {"empty", "\n\n{{ }}", "empty tag name", 3},
      {"empty section", "{{#}}", "empty tag name", 1},
      {"bad name", "{{a b}}", "invalid name", 1},
      {"double dot", "{{a..b}}", "invalid name", 1},
      {"set delimiters", "{{=<% %>=}}", "set-delimiter", 1},
      {"line after multi-line tag", "{{!\n\n}}\n{{/x}}", "without an open section", 4},
  };
  for (const Case& c : cases) {
    TemplateError e = CompileError(c.source);
    EXPECT_EQ(e.line, c.line) << c.name;
    EXPECT_NE(e.message.find(c.message), std::string::npos) << c.name << ": " << e.message;
  }
}

TEST(Template, ListsPartialsAtAnyDepth) {
  auto t = Template::Compile("t", "{{> a}}{{#x}}{{^y}}{{> b}}{{/y}}{{/x}}{{> a}}");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Partials(), (std::vector<std::string>{"a", "b"}));
}

TEST(HtmlEscape, LeavesSafeTextAndUtf8Alone) {
  EXPECT_EQ(HtmlEscape("로그인 ok/.-_"), "로그인 ok/.-_");
  EXPECT_EQ(HtmlEscape(""), "");
}

}  // namespace
}  // namespace idm::pages
