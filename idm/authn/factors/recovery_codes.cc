// Recovery codes; see recovery_codes.h.
#include "idm/authn/factors/recovery_codes.h"

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/crypto/totp.h"
#include "idm/realm/service_support.h"

namespace idm::authn::factors {
namespace {

using realm::FromStoreError;
using realm::WriteAuditEvent;

constexpr size_t kCodeBytes = 10;  // 80 bits -> 16 base32 characters

// Lower case without spaces and dashes.
std::string NormaliseRecoveryCode(const std::string& typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string Grouped(const std::string& code) {
  std::string out;
  for (size_t i = 0; i < code.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(code[i]);
  }
  return out;
}

}  // namespace

std::string RecoveryCodeFactor::Hash(const std::string& typed) const {
  return "hmac-sha256:" +
         crypto::HexEncode(crypto::HmacSha256(hash_key_, NormaliseRecoveryCode(typed)));
}

core::ServiceResult<bool> RecoveryCodeFactor::Has(store::Transaction& tx,
                                                  const std::string& realm_id,
                                                  const std::string& user_id) const {
  auto codes = tx.recovery_codes().ListByUser(realm_id, user_id);
  if (!codes) return FromStoreError(codes.error(), "recovery codes");
  for (const core::RecoveryCode& c : *codes) {
    if (c.used_at == 0) return true;
  }
  return false;
}

core::ServiceResult<bool> RecoveryCodeFactor::Verify(store::Transaction& tx,
                                                     const core::OpContext& ctx,
                                                     const core::Realm& realm,
                                                     const core::User& user,
                                                     const std::string& input) const {
  if (NormaliseRecoveryCode(input).size() != 16) return false;
  auto used = tx.recovery_codes().Use(realm.id, user.id, Hash(input), ctx.now);
  if (!used) return FromStoreError(used.error(), "recovery codes");
  if (!*used) return false;
  IDM_ASSIGN_OR_RETURN(bool left, Has(tx, realm.id, user.id));
  IDM_TRY(WriteAuditEvent(tx, ctx, random_, realm.id, "RecoveryCodeUsed", "user", user.id,
                          {{"username", user.username}, {"codes_left", left}}));
  return true;
}

core::ServiceResult<int64_t> RecoveryCodeFactor::Remove(store::Transaction& tx,
                                                        const std::string& realm_id,
                                                        const std::string& user_id) const {
  auto n = tx.recovery_codes().DeleteByUser(realm_id, user_id);
  if (!n) return FromStoreError(n.error(), "recovery codes");
  return *n;
}

core::ServiceResult<std::vector<std::string>> RecoveryCodeFactor::Generate(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::User& user) const {
  std::vector<std::string> shown;
  std::vector<core::RecoveryCode> stored;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    const std::string code = NormaliseRecoveryCode(crypto::Base32Encode(random_.Bytes(kCodeBytes)));
    shown.push_back(Grouped(code));
    stored.push_back({Hash(code), realm.id, user.id, ctx.now, 0});
  }
  if (auto r = tx.recovery_codes().Replace(realm.id, user.id, stored); !r) {
    return FromStoreError(r.error(), "recovery codes");
  }
  IDM_TRY(WriteAuditEvent(tx, ctx, random_, realm.id, "RecoveryCodesGenerated", "user", user.id,
                          {{"username", user.username}, {"count", kRecoveryCodeCount}}));
  return shown;
}

}  // namespace idm::authn::factors
