// Cookies: reading the Cookie request header and building Set-Cookie response headers.
//   - Parsing follows what user agents send (RFC 6265 §5.4: "name=value" pairs joined by "; ")
//     but tolerates junk as servers must: pairs without '=' or with an empty name are skipped,
//     whitespace around names and values is trimmed, a DQUOTE-wrapped value is unwrapped
//     (RFC 6265 §4.1.1 cookie-value). Names are case-sensitive. Duplicates keep their order; user
//     agents list the cookie with the longest path first (§5.4 step 2), so lookups take the first.
//   - Set-Cookie values are built strictly (RFC 6265 §4.1.1): the name must be a token, the value
//     cookie-octets only. Attributes: Path, Max-Age (§5.2.2), HttpOnly, Secure, SameSite
//     (RFC 6265bis §4.1.2.7). Cookie name prefixes (RFC 6265bis §4.1.3): a "__Host-" cookie
//     must be Secure with Path=/ and no Domain (we never set Domain), a "__Secure-" one Secure;
//     user agents match these prefixes case-insensitively, so we do too.
//     SameSite=None requires Secure (browsers drop it otherwise).
//
// Thread-safety: free functions and value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "idm/http/error.h"

namespace idm::http {

using CookieList = std::vector<std::pair<std::string, std::string>>;

// The name/value pairs of one Cookie header value. Never fails.
CookieList ParseCookieHeader(std::string_view header);

enum class SameSite { kLax, kStrict, kNone };

struct Cookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::optional<int64_t> max_age_seconds;  // nullopt: a session cookie; 0: delete it now
  bool http_only = true;                   // not readable from scripts
  bool secure = false;                     // only sent over HTTPS
  SameSite same_site = SameSite::kLax;
};

// The Set-Cookie header value, e.g. "__Host-idm_session=abc; Path=/; Max-Age=3600; HttpOnly;
// Secure; SameSite=Lax". Errors (kInvalidArgument): an invalid name, value or path, a negative
// Max-Age, a prefix rule or the SameSite=None rule broken (see above).
Result<std::string> BuildSetCookie(const Cookie& cookie);

// `name` with the "__Host-" prefix when `secure` (RFC 6265bis §4.1.3.2: the cookie is then
// locked to this host and path "/"), else `name` unchanged: plain-HTTP development setups cannot
// set prefixed cookies.
std::string HostPrefixedName(std::string_view name, bool secure);

// A cookie that makes the user agent delete `name` (empty value, Max-Age=0); its Path and Secure
// must match those it was set with.
Cookie ExpiredCookie(std::string name, std::string path, bool secure);

// The SSO session cookie (ARCHITECTURE.md decisions 8 and 10): one per browser, an opaque random
// value whose hash the store keeps. Named "__Host-idm_session" when `secure` (the public URL is
// HTTPS, directly or behind a TLS-terminating proxy) and "idm_session" otherwise; Path=/,
// HttpOnly, SameSite=Lax — Lax, not Strict, because the cookie must come along on the top-level
// GET that a client's redirect to the authorization endpoint causes (RFC 6265bis §8.8, "Top-level
// Navigations"). `max_age_seconds` nullopt makes it a browser-session cookie.
inline constexpr std::string_view kSessionCookieName = "idm_session";
Cookie SessionCookie(std::string value, bool secure, std::optional<int64_t> max_age_seconds);
// The cookie that ends the SSO session in the browser (logout).
Cookie ExpiredSessionCookie(bool secure);

}  // namespace idm::http
