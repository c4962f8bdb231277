// Shared pieces of the TOTP and HOTP factors; see otp_support.h.
#include "idm/authn/factors/otp_support.h"

#include <utility>

#include "idm/crypto/encoding.h"
#include "idm/realm/service_support.h"

namespace idm::authn::factors {

core::ServiceResult<std::vector<core::Credential>> CredentialsOfType(store::Transaction& tx,
                                                                     const std::string& realm_id,
                                                                     const std::string& user_id,
                                                                     std::string_view type) {
  auto all = tx.credentials().ListByUser(realm_id, user_id);
  if (!all) return realm::FromStoreError(all.error(), "credentials");
  std::vector<core::Credential> out;
  for (core::Credential& c : *all) {
    if (c.type == type) out.push_back(std::move(c));
  }
  return out;
}

core::ServiceResult<bool> HasConfirmedCredential(store::Transaction& tx, const std::string& realm_id,
                                                 const std::string& user_id, std::string_view type) {
  IDM_ASSIGN_OR_RETURN(auto creds, CredentialsOfType(tx, realm_id, user_id, type));
  for (const core::Credential& c : creds) {
    if (c.confirmed_at != 0) return true;
  }
  return false;
}

core::ServiceResult<std::optional<std::string>> OpenOtpSeed(const crypto::Kek& kek,
                                                            const core::Credential& c,
                                                            std::string_view kind) {
  auto sealed = crypto::Base64UrlDecode(c.secret);
  if (!sealed) return core::ServiceError{core::ServiceErrorCode::kInternal, "corrupt seed", {}};
  auto seed = kek.Open(*sealed, OtpSeedAad(c.realm_id, c.id));
  if (!seed) {
    // A seed that does not open (another KEK, a copied row) can never verify; logged, not fatal.
    realm::LogServiceFailure("credential " + c.id,
                             "the " + std::string(kind) + " seed does not open with this KEK");
    return std::optional<std::string>();
  }
  return std::optional<std::string>(std::move(*seed));
}

}  // namespace idm::authn::factors
