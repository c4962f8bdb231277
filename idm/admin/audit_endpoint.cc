// /admin/api/v1/realms/{realm}/audit-events: the realm's audit trail (ARCHITECTURE.md decision 6)
// in sequence order. Paged by seq: `cursor` is the seq after which the page starts (the
// next_cursor of the previous page; absent for the first page) and `limit` bounds the page.
#include <charconv>

#include "idm/admin/admin_api.h"
#include "idm/admin/http_helpers.h"
#include "idm/admin/representation.h"

namespace idm::admin {
namespace {

using Result = core::ServiceResult<http::WebResponse>;

// The seq named by a cursor: "" is 0 (from the start), else a non-negative decimal.
core::ServiceResult<int64_t> AfterSeq(const std::string& cursor) {
  if (cursor.empty()) return int64_t{0};
  int64_t seq = 0;
  auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), seq);
  if (ec != std::errc() || end != cursor.data() + cursor.size() || seq < 0) {
    return core::InvalidArgument("cursor is not a cursor of this list.",
                                 {{"cursor", "not a cursor of this list"}});
  }
  return seq;
}

Result ListAuditEvents(AdminDeps& deps, const Call& call) {
  IDM_ASSIGN_OR_RETURN(store::ListQuery query, ParseListQuery(call.request));
  IDM_ASSIGN_OR_RETURN(int64_t after, AfterSeq(query.cursor));
  // One more than asked tells whether another page follows.
  const int fetch = query.limit + 1;
  IDM_ASSIGN_OR_RETURN(std::vector<core::AuditEvent> events,
                       deps.audit.List(call.Realm(), after, std::min(fetch, kMaxPageSize)));
  const bool more = static_cast<int>(events.size()) > query.limit ||
                    (fetch > kMaxPageSize && static_cast<int>(events.size()) == kMaxPageSize);
  if (static_cast<int>(events.size()) > query.limit) events.resize(query.limit);
  core::Json items = core::Json::array();
  for (const core::AuditEvent& event : events) items.push_back(AuditEventToJson(event));
  const std::string next = more && !events.empty() ? std::to_string(events.back().seq) : "";
  return JsonResponse(200, ListBody(std::move(items), next));
}

}  // namespace

std::vector<Route> AuditRoutes() {
  return {{"GET", "/realms/{realm}/audit-events", Access::kRealm, ListAuditEvents}};
}

}  // namespace idm::admin
