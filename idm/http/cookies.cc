// Cookie parsing and Set-Cookie building. See cookies.h.
#include "idm/http/cookies.h"

#include "idm/http/web.h"

namespace idm::http {
namespace {

// token (RFC 9110 §5.6.2): 1*tchar.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
    if (u >= 0x7f) return false;
  }
  return true;
}

// cookie-octet (RFC 6265 §4.1.1): %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.
bool IsCookieValue(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  }
  return true;
}

// path-value (RFC 6265 §4.1.1): any CHAR except CTLs or ';', and it must start with '/'.
bool IsPath(std::string_view s) {
  if (s.empty() || s.front() != '/') return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == ';') return false;
  }
  return true;
}

// Case-insensitive prefix test; `lower_prefix` is lower-case.
bool HasPrefix(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

Status CheckCookie(const Cookie& c) {
  if (!IsToken(c.name)) return Invalid("cookie name is not a token");
  if (!IsCookieValue(c.value)) return Invalid("cookie value has characters outside cookie-octet");
  if (!IsPath(c.path)) return Invalid("cookie path must start with '/' and hold no ';' or CTL");
  if (c.max_age_seconds && *c.max_age_seconds < 0) return Invalid("cookie Max-Age is negative");
  // User agents match the prefixes case-insensitively (RFC 6265bis §5.7 storage model).
  if (HasPrefix(c.name, "__host-") && (!c.secure || c.path != "/")) {
    return Invalid("a __Host- cookie must be Secure with Path=/");
  }
  if (HasPrefix(c.name, "__secure-") && !c.secure) {
    return Invalid("a __Secure- cookie must be Secure");
  }
  if (c.same_site == SameSite::kNone && !c.secure) {
    return Invalid("a SameSite=None cookie must be Secure");
  }
  return {};
}

}  // namespace

CookieList ParseCookieHeader(std::string_view header) {
  CookieList out;
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = TrimOws(pair.substr(0, eq));
    std::string_view value = TrimOws(pair.substr(eq + 1));
    if (name.empty()) continue;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace_back(std::string(name), std::string(value));
  }
  return out;
}

Result<std::string> BuildSetCookie(const Cookie& c) {
  IDM_TRY(CheckCookie(c));
  std::string out = c.name + "=" + c.value + "; Path=" + c.path;
  if (c.max_age_seconds) out += "; Max-Age=" + std::to_string(*c.max_age_seconds);
  if (c.http_only) out += "; HttpOnly";
  if (c.secure) out += "; Secure";
  switch (c.same_site) {
    case SameSite::kLax:
      out += "; SameSite=Lax";
      break;
    case SameSite::kStrict:
      out += "; SameSite=Strict";
      break;
    case SameSite::kNone:
      out += "; SameSite=None";
      break;
  }
  return out;
}

std::string HostPrefixedName(std::string_view name, bool secure) {
  return secure ? "__Host-" + std::string(name) : std::string(name);
}

Cookie ExpiredCookie(std::string name, std::string path, bool secure) {
  Cookie c;
  c.name = std::move(name);
  c.path = std::move(path);
  c.secure = secure;
  c.max_age_seconds = 0;
  return c;
}

Cookie SessionCookie(std::string value, bool secure, std::optional<int64_t> max_age_seconds) {
  Cookie c;
  c.name = HostPrefixedName(kSessionCookieName, secure);
  c.value = std::move(value);
  c.path = "/";
  c.max_age_seconds = max_age_seconds;
  c.http_only = true;
  c.secure = secure;
  c.same_site = SameSite::kLax;
  return c;
}

Cookie ExpiredSessionCookie(bool secure) {
  return ExpiredCookie(HostPrefixedName(kSessionCookieName, secure), "/", secure);
}

}  // namespace idm::http
