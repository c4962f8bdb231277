// MailSender: delivers one message to one recipient over SMTP with a realm's settings
// (docs/design/019-email-codes-and-smtp.md). The interface lets the login flow and the admin
// test-send stay free of libcurl; CurlMailSender (curl_mail_sender.h) is the real one.
//
// Security modes: kNone (plain SMTP, for a relay on localhost only), kStartTls (RFC 3207: the
// session must upgrade to TLS before AUTH and MAIL, or the send fails; never falls back to plain),
// kTls (implicit TLS from the first byte, "submissions" RFC 8314 §3.3, usually port 465).
// The server certificate is always verified (system CAs, or ca_file).
//
// Failures are MailError values with a kind an operator can act on; `message` is safe to show to
// an administrator (it names the server's reply, never the password).
// Thread-safety: implementations must be safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <string>

#include "idm/core/result.h"
#include "idm/mail/message.h"

namespace idm::mail {

enum class SmtpSecurity { kNone, kStartTls, kTls };

// "none" | "starttls" | "tls"; nullopt-like false for anything else.
bool ParseSmtpSecurity(const std::string& text, SmtpSecurity* out);
const char* SmtpSecurityName(SmtpSecurity security);

// What a send needs: the realm's stored settings with the password opened.
struct SmtpSettings {
  std::string host;
  int port = 587;
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string username;  // empty: no AUTH
  std::string password;  // plaintext only in memory, for the duration of a send
  std::string from_address;
  std::string from_name;
  std::string ca_file;   // PEM bundle to verify the server with instead of the system CAs
  int64_t timeout_ms = 10000;
};

enum class MailErrorKind {
  kNotConfigured,      // the realm has no SMTP settings
  kConnection,         // DNS, refused, timeout, dropped connection
  kTls,                // handshake, certificate, or STARTTLS not offered
  kAuth,               // the server refused the login
  kRejectedRecipient,  // RCPT TO refused (unknown mailbox, relaying denied)
  kRejected,           // any other refusal (MAIL FROM, DATA, message too large)
};

const char* MailErrorKindName(MailErrorKind kind);  // "connection", "tls", ...

struct MailError {
  MailErrorKind kind = MailErrorKind::kConnection;
  std::string message;
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Sends `message` (From and To are taken from it) and returns once the server accepted it.
  virtual core::Result<void, MailError> Send(const SmtpSettings& settings,
                                             const MailMessage& message) const = 0;
};

}  // namespace idm::mail
