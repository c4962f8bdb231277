// The HOTP second factor; see hotp.h.
#include "idm/authn/factors/hotp.h"

#include <utility>

#include "idm/authn/factors/otp_support.h"
#include "idm/crypto/encoding.h"
#include "idm/crypto/hotp.h"
#include "idm/crypto/totp.h"
#include "idm/realm/service_support.h"

namespace idm::authn::factors {
namespace {

using realm::FromStoreError;
using realm::WriteAuditEvent;

constexpr size_t kHotpSeedBytes = 20;  // RFC 4226 §4 R6: 160 bits recommended

}  // namespace

std::string HotpOtpauthUri(const std::string& issuer, const std::string& account,
                           const std::string& secret_base32) {
  return "otpauth://hotp/" + OtpUriEncode(issuer) + ":" + OtpUriEncode(account) +
         "?secret=" + secret_base32 + "&issuer=" + OtpUriEncode(issuer) +
         "&algorithm=SHA1&digits=6&counter=0";
}

core::ServiceResult<bool> HotpFactor::Has(store::Transaction& tx, const std::string& realm_id,
                                          const std::string& user_id) const {
  return HasConfirmedCredential(tx, realm_id, user_id, core::kCredentialHotp);
}

core::ServiceResult<std::optional<std::string>> HotpFactor::OpenSeed(
    const core::Credential& c) const {
  return OpenOtpSeed(kek_, c, "HOTP");
}

core::ServiceResult<bool> HotpFactor::TryCredential(store::Transaction& tx,
                                                    const core::OpContext& ctx,
                                                    const core::Credential& c,
                                                    const std::string& code) const {
  IDM_ASSIGN_OR_RETURN(std::optional<std::string> seed, OpenSeed(c));
  if (!seed) return false;
  // RFC 4226 §7.4: look ahead from the counter after the last accepted one.
  std::optional<uint64_t> counter =
      crypto::VerifyHotp(*seed, code, crypto::NextHotpCounter(c.last_used_step),
                         crypto::kHotpLookAhead, static_cast<int>(c.digits));
  if (!counter) return false;
  // RFC 4226 §7.2: "the counter on the server is incremented only after a successful
  // validation"; recording the counter only if it is above the last accepted one (one
  // conditional UPDATE) makes the code single use, also against a concurrent request.
  auto accepted = tx.credentials().AcceptTotpStep(c.realm_id, c.user_id, c.id,
                                                  static_cast<int64_t>(*counter), ctx.now);
  if (!accepted) return FromStoreError(accepted.error(), "credential");
  return *accepted;
}

core::ServiceResult<bool> HotpFactor::Verify(store::Transaction& tx, const core::OpContext& ctx,
                                             const core::Realm& realm, const core::User& user,
                                             const std::string& input) const {
  IDM_ASSIGN_OR_RETURN(auto creds, CredentialsOfType(tx, realm.id, user.id, core::kCredentialHotp));
  for (const core::Credential& c : creds) {
    if (c.confirmed_at == 0) continue;
    IDM_ASSIGN_OR_RETURN(bool ok, TryCredential(tx, ctx, c, input));
    if (ok) return true;
  }
  return false;
}

core::ServiceResult<int64_t> HotpFactor::Remove(store::Transaction& tx, const std::string& realm_id,
                                                const std::string& user_id) const {
  IDM_ASSIGN_OR_RETURN(auto creds, CredentialsOfType(tx, realm_id, user_id, core::kCredentialHotp));
  for (const core::Credential& c : creds) {
    auto d = tx.credentials().Delete(realm_id, user_id, c.id);
    if (!d) return FromStoreError(d.error(), "credential");
  }
  return static_cast<int64_t>(creds.size());
}

TotpEnrollment HotpFactor::EnrollmentData(const core::Realm& realm, const core::User& user,
                                          const std::string& credential_id,
                                          const std::string& seed) const {
  const std::string issuer = realm.display_name.empty() ? realm.name : realm.display_name;
  TotpEnrollment e;
  e.credential_id = credential_id;
  e.secret_base32 = crypto::Base32Encode(seed);
  e.otpauth_uri = HotpOtpauthUri(issuer, user.username, e.secret_base32);
  e.method = kHotpMethod;
  return e;
}

core::ServiceResult<TotpEnrollment> HotpFactor::StartEnrollment(store::Transaction& tx,
                                                                const core::OpContext& ctx,
                                                                const core::Realm& realm,
                                                                const core::User& user,
                                                                const std::string& name) const {
  const std::string seed = random_.Bytes(kHotpSeedBytes);
  core::Credential c;
  c.id = core::NewUuid(random_);
  c.realm_id = realm.id;
  c.user_id = user.id;
  c.type = core::kCredentialHotp;
  c.name = name;
  c.secret = crypto::Base64UrlEncode(kek_.Seal(seed, OtpSeedAad(realm.id, c.id), random_));
  c.period = 0;  // no time step: the counter moves only with accepted codes
  c.created_at = ctx.now;
  if (auto created = tx.credentials().Create(c); !created) {
    return FromStoreError(created.error(), "credential");
  }
  return EnrollmentData(realm, user, c.id, seed);
}

core::ServiceResult<std::optional<TotpEnrollment>> HotpFactor::PendingEnrollment(
    store::Transaction& tx, const core::Realm& realm, const core::User& user) const {
  IDM_ASSIGN_OR_RETURN(auto creds, CredentialsOfType(tx, realm.id, user.id, core::kCredentialHotp));
  for (auto it = creds.rbegin(); it != creds.rend(); ++it) {
    if (it->confirmed_at != 0) continue;
    IDM_ASSIGN_OR_RETURN(std::optional<std::string> seed, OpenSeed(*it));
    if (!seed) continue;
    return std::optional<TotpEnrollment>(EnrollmentData(realm, user, it->id, *seed));
  }
  return std::optional<TotpEnrollment>();
}

core::ServiceResult<bool> HotpFactor::ConfirmEnrollment(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::User& user, const std::string& credential_id, const std::string& code) const {
  auto c = tx.credentials().Get(realm.id, user.id, credential_id);
  if (!c) {
    if (c.error().code == store::ErrorCode::kNotFound) return false;
    return FromStoreError(c.error(), "credential");
  }
  if (c->type != core::kCredentialHotp || c->confirmed_at != 0) return false;
  IDM_ASSIGN_OR_RETURN(bool ok, TryCredential(tx, ctx, *c, code));
  if (!ok) return false;
  if (auto confirmed = tx.credentials().Confirm(realm.id, user.id, c->id, ctx.now); !confirmed) {
    return FromStoreError(confirmed.error(), "credential");
  }
  IDM_TRY(WriteAuditEvent(tx, ctx, random_, realm.id, "MfaEnrolled", "user", user.id,
                          {{"method", kHotpMethod}, {"credential_id", c->id}, {"name", c->name}}));
  return true;
}

}  // namespace idm::authn::factors
