// MailQueue: sends mails on one background thread, for mails whose outcome must not change the
// answer to the request that caused them (docs/design/019-email-codes-and-smtp.md):
//  - passwordless sign-in codes: the page and its timing must be the same whether or not the
//    account exists, so the send (which takes a network round trip) never runs in the request;
//  - security notices (a recovery code was used): a failed send must never fail the login.
// A failure is logged ("MailSendFailed" with the realm, purpose and kind) and counted by the
// sender's metrics (CurlMailSender: idm_mail_send_failures_total). There is no retry: an email
// code lives minutes, and the notices are best effort (the audit event is the durable record).
//
// Thread-safety: Enqueue is safe from any thread. The destructor sends what is queued (each send
// bounded by its timeout) and joins the thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "idm/mail/mail_sender.h"

namespace idm::mail {

struct QueuedMail {
  SmtpSettings settings;
  MailMessage message;  // from_address / from_name are taken from settings
  std::string realm;    // for the log line
  std::string purpose;  // e.g. "email_code", "recovery_code_used"
};

class MailQueue {
 public:
  explicit MailQueue(std::shared_ptr<const MailSender> sender, size_t max_queued = 1000);
  ~MailQueue();
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  // False (and logged) when the queue is full or stopping; the mail is dropped.
  bool Enqueue(QueuedMail mail);
  // Blocks until everything enqueued so far has been attempted (tests, shutdown).
  void Drain();

 private:
  void Run();

  std::shared_ptr<const MailSender> sender_;
  size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_;
  std::deque<QueuedMail> queue_;  // guarded by mu_
  bool stopping_ = false;         // guarded by mu_
  bool busy_ = false;             // guarded by mu_
  std::thread worker_;
};

}  // namespace idm::mail
