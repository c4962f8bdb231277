#include "idm/oauth/keys/key_audit.h"

namespace idm::oauth {

store::Status AppendKeyEvent(store::Transaction& tx, core::Random& random,
                             const core::OpContext& ctx, const std::string& realm_id,
                             const std::string& type, const std::string& kid,
                             const core::Json& details) {
  core::AuditEvent e;
  e.id = core::NewTimeOrderedUuid(random, ctx.now);  // audit ids grow with time
  e.realm_id = realm_id;
  e.time = ctx.now;
  e.type = type;
  e.actor = ctx.actor.empty() ? "system" : ctx.actor;
  e.resource_type = "key";
  e.resource_id = kid;
  e.details = details.dump();
  e.client_ip = ctx.client_ip;
  e.request_id = ctx.request_id;
  IDM_TRY(tx.audit().Append(e));
  return {};
}

}  // namespace idm::oauth
