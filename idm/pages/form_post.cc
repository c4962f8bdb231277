// The form_post response page. See form_post.h.
#include "idm/pages/form_post.h"

#include <cctype>

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/pages/template.h"

namespace idm::pages {
namespace {

// The only script on the page; its hash goes into the CSP, so any change here changes the hash.
constexpr std::string_view kAutoSubmitScript = "document.forms[0].submit();";

bool IsSchemeChar(char c, bool first) {
  if (std::isalpha(static_cast<unsigned char>(c))) return true;
  return !first &&
         (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.');
}

bool IsAuthorityChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
         c == '[' || c == ']' || c == '_';
}

std::string EncodePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ';' || c == ',' || c == '\'' || c == '"' || u <= 0x20 || u >= 0x7f) {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0f]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string CspSourceForUrl(std::string_view url) {
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return "";
  for (size_t i = 0; i < colon; ++i) {
    if (!IsSchemeChar(url[i], i == 0)) return "";
  }
  const std::string scheme(url.substr(0, colon + 1));
  std::string_view rest = url.substr(colon + 1);
  if (rest.substr(0, 2) != "//") return scheme;  // e.g. a private-use URI scheme (RFC 8252 §7.1)
  rest.remove_prefix(2);
  rest = rest.substr(0, rest.find_first_of("?#"));
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (authority.empty()) return "";
  for (char c : authority) {
    if (!IsAuthorityChar(c)) return "";  // includes userinfo ('@'), never valid in a redirect URI
  }
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  return scheme + "//" + std::string(authority) + EncodePath(path);
}

FormPostPage RenderFormPost(std::string_view redirect_uri,
                            const std::vector<std::pair<std::string, std::string>>& params,
                            const FormPostTexts& texts) {
  FormPostPage page;
  std::string& h = page.html;
  h += "<!DOCTYPE html>\n<html lang=\"" + HtmlEscape(texts.lang) + "\">\n<head>\n";
  h += "<meta charset=\"utf-8\">\n<meta name=\"referrer\" content=\"no-referrer\">\n";
  h += "<title>" + HtmlEscape(texts.title) + "</title>\n</head>\n<body>\n";
  h += "<form method=\"post\" action=\"" + HtmlEscape(redirect_uri) + "\">\n";
  for (const auto& [name, value] : params) {
    h += "<input type=\"hidden\" name=\"" + HtmlEscape(name) + "\" value=\"" + HtmlEscape(value) +
         "\">\n";
  }
  h += "<noscript><p>" + HtmlEscape(texts.message) + "</p><button type=\"submit\">" +
       HtmlEscape(texts.button) + "</button></noscript>\n</form>\n";
  h += "<script>" + std::string(kAutoSubmitScript) + "</script>\n</body>\n</html>\n";
  page.form_action_source = CspSourceForUrl(redirect_uri);
  page.script_source = "'sha256-" + crypto::Base64Encode(crypto::Sha256(kAutoSubmitScript)) + "'";
  return page;
}

}  // namespace idm::pages
