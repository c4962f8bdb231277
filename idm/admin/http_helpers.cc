// Paging, ETag and JSON response helpers; see http_helpers.h.
#include "idm/admin/http_helpers.h"

#include <charconv>

#include "idm/admin/json_fields.h"

namespace idm::admin {
namespace {

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return value;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

core::ServiceResult<store::ListQuery> ParseListQuery(const http::WebRequest& request) {
  store::ListQuery q;
  q.limit = kDefaultPageSize;
  if (auto limit = request.Query("limit")) {
    std::optional<int64_t> n = ParseInt(*limit);
    if (!n || *n < 1 || *n > kMaxPageSize) {
      return core::InvalidArgument("limit must be an integer from 1 to 1000.",
                                   {{"limit", "must be an integer from 1 to 1000"}});
    }
    q.limit = static_cast<int>(*n);
  }
  q.cursor = request.Query("cursor").value_or("");
  q.prefix = request.Query("q").value_or("");
  return q;
}

core::ServiceResult<std::string> RequiredQuery(const http::WebRequest& request,
                                               const std::string& name) {
  std::optional<std::string> value = request.Query(name);
  if (!value || value->empty()) {
    return core::InvalidArgument("The " + name + " query parameter is required.",
                                 {{name, "required"}});
  }
  return *value;
}

std::string ETag(int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

core::ServiceResult<std::optional<int64_t>> ParseIfMatch(const http::WebRequest& request) {
  std::optional<std::string> header = request.Header("If-Match");
  if (!header) return std::optional<int64_t>();
  std::string value = Trim(*header);
  if (value == "*") return std::optional<int64_t>();
  // RFC 9110 §13.1.1 compares If-Match strongly, but our ETags are weak by design (see header):
  // accept both W/"n" and "n" naming the same version.
  if (value.rfind("W/", 0) == 0) value = value.substr(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    if (auto n = ParseInt(std::string_view(value).substr(1, value.size() - 2))) {
      return std::optional<int64_t>(*n);
    }
  }
  return core::ServiceError{core::ServiceErrorCode::kPreconditionFailed,
                            "If-Match does not name a current version of this resource.",
                            {}};
}

core::ServiceStatus CheckIfMatch(const std::optional<int64_t>& if_match, int64_t current_version) {
  if (!if_match || *if_match == current_version) return {};
  return core::ServiceError{core::ServiceErrorCode::kPreconditionFailed,
                            "The resource has changed since the version named in If-Match "
                            "(current ETag " +
                                ETag(current_version) + ").",
                            {}};
}

core::ServiceResult<core::Json> JsonBody(const http::WebRequest& request) {
  const std::string type = request.ContentType();
  const bool json = type.empty() || type == "application/json" ||
                    (request.method == "PATCH" && type == "application/merge-patch+json");
  if (!json) {
    return core::InvalidArgument("The request body must be application/json.",
                                 {{"Content-Type", "unsupported media type " + type}});
  }
  return ParseJsonObject(request.body);
}

http::WebResponse JsonResponse(int status, const core::Json& body, int64_t version) {
  http::WebResponse r = http::WebResponse::Json(status, body.dump());
  if (version > 0) r.SetHeader("ETag", ETag(version));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

http::WebResponse Created(const http::WebRequest& request, const std::string& id,
                          const core::Json& body, int64_t version) {
  http::WebResponse r = JsonResponse(201, body, version);
  r.SetHeader("Location", request.path + "/" + id);
  return r;
}

http::WebResponse NoContent() {
  http::WebResponse r;
  r.status = 204;
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

core::Json ListBody(core::Json items, const std::string& next_cursor) {
  core::Json body = {{"items", std::move(items)}};
  body["next_cursor"] = next_cursor.empty() ? core::Json(nullptr) : core::Json(next_cursor);
  return body;
}

}  // namespace idm::admin
