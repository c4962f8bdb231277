// Email one-time codes (docs/design/019-email-codes-and-smtp.md): a code mailed to the user's
// verified address, as a second factor after the password (SecondFactor, Id "email", purpose
// core::kEmailCodeMfa) and, where the realm enables passwordless_email, as the only factor of a
// sign-in (VerifySignIn, purpose core::kEmailCodeSignIn). A code of one purpose never verifies
// for the other.
//
// Codes are kEmailCodeDigits decimal digits drawn uniformly from the CSPRNG and live
// realm.settings.email_code_ttl_s. Only a keyed hash is stored (HMAC-SHA-256 under a KEK-derived
// key over purpose, user id and code): fast, never Argon2, and useless to whoever copies the
// database. One code per user and purpose: issuing replaces the earlier one, at most once per
// kEmailCodeResendInterval (store::EmailCodeRepo::Issue). A code is used once; after
// kEmailCodeMaxAttempts wrong tries it is dead. The login flow also counts every wrong code in
// the brute-force counters (brute_force.h).
//
// amr (RFC 8176 §2): "otp". RFC 8176 defines "otp" as "One-time password" and names RFC 4226 and
// RFC 6238 as specifications it applies to, without limiting it to them; a server-generated,
// single-use, short-lived code is a one-time password. It has no "email" value; an RP that must
// tell a mailed code from an authenticator app cannot, and the design record says so.
//
// Thread-safety: immutable; safe to share. Everything passed in must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idm/authn/factors/second_factor.h"
#include "idm/core/email_model.h"
#include "idm/core/random.h"
#include "idm/mail/mail_sender.h"
#include "idm/mail/smtp_settings_service.h"

namespace idm::authn::factors {

// The method id of email one-time codes (the MFA form's `method`, realm mfa_methods).
inline constexpr char kEmailCodeMethod[] = "email";

inline constexpr int kEmailCodeDigits = 6;
inline constexpr int64_t kEmailCodeMaxAttempts = 5;
inline constexpr int64_t kEmailCodeResendIntervalMs = 30 * 1000;

// A code ready to be mailed once the transaction that stored it has committed.
struct PendingEmailCode {
  bool throttled = false;                      // an earlier code is too recent; nothing stored
  std::optional<mail::SmtpSettings> settings;  // nullopt: the realm has no SMTP settings
  mail::MailMessage message;                   // To, Subject, body (From comes from settings)
};

class EmailCodeFactor final : public SecondFactor {
 public:
  // hash_key: 32 secret bytes, normally Kek::DeriveSecret("idm-email-code-v1").
  EmailCodeFactor(std::string hash_key, core::Random& random,
                  const mail::SmtpSettingsService& smtp)
      : hash_key_(std::move(hash_key)), random_(random), smtp_(smtp) {}

  std::string_view Id() const override { return kEmailCodeMethod; }
  std::vector<std::string> Amr() const override { return {"otp"}; }
  // True when the realm has email_code_enabled and the user a verified email address.
  core::ServiceResult<bool> Has(store::Transaction& tx, const std::string& realm_id,
                                const std::string& user_id) const override;
  // A second-factor code (purpose "mfa"); false when the realm disabled the method.
  core::ServiceResult<bool> Verify(store::Transaction& tx, const core::OpContext& ctx,
                                   const core::Realm& realm, const core::User& user,
                                   const std::string& input) const override;
  core::ServiceResult<int64_t> Remove(store::Transaction& tx, const std::string& realm_id,
                                      const std::string& user_id) const override;

  // A passwordless sign-in code (purpose "signin"); false when the realm disabled it.
  core::ServiceResult<bool> VerifySignIn(store::Transaction& tx, const core::OpContext& ctx,
                                         const core::Realm& realm, const core::User& user,
                                         const std::string& input) const;

  // Makes a new code for `purpose`, stores its hash in tx (unless throttled) and renders its mail
  // in the first of `locales` that has templates. Writes EmailCodeIssued. The caller commits tx,
  // then sends (Deliver or a mail::MailQueue).
  core::ServiceResult<PendingEmailCode> Issue(store::Transaction& tx, const core::OpContext& ctx,
                                              const core::Realm& realm, const core::User& user,
                                              const std::string& purpose,
                                              const std::vector<std::string>& locales) const;
  core::Result<void, mail::MailError> Deliver(const PendingEmailCode& pending) const;

  // True when the user has an unused, unexpired, live code for `purpose` (the page then shows
  // the code field).
  core::ServiceResult<bool> HasPendingCode(store::Transaction& tx, const core::Realm& realm,
                                           const core::User& user, const std::string& purpose,
                                           core::UnixMillis now) const;

  std::string Hash(const std::string& purpose, const std::string& user_id,
                   const std::string& code) const;
  const mail::SmtpSettingsService& smtp() const { return smtp_; }

 private:
  core::ServiceResult<bool> Check(store::Transaction& tx, const core::OpContext& ctx,
                                  const core::Realm& realm, const core::User& user,
                                  const std::string& purpose, const std::string& input) const;
  std::string NewCode() const;

  std::string hash_key_;
  core::Random& random_;
  const mail::SmtpSettingsService& smtp_;
};

// The address as the page shows it: "a***@example.com".
std::string MaskEmail(const std::string& email);

// The locales to mail a user in: the flow's ui_locales, then the user's "locale" attribute.
std::vector<std::string> MailLocales(const std::vector<std::string>& ui_locales,
                                     const core::User& user);

}  // namespace idm::authn::factors
