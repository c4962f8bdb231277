// MailQueue; see mail_queue.h.
#include "idm/mail/mail_queue.h"

#include "idm/core/log.h"

namespace idm::mail {

MailQueue::MailQueue(std::shared_ptr<const MailSender> sender, size_t max_queued)
    : sender_(std::move(sender)), max_queued_(max_queued), worker_([this] { Run(); }) {}

MailQueue::~MailQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

bool MailQueue::Enqueue(QueuedMail mail) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_ && queue_.size() < max_queued_) {
      queue_.push_back(std::move(mail));
      cv_.notify_one();
      return true;
    }
  }
  core::log::Warn("MailSendFailed", {{"event", "MailSendFailed"},
                                     {"realm", mail.realm},
                                     {"purpose", mail.purpose},
                                     {"kind", "queue_full"}});
  return false;
}

void MailQueue::Drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void MailQueue::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, and everything was sent
    QueuedMail mail = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    mail.message.from_address = mail.settings.from_address;
    mail.message.from_name = mail.settings.from_name;
    auto sent = sender_->Send(mail.settings, mail.message);
    if (!sent) {
      core::log::Warn("MailSendFailed", {{"event", "MailSendFailed"},
                                         {"realm", mail.realm},
                                         {"purpose", mail.purpose},
                                         {"kind", MailErrorKindName(sent.error().kind)},
                                         {"error", sent.error().message}});
    }
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
  idle_.notify_all();
}

}  // namespace idm::mail
