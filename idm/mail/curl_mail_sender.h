// CurlMailSender: MailSender over libcurl's SMTP client (docs/design/019). libcurl speaks
// ESMTP, STARTTLS (CURLOPT_USE_SSL = CURLUSESSL_ALL: refuse to go on without TLS), implicit TLS
// (smtps://), AUTH (CURLOPT_USERNAME / CURLOPT_PASSWORD, the best mechanism the server offers) and
// does the dot-stuffing of DATA (RFC 5321 §4.5.2).
//
// Every failed send is counted in idm_mail_send_failures_total{kind} when a metrics registry is
// given, and every send in idm_mail_sent_total.
// Thread-safety: Send is safe to call concurrently (one curl easy handle per call; curl's global
// initialisation happens once, before the first use, in a function-local static).
#pragma once

#include "idm/core/clock.h"
#include "idm/core/metrics.h"
#include "idm/core/random.h"
#include "idm/mail/mail_sender.h"

namespace idm::mail {

class CurlMailSender final : public MailSender {
 public:
  // The clock dates the message, random makes its Message-ID. `metrics` may be null. All must
  // outlive the sender.
  CurlMailSender(const core::Clock& clock, core::Random& random,
                 core::metrics::Registry* metrics = nullptr);

  core::Result<void, MailError> Send(const SmtpSettings& settings,
                                     const MailMessage& message) const override;

 private:
  const core::Clock& clock_;
  core::Random& random_;
  core::metrics::CounterFamily* sent_ = nullptr;
  core::metrics::CounterFamily* failures_ = nullptr;
};

}  // namespace idm::mail
