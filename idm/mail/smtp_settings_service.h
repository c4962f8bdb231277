// SmtpSettingsService: a realm's outgoing mail server (docs/design/019-email-codes-and-smtp.md):
// read, replace and delete the settings for the admin API, send a test message, and open them for
// sending (LoadForSending). The password is sealed with the KEK (aad "realm:<id>/smtp-password")
// before it is stored and is never returned: Get clears password_sealed and reports
// `has_password`, as client secrets are handled. Changes write SmtpSettingsChanged /
// SmtpSettingsDeleted in the same transaction; a test send writes SmtpTestSent or SmtpTestFailed.
//
// Failures (core::ServiceError): kNotFound (realm, or no settings), kInvalidArgument (naming the
// field), kUnavailable, kInternal (a sealed password that no longer opens: another KEK).
// Thread-safety: safe to share; each call runs its own transactions. Everything passed to the
// constructor must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idm/core/email_model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/crypto/kek.h"
#include "idm/mail/mail_sender.h"
#include "idm/store/store.h"

namespace idm::mail {

// What an administrator sends: every field but the password replaces the stored one. password:
// nullopt keeps the stored password, "" removes it, anything else replaces it.
struct SmtpInput {
  std::string host;
  int64_t port = 587;
  std::string security = "starttls";
  std::string username;
  std::optional<std::string> password;
  std::string from_address;
  std::string from_name;
};

struct SmtpView {
  core::SmtpConfig config;  // password_sealed always empty
  bool has_password = false;
};

class SmtpSettingsService {
 public:
  // ca_file: PEM CAs for verifying servers (config mail.ca_file), "" = the system's.
  SmtpSettingsService(store::Store& store, const crypto::Kek& kek, core::Random& random,
                      const MailSender& sender, std::string ca_file);

  core::ServiceResult<SmtpView> Get(const std::string& realm);
  core::ServiceResult<SmtpView> Put(const core::OpContext& ctx, const std::string& realm,
                                    const SmtpInput& input);
  core::ServiceStatus Delete(const core::OpContext& ctx, const std::string& realm);
  // Sends a short test message to `to`. The send's own failure is the result's MailError (the
  // call itself succeeded); kNotFound when the realm has no settings.
  core::ServiceResult<std::optional<MailError>> TestSend(const core::OpContext& ctx,
                                                         const std::string& realm,
                                                         const std::string& to);

  // The realm's settings with the password opened, read in tx; nullopt when it has none.
  core::ServiceResult<std::optional<SmtpSettings>> LoadForSending(store::Transaction& tx,
                                                                  const std::string& realm_id) const;
  // Sends `message` with `settings`, filling in the sender's address and name.
  core::Result<void, MailError> Send(const SmtpSettings& settings, MailMessage message) const;

 private:
  store::Store& store_;
  const crypto::Kek& kek_;
  core::Random& random_;
  const MailSender& sender_;
  std::string ca_file_;
};

// Field violations of `input` ("host", "port", ...); empty when it is acceptable.
std::vector<core::FieldViolation> ValidateSmtpInput(const SmtpInput& input);

}  // namespace idm::mail
