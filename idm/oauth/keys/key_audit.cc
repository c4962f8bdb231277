#include "idm/oauth/keys/key_audit.h"

#include "idm/realm/service_support.h"

namespace idm::oauth {

store::Status AppendKeyEvent(store::Transaction& tx, core::Random& random,
                             const core::OpContext& ctx, const std::string& realm_id,
                             const std::string& type, const std::string& kid,
                             const core::Json& details) {
  core::AuditEvent e = realm::MakeAuditEvent(ctx, random, realm_id, type, "key", kid, details);
  IDM_TRY(tx.audit().Append(e));
  return {};
}

}  // namespace idm::oauth
