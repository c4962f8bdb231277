// PageRenderer: renders the login, consent, error, logout and logged-out pages of a theme in a
// locale (ARCHITECTURE.md decision 8). A theme is the default templates compiled into the binary
// (idm/pages/templates) with any file of the same name in the operator's theme directory
// (`pages.theme_dir` / IDM_THEME_DIR) taking its place; extra *.html files there are available as
// partials. Every template is compiled and checked once, at Load(); rendering cannot fail.
//
// Each page template renders the page body; the result is then placed into `layout.html` as
// {{{content}}}. Besides the caller's context, every template sees:
//   lang            the locale rendered ("en", "ko")
//   msg             the message catalog of that locale (English filling gaps)
//   locales         [{code, name, current}] for language-switch links
//   stylesheet_url  where the theme's stylesheet is served
//   page_title      the localized title of the page
// Page-specific context is documented in docs/themes.md.
//
// Thread-safety: immutable after Load(); Render may run concurrently from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idm/core/json.h"
#include "idm/core/result.h"
#include "idm/pages/locale.h"
#include "idm/pages/messages.h"
#include "idm/pages/template.h"

namespace idm::pages {

enum class Page {
  kLogin,
  kConsent,
  kError,
  kLogout,
  kLoggedOut,
  kMfa,
  kMfaEnroll,
  kRecoveryCodes,
  kEmailSignIn,
  kAccountSecurity,       // the self-service security page (docs/design/023)
  kAccountRecoveryCodes,  // new recovery codes generated there, shown once
};

// The template file of a page: "login.html", "consent.html", ...
std::string_view PageFileName(Page page);

struct PageRendererOptions {
  std::string theme_dir;                              // "" = the default theme only
  std::string stylesheet_url = "/resources/idm.css";  // where Stylesheet() is served
};

class PageRenderer {
 public:
  // Loads and compiles the theme. Errors (text naming file and line): the theme directory cannot
  // be read, a template does not parse, a partial is unknown or includes itself, the message
  // catalogs are invalid.
  static core::Result<PageRenderer, std::string> Load(const PageRendererOptions& options);

  // The page as a complete HTML document. `locale` should come from ChooseLocale(); an
  // unsupported one renders in English. `context` must be an object (anything else is ignored).
  std::string Render(Page page, std::string_view locale, const core::Json& context) const;

  // The locale to render a request in (see locale.h), among the catalog's locales.
  std::string ChooseLocale(const LocaleInputs& in) const;

  // The theme's stylesheet (idm.css) to serve at stylesheet_url, as text/css.
  const std::string& Stylesheet() const { return stylesheet_; }
  const MessageCatalog& messages() const { return messages_; }

 private:
  PageRenderer(TemplateSet templates, MessageCatalog messages, std::string stylesheet,
               std::string stylesheet_url);
  core::Json PageContext(Page page, const std::string& locale, const core::Json& context) const;

  TemplateSet templates_;
  MessageCatalog messages_;
  std::string stylesheet_;
  std::string stylesheet_url_;
};

}  // namespace idm::pages
