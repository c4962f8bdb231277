// Small request/response helpers shared by every admin resource: cursor paging parameters, ETags
// and If-Match (RFC 9110 §8.8.3, §13.1.1), JSON bodies, Location on 201.
//
// ETags are weak, W/"<version>", because the representation is not byte-stable across releases
// while the version is exactly the object's update count (core/model.h).
//
// Thread-safety: free functions over values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "idm/core/json.h"
#include "idm/core/service_error.h"
#include "idm/http/web.h"
#include "idm/store/store.h"

namespace idm::admin {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// `limit` (1..1000, default 100), `cursor` and `q` (prefix) from the query string.
// InvalidArgument naming the field when limit is not an integer in range.
core::ServiceResult<store::ListQuery> ParseListQuery(const http::WebRequest& request);

// A non-empty query parameter; InvalidArgument naming it when absent or empty.
core::ServiceResult<std::string> RequiredQuery(const http::WebRequest& request,
                                               const std::string& name);

// W/"<version>".
std::string ETag(int64_t version);

// The version named by If-Match: nullopt when the header is absent or "*" (any current version).
// A value that is not one of our ETags can never match: PreconditionFailed (412).
core::ServiceResult<std::optional<int64_t>> ParseIfMatch(const http::WebRequest& request);

// Checks an If-Match value against the resource's current version: PreconditionFailed on mismatch.
core::ServiceStatus CheckIfMatch(const std::optional<int64_t>& if_match, int64_t current_version);

// The request's body as a JSON object. Requires a JSON media type (application/json, or for PATCH
// also application/merge-patch+json; an absent Content-Type is accepted as JSON). InvalidArgument
// for malformed JSON or a non-object.
core::ServiceResult<core::Json> JsonBody(const http::WebRequest& request);

// 200 (or `status`) application/json, with ETag when version > 0.
http::WebResponse JsonResponse(int status, const core::Json& body, int64_t version = 0);
// 201 with Location = request path + "/" + id, ETag when version > 0.
http::WebResponse Created(const http::WebRequest& request, const std::string& id,
                          const core::Json& body, int64_t version);
// 204 without a body.
http::WebResponse NoContent();
// {"items": [...], "next_cursor": "..." | null}.
core::Json ListBody(core::Json items, const std::string& next_cursor);

}  // namespace idm::admin
