// The TOTP second factor (RFC 6238; RFC 8176 amr "otp"): authenticator apps enrolled with an
// otpauth:// URI (Google Authenticator "Key Uri Format") or its QR code. Seeds are 20 random
// bytes (RFC 4226 §4 R6 recommends 160 bits), sealed with the KEK under the aad
// "realm:<realm id>/credential:<id>" so a sealed seed copied to another row does not open.
// Codes: HMAC-SHA-1, 6 digits, 30 s, accepted one step either side (crypto/totp.h); the store's
// AcceptTotpStep makes each step usable once per credential, across nodes (RFC 6238 §5.2).
//
// Enrolment: StartEnrollment stores an unconfirmed credential and returns what the page shows;
// ConfirmEnrollment checks a first code and only then does the credential count (Has, Verify).
//
// Thread-safety: immutable; safe to share. The Kek and Random must outlive it.
#pragma once

#include <optional>
#include <string>

#include "idm/authn/factors/second_factor.h"
#include "idm/core/random.h"
#include "idm/crypto/kek.h"

namespace idm::authn::factors {

// What an enrolment page shows (never stored in this form).
struct TotpEnrollment {
  std::string credential_id;
  std::string secret_base32;  // RFC 4648 §6 without padding, for typing the key in by hand
  std::string otpauth_uri;    // otpauth://totp/<issuer>:<username>?secret=..&issuer=..
  std::string method = "totp";  // the factor it belongs to: "totp", or "hotp" (factors/hotp.h)
};

// otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30,
// label and issuer percent-encoded (Key Uri Format).
std::string OtpauthUri(const std::string& issuer, const std::string& account,
                       const std::string& secret_base32);

class TotpFactor final : public SecondFactor {
 public:
  TotpFactor(const crypto::Kek& kek, core::Random& random) : kek_(kek), random_(random) {}

  std::string_view Id() const override { return "totp"; }
  // RFC 8176 §2: "otp" (one-time password), "mfa" (more than one factor; with the password).
  std::vector<std::string> Amr() const override { return {"otp"}; }
  // True when the user has a confirmed TOTP credential.
  core::ServiceResult<bool> Has(store::Transaction& tx, const std::string& realm_id,
                                const std::string& user_id) const override;
  // Tries the code against each confirmed credential; on a match applies the step guard. A
  // replayed step (or a code of an older step than the last accepted) is false.
  core::ServiceResult<bool> Verify(store::Transaction& tx, const core::OpContext& ctx,
                                   const core::Realm& realm, const core::User& user,
                                   const std::string& input) const override;
  core::ServiceResult<int64_t> Remove(store::Transaction& tx, const std::string& realm_id,
                                      const std::string& user_id) const override;

  // Stores a new unconfirmed credential (named `name`) and returns its enrolment data. The
  // issuer is the realm's display name (its name when that is empty).
  core::ServiceResult<TotpEnrollment> StartEnrollment(store::Transaction& tx,
                                                      const core::OpContext& ctx,
                                                      const core::Realm& realm,
                                                      const core::User& user,
                                                      const std::string& name) const;
  // The enrolment data of the user's newest unconfirmed credential, nullopt if there is none.
  core::ServiceResult<std::optional<TotpEnrollment>> PendingEnrollment(
      store::Transaction& tx, const core::Realm& realm, const core::User& user) const;
  // Confirms the unconfirmed credential when `code` is valid for it (and uses the code's step).
  // Writes MfaEnrolled. False when the code is wrong or there is no such unconfirmed credential.
  core::ServiceResult<bool> ConfirmEnrollment(store::Transaction& tx, const core::OpContext& ctx,
                                              const core::Realm& realm, const core::User& user,
                                              const std::string& credential_id,
                                              const std::string& code) const;

 private:
  core::ServiceResult<std::optional<std::string>> OpenSeed(const core::Credential& c) const;
  core::ServiceResult<bool> TryCredential(store::Transaction& tx, const core::OpContext& ctx,
                                          const core::Credential& c,
                                          const std::string& code) const;
  TotpEnrollment EnrollmentData(const core::Realm& realm, const core::User& user,
                                const std::string& credential_id, const std::string& seed) const;

  const crypto::Kek& kek_;
  core::Random& random_;
};

}  // namespace idm::authn::factors
