// Theme loading and page rendering. See page_renderer.h.
#include "idm/pages/page_renderer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace idm::embedded {
const std::vector<core::EmbeddedFile>& default_theme();
}  // namespace idm::embedded

namespace idm::pages {
namespace {

using core::Json;

constexpr std::string_view kLayout = "layout";
constexpr std::string_view kStylesheet = "idm.css";
// A theme file larger than this is a mistake, not a template.
constexpr std::uintmax_t kMaxThemeFileBytes = 1 << 20;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "login.html" → "login": templates and partials are named without the extension.
std::string Stem(std::string_view file) { return std::string(file.substr(0, file.size() - 5)); }

std::string Describe(const TemplateError& e) {
  return "theme: " + e.template_name + ".html" + (e.line > 0 ? ":" + std::to_string(e.line) : "") +
         ": " + e.message;
}

// The content of one theme file; an error naming it when it is too large or unreadable.
core::Result<std::string, std::string> ReadThemeFile(const std::filesystem::path& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  // Value and error are both strings here, so errors must be marked with core::Err.
  if (ec) return core::Err(path.string() + ": " + ec.message());
  if (size > kMaxThemeFileBytes) return core::Err(path.string() + ": larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!in) return core::Err(path.string() + ": cannot be read");
  return content.str();
}

// File name → content: the embedded default theme overlaid by the theme directory. Uses the
// error_code overloads of <filesystem> throughout: a bad directory is an error value, not a throw.
core::Result<std::map<std::string, std::string>, std::string> ThemeFiles(
    const std::string& theme_dir) {
  std::map<std::string, std::string> files;
  for (const core::EmbeddedFile& f : embedded::default_theme()) {
    files.emplace(std::string(f.path), std::string(f.content));
  }
  if (theme_dir.empty()) return files;
  std::error_code ec;
  std::filesystem::directory_iterator it(theme_dir, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec) || (!EndsWith(name, ".html") && name != kStylesheet)) {
      continue;
    }
    IDM_ASSIGN_OR_RETURN(std::string content, ReadThemeFile(it->path()));
    files.insert_or_assign(name, std::move(content));
  }
  if (ec) return "theme directory " + theme_dir + ": " + ec.message();
  return files;
}

// The scope names of the consent page as [{name, description}], described in the locale.
Json DescribeScopes(const Json& scopes, const Json& msg) {
  Json out = Json::array();
  if (!scopes.is_array()) return out;
  const Json& known = msg.contains("scopes") ? msg["scopes"] : Json::object();
  for (const Json& s : scopes) {
    if (!s.is_string()) continue;
    const std::string name = s.get<std::string>();
    auto d = known.find(name);
    const bool described = d != known.end() && d->is_string();
    out.push_back(Json{{"name", name}, {"description", described ? *d : Json(name)}});
  }
  return out;
}

// Localized title and description for the error page's `error` code; unknown codes (and any
// text the caller did not build itself) get the generic message, so nothing raw is echoed.
void DescribeError(Json& c, const Json& msg) {
  const Json errors = msg.value("errors", Json::object());
  const std::string code =
      c.value("error", Json()).is_string() ? c["error"].get<std::string>() : "";
  auto it = errors.find(code);
  if (it == errors.end() || !it->is_object()) it = errors.find("default");
  const Json texts = it != errors.end() && it->is_object() ? *it : Json::object();
  c["error_title"] = texts.value("title", "");
  c["error_description"] = texts.value("description", "");
}

}  // namespace

std::string_view PageFileName(Page page) {
  switch (page) {
    case Page::kLogin:
      return "login.html";
    case Page::kConsent:
      return "consent.html";
    case Page::kError:
      return "error.html";
    case Page::kLogout:
      return "logout.html";
    case Page::kLoggedOut:
      return "logged_out.html";
    case Page::kMfa:
      return "mfa.html";
    case Page::kMfaEnroll:
      return "mfa_enroll.html";
    case Page::kRecoveryCodes:
      return "recovery_codes.html";
    case Page::kEmailSignIn:
      return "email_signin.html";
    case Page::kAccountSecurity:
      return "account_security.html";
    case Page::kAccountRecoveryCodes:
      return "account_recovery_codes.html";
  }
  return "error.html";
}

PageRenderer::PageRenderer(TemplateSet templates, MessageCatalog messages, std::string stylesheet,
                           std::string stylesheet_url)
    : templates_(std::move(templates)),
      messages_(std::move(messages)),
      stylesheet_(std::move(stylesheet)),
      stylesheet_url_(std::move(stylesheet_url)) {}

core::Result<PageRenderer, std::string> PageRenderer::Load(const PageRendererOptions& options) {
  IDM_ASSIGN_OR_RETURN(auto files, ThemeFiles(options.theme_dir));
  IDM_ASSIGN_OR_RETURN(MessageCatalog messages, MessageCatalog::Embedded());
  TemplateSet set;
  for (const auto& [name, content] : files) {
    if (!EndsWith(name, ".html")) continue;
    auto compiled = Template::Compile(Stem(name), content);
    if (!compiled) return Describe(compiled.error());
    set.Add(std::move(*compiled));
  }
  auto valid = set.Validate();
  if (!valid) return Describe(valid.error());
  for (std::string_view required :
       {std::string_view("layout.html"), PageFileName(Page::kLogin), PageFileName(Page::kConsent),
        PageFileName(Page::kError), PageFileName(Page::kLogout), PageFileName(Page::kLoggedOut),
        PageFileName(Page::kMfa), PageFileName(Page::kMfaEnroll),
        PageFileName(Page::kRecoveryCodes), PageFileName(Page::kEmailSignIn),
        PageFileName(Page::kAccountSecurity), PageFileName(Page::kAccountRecoveryCodes)}) {
    if (!set.Contains(Stem(required))) return "theme: " + std::string(required) + " is missing";
  }
  auto css = files.find(std::string(kStylesheet));
  return PageRenderer(std::move(set), std::move(messages),
                      css == files.end() ? std::string() : css->second, options.stylesheet_url);
}

std::string PageRenderer::ChooseLocale(const LocaleInputs& in) const {
  return pages::ChooseLocale(in, messages_.Locales());
}

Json PageRenderer::PageContext(Page page, const std::string& locale, const Json& context) const {
  Json c = context.is_object() ? context : Json::object();
  const Json& msg = messages_.Messages(locale);
  c["lang"] = locale;
  c["msg"] = msg;
  c["stylesheet_url"] = stylesheet_url_;
  Json locales = Json::array();
  for (const std::string& code : messages_.Locales()) {
    locales.push_back(Json{{"code", code},
                           {"name", messages_.Text(code, "language_name")},
                           {"current", code == locale}});
  }
  c["locales"] = std::move(locales);
  static const std::map<Page, std::string> kTitleKey = {
      {Page::kLogin, "login.title"},
      {Page::kConsent, "consent.title"},
      {Page::kError, "error.title"},
      {Page::kLogout, "logout.title"},
      {Page::kLoggedOut, "logged_out.title"},
      {Page::kMfa, "mfa.title"},
      {Page::kMfaEnroll, "mfa_enroll.title"},
      {Page::kRecoveryCodes, "recovery_codes.title"},
      {Page::kEmailSignIn, "email_code.title"},
      {Page::kAccountSecurity, "account.title"},
      {Page::kAccountRecoveryCodes, "recovery_codes.title"}};
  c["page_title"] = messages_.Text(locale, kTitleKey.at(page));
  if (page == Page::kConsent) c["scopes"] = DescribeScopes(c.value("scopes", Json()), msg);
  if (page == Page::kError) {
    DescribeError(c, msg);
    c["page_title"] = c["error_title"];
  }
  return c;
}

std::string PageRenderer::Render(Page page, std::string_view locale,
                                 const core::Json& context) const {
  std::string loc(locale);
  const auto& supported = messages_.Locales();
  if (std::find(supported.begin(), supported.end(), loc) == supported.end()) loc = "en";
  Json c = PageContext(page, loc, context);
  c["content"] = templates_.Render(Stem(PageFileName(page)), c);
  return templates_.Render(kLayout, c);
}

}  // namespace idm::pages
