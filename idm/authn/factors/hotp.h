// The HOTP second factor (RFC 4226; RFC 8176 §2 amr "otp"): counter-based one-time passwords
// from hardware tokens and authenticator apps that offer them (enrolled with an
// otpauth://hotp/...&counter=0 URI, Google Authenticator "Key Uri Format", or its QR code).
// Seeds are 20 random bytes (RFC 4226 §4 R6), sealed with the KEK exactly like TOTP seeds
// (factors/otp_support.h). Codes: HMAC-SHA-1, 6 digits (crypto/hotp.h).
//
// Counter (RFC 4226 §7.2, §7.4): the credential's last_used_step holds the last accepted counter
// (absent: none yet). The token starts at counter 0, so the first code accepted is one of the
// counters 0 .. kHotpLookAhead - 1; after counter c was accepted, only c + 1 .. c + kHotpLookAhead
// are. Accepting goes through CredentialRepo::AcceptTotpStep (accept only a counter greater than
// the last accepted one, one conditional UPDATE), so a code is used at most once, even by two
// nodes at the same moment, and no earlier code works again.
//
// Enrolment: StartEnrollment stores an unconfirmed credential and returns what the page shows;
// ConfirmEnrollment checks a first code and only then does the credential count (Has, Verify).
//
// Thread-safety: immutable; safe to share. The Kek and Random must outlive it.
#pragma once

#include <optional>
#include <string>

#include "idm/authn/factors/second_factor.h"
#include "idm/authn/factors/totp.h"
#include "idm/core/random.h"
#include "idm/crypto/kek.h"

namespace idm::authn::factors {

inline constexpr char kHotpMethod[] = "hotp";

// otpauth://hotp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&counter=0,
// label and issuer percent-encoded (Key Uri Format: "counter" is required for hotp).
std::string HotpOtpauthUri(const std::string& issuer, const std::string& account,
                           const std::string& secret_base32);

class HotpFactor final : public SecondFactor {
 public:
  HotpFactor(const crypto::Kek& kek, core::Random& random) : kek_(kek), random_(random) {}

  std::string_view Id() const override { return kHotpMethod; }
  // RFC 8176 §2 "otp", as for TOTP; the login adds "pwd" and "mfa" (login_support.h MfaAmr).
  std::vector<std::string> Amr() const override { return {"otp"}; }
  // True when the user has a confirmed HOTP credential.
  core::ServiceResult<bool> Has(store::Transaction& tx, const std::string& realm_id,
                                const std::string& user_id) const override;
  // Tries the code against each confirmed HOTP credential within its look-ahead window; on a
  // match records the counter. A replayed code, or a code of a counter at or below the last
  // accepted one, is false.
  core::ServiceResult<bool> Verify(store::Transaction& tx, const core::OpContext& ctx,
                                   const core::Realm& realm, const core::User& user,
                                   const std::string& input) const override;
  core::ServiceResult<int64_t> Remove(store::Transaction& tx, const std::string& realm_id,
                                      const std::string& user_id) const override;

  // Stores a new unconfirmed HOTP credential (named `name`) and returns its enrolment data
  // (method "hotp"). The issuer is the realm's display name (its name when that is empty).
  core::ServiceResult<TotpEnrollment> StartEnrollment(store::Transaction& tx,
                                                      const core::OpContext& ctx,
                                                      const core::Realm& realm,
                                                      const core::User& user,
                                                      const std::string& name) const;
  // The enrolment data of the user's newest unconfirmed HOTP credential, nullopt if none.
  core::ServiceResult<std::optional<TotpEnrollment>> PendingEnrollment(
      store::Transaction& tx, const core::Realm& realm, const core::User& user) const;
  // Confirms the unconfirmed HOTP credential when `code` is valid for it (and records the
  // code's counter). Writes MfaEnrolled. False when the code is wrong or there is no such
  // unconfirmed HOTP credential.
  core::ServiceResult<bool> ConfirmEnrollment(store::Transaction& tx, const core::OpContext& ctx,
                                              const core::Realm& realm, const core::User& user,
                                              const std::string& credential_id,
                                              const std::string& code) const;

 private:
  core::ServiceResult<std::optional<std::string>> OpenSeed(const core::Credential& c) const;
  core::ServiceResult<bool> TryCredential(store::Transaction& tx, const core::OpContext& ctx,
                                          const core::Credential& c, const std::string& code) const;
  TotpEnrollment EnrollmentData(const core::Realm& realm, const core::User& user,
                                const std::string& credential_id, const std::string& seed) const;

  const crypto::Kek& kek_;
  core::Random& random_;
};

}  // namespace idm::authn::factors
