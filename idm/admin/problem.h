// Problem details (RFC 9457) for the admin API: the one place where a core::ServiceError becomes an
// HTTP status and an application/problem+json body (CONVENTIONS.md §5: map errors once, at the
// edge). The body is {type, title, status, detail, instance, errors?}; `instance` is the request
// id so an operator can find the matching log line, and `errors` lists [{field, message}] for
// validation failures. `detail` comes from the service error, which services keep safe to show
// (no SQL, no secrets).
//
// Thread-safety: free functions over values.
#pragma once

#include <string>
#include <vector>

#include "idm/core/service_error.h"
#include "idm/http/web.h"

namespace idm::admin {

inline constexpr char kProblemContentType[] = "application/problem+json";

// The HTTP status a service error code maps to (RFC 9110 §15).
int StatusFor(core::ServiceErrorCode code);

// The problem+json response for a service error. Never fails.
http::WebResponse ProblemFromError(const core::ServiceError& error, const std::string& request_id);

// A problem response for a condition detected in the admin layer itself (e.g. 405, 415).
http::WebResponse Problem(int status, const std::string& detail, const std::string& request_id);

// 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3) — or without the error
// attribute when no token was sent at all (RFC 6750 §3.1: "SHOULD NOT include an error code").
http::WebResponse Unauthorized(const std::string& detail, bool token_present,
                               const std::string& request_id);

}  // namespace idm::admin
