// WebRequest / WebResponse: the HTTP-free request and response values that protocol endpoints
// take and return, so endpoints are tested without sockets. Only idm/http turns them into and out
// of cpp-httplib's types (CONVENTIONS.md: only idm/http includes httplib.h).
//
// Thread-safety: value types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "idm/core/clock.h"
#include "idm/http/cookies.h"

namespace idm::http {

// Case-insensitive header names (RFC 9110 §5.1), multiple values kept.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;
using Params = std::multimap<std::string, std::string>;

struct WebRequest {
  std::string method;  // "GET", "POST", ...
  std::string
      path;  // decoded path without the query, e.g. "/realms/master/protocol/openid-connect/token"
  Params query;  // decoded query parameters
  Headers headers;
  std::string body;
  std::string remote_addr;  // client address as seen by the server
  int remote_port = 0;      // client port as seen by the server (0 when not from a socket)
  std::string request_id;   // X-Request-Id accepted from the client or generated
  std::map<std::string, std::string> path_params;  // {name} captures of the matched route
  bool tls = false;                                // served over HTTPS directly
  core::UnixMillis received_at = 0;  // "now" for this request (read once; CONVENTIONS.md §6)

  // First value of a header / query / path parameter, nullopt if absent.
  std::optional<std::string> Header(std::string_view name) const;
  std::optional<std::string> Query(std::string_view name) const;
  std::string PathParam(const std::string& name) const;
  // Parses an application/x-www-form-urlencoded body (RFC 6749 §3.2 requests). Empty on a
  // different content type.
  Params Form() const;
  // The media type of Content-Type without parameters, lower-case ("" if absent).
  std::string ContentType() const;
  // The value of cookie `name` from the Cookie header(s) (RFC 6265 §5.4), the first when sent
  // more than once; nullopt if absent.
  std::optional<std::string> Cookie(std::string_view name) const;
};

// Decodes application/x-www-form-urlencoded text (WHATWG URL §5.1, the format of RFC 6749
// §3.2 request bodies and of query strings): pairs split on '&', name and value on the first '=',
// '+' becomes a space and %XX a byte. Empty pairs are skipped; a malformed escape ("%G1", "%4")
// is kept literally rather than rejected, as browsers do. Never fails.
Params ParseUrlEncoded(std::string_view text);

// s without leading and trailing optional whitespace (SP and HTAB; RFC 9110 §5.6.3).
std::string_view TrimOws(std::string_view s);

// Percent-decodes one component; when `plus_as_space`, '+' becomes ' '. Malformed escapes are
// kept literally.
std::string PercentDecode(std::string_view text, bool plus_as_space);

struct WebResponse {
  int status = 200;
  Headers headers;
  std::string body;

  // Replaces every value of header `name`.
  WebResponse& SetHeader(const std::string& name, std::string value);
  // Adds one more value of header `name`, keeping those present (e.g. several Set-Cookie lines,
  // which must never be folded into one: RFC 6265 §3).
  WebResponse& AddHeader(const std::string& name, std::string value);
  // Adds a Set-Cookie header for `cookie`. Errors: see BuildSetCookie(); nothing is added then.
  Status AddCookie(const http::Cookie& cookie);
  static WebResponse Json(int status, std::string body);  // application/json
  static WebResponse Text(int status, std::string body);  // text/plain; charset=utf-8
  static WebResponse Html(int status, std::string body);  // text/html; charset=utf-8
  static WebResponse Bytes(int status, std::string content_type, std::string body);
};

}  // namespace idm::http
