// OpenID Connect Back-Channel Logout 1.0 §2.5 (request), §2.8 (response).
#include "idm/oauth/backchannel_logout.h"

#include <algorithm>

#include "idm/core/log.h"
#include "idm/oauth/authorization_response.h"
#include "idm/oauth/redirect_uri.h"

namespace idm::oauth {

BackchannelLogoutSender::BackchannelLogoutSender(BackchannelOptions options,
                                                 core::metrics::Registry* metrics)
    : options_(std::move(options)) {
  if (metrics != nullptr) {
    results_ = &metrics->AddCounter("idm_backchannel_logout_total",
                                    "Back-channel logout deliveries by final result.", {"result"});
  }
  worker_ = std::thread([this] { Run(); });
}

BackchannelLogoutSender::~BackchannelLogoutSender() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
  for (const Pending& p : queue_) {
    core::log::Warn("backchannel logout dropped at shutdown",
                    {{"realm", p.delivery.realm}, {"client_id", p.delivery.client_id}});
  }
}

void BackchannelLogoutSender::Enqueue(BackchannelDelivery delivery) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(Pending{std::move(delivery), 0, std::chrono::steady_clock::now()});
  }
  wake_.notify_all();
}

bool BackchannelLogoutSender::Drain(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && in_flight_ == 0; });
}

void BackchannelLogoutSender::Count(const char* result) {
  if (results_ != nullptr) results_->WithLabels({result}).Inc();
}

BackchannelLogoutSender::Outcome BackchannelLogoutSender::Attempt(
    const BackchannelDelivery& delivery, std::string* detail) const {
  std::optional<UriParts> uri = SplitUri(delivery.uri);
  if (!uri || !uri->has_authority || (uri->scheme != "http" && uri->scheme != "https")) {
    *detail = "backchannel_logout_uri is not an http(s) URL";
    return Outcome::kRefused;
  }
  std::string origin = uri->scheme + "://" + uri->host + (uri->port.empty() ? "" : ":" + uri->port);
  std::string target = uri->path_and_query.empty() ? "/" : uri->path_and_query;
  http::Client client(origin, options_.http);
  auto response = client.Post(target, "logout_token=" + PercentEncode(delivery.logout_token),
                              "application/x-www-form-urlencoded");
  if (!response) {
    *detail = response.error().message;
    return Outcome::kRetry;
  }
  *detail = "HTTP " + std::to_string(response->status);
  int s = response->status;
  if (s >= 200 && s < 300) return Outcome::kDelivered;
  if (s == 408 || s == 429 || s >= 500) return Outcome::kRetry;
  return Outcome::kRefused;
}

void BackchannelLogoutSender::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (queue_.empty()) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      continue;
    }
    auto next = std::min_element(queue_.begin(), queue_.end(),
                                 [](const Pending& a, const Pending& b) { return a.due < b.due; });
    if (next->due > std::chrono::steady_clock::now()) {
      wake_.wait_until(lock, next->due);
      continue;
    }
    Pending job = std::move(*next);
    queue_.erase(next);
    ++in_flight_;
    lock.unlock();

    ++job.attempts;
    std::string detail;
    Outcome outcome = Attempt(job.delivery, &detail);
    core::Json fields = {{"realm", job.delivery.realm},
                         {"client_id", job.delivery.client_id},
                         {"attempts", job.attempts},
                         {"detail", detail}};
    bool requeue = false;
    if (outcome == Outcome::kDelivered) {
      core::log::Info("backchannel logout delivered", fields);
      Count("delivered");
    } else if (outcome == Outcome::kRefused) {
      core::log::Warn("backchannel logout refused by the client", fields);
      Count("refused");
    } else if (job.attempts >= options_.max_attempts) {
      core::log::Warn("backchannel logout failed", fields);
      Count("failed");
    } else {
      requeue = true;
      job.due = std::chrono::steady_clock::now() + options_.first_delay * (1 << (job.attempts - 1));
    }

    lock.lock();
    --in_flight_;
    if (requeue) queue_.push_back(std::move(job));
    if (queue_.empty() && in_flight_ == 0) idle_.notify_all();
  }
}

}  // namespace idm::oauth
