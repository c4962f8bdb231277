// The per-request policies the server applies around every endpoint, kept free of cpp-httplib
// so they can be tested as plain functions:
//  - request ids: accept a client's X-Request-Id or W3C traceparent trace id, else make one;
//  - security headers on every response;
//  - the access-log record of one request.
//
// Thread-safety: free functions; NewRequestId is safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "idm/core/json.h"
#include "idm/core/random.h"
#include "idm/http/web.h"

namespace idm::http {

// True for 1-128 characters of [A-Za-z0-9._-]: what idm accepts as a client's X-Request-Id
// (anything else could inject into logs or headers, so it is replaced, not escaped).
bool IsValidRequestId(std::string_view id);

// The trace id of a W3C Trace Context `traceparent` header (https://www.w3.org/TR/trace-context/
// §3.2): "00-<32 lower-hex trace-id>-<16 lower-hex parent-id>-<2 hex flags>". nullopt when the
// header is malformed, uses version ff, or has an all-zero trace or parent id.
std::optional<std::string> TraceIdFromTraceparent(std::string_view traceparent);

// A new request id: 32 lower-case hex characters (128 random bits, the shape of a trace id).
// Uses `random` when given, else a per-thread generator seeded from std::random_device.
std::string NewRequestId(core::Random* random);

// The request id for a request: a valid X-Request-Id, else a valid traceparent's trace id, else a
// new one.
std::string ChooseRequestId(const Headers& headers, core::Random* random);

// Adds the headers every idm response carries unless the endpoint already set them:
// X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer, X-Frame-Options: DENY,
// Content-Security-Policy: frame-ancestors 'none' (an endpoint may set a fuller policy), and, when
// `tls`, Strict-Transport-Security (RFC 6797) for one year.
void ApplySecurityHeaders(WebResponse& response, bool tls);

// An HTTP-date (RFC 9110 §5.6.7, IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT". The server sends
// it as the Date header (§6.6.1: an origin server with a clock must).
std::string HttpDate(core::UnixMillis t);

// One access-log record (fields of the "http_request" log line). `path` must not contain the
// query string: queries carry codes, tokens and PII.
struct AccessRecord {
  std::string method;
  std::string route;  // the matched pattern, or "unmatched"
  std::string path;
  int status = 0;
  double duration_ms = 0;
  uint64_t bytes = 0;  // response body bytes
  std::string remote_addr;
  std::string request_id;
};
core::Json AccessLogFields(const AccessRecord& record);

}  // namespace idm::http
