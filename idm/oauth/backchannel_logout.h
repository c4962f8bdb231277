// BackchannelLogoutSender: delivers logout tokens to relying parties (OpenID Connect Back-Channel
// Logout 1.0 §2.5) from a background thread, so ending a session never waits on a slow RP.
//
// A delivery is `POST <backchannel_logout_uri>` with the form body `logout_token=<jwt>` (§2.5).
// The RP answers 200 (or 204) when it logged the user out and 400 when it could not (§2.8).
// Outcome per attempt:
//   2xx                         delivered; done
//   other 4xx except 408, 429   refused by the RP; retrying cannot help; done (logged as a warning)
//   408, 429, 5xx, no answer    retried after first_delay, then doubling, up to max_attempts
// Every final outcome is logged ("backchannel logout delivered" / "... failed") with realm,
// client_id and attempts, and counted in idm_backchannel_logout_total{result}.
//
// Deliveries live in memory: a node that stops with deliveries pending drops them (logged). The
// tokens expire within minutes anyway (logout_token.h), so a durable queue would mostly deliver
// stale tokens; docs/design/016-logout.md records the trade-off.
//
// Thread-safety: Enqueue and Drain may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "idm/core/metrics.h"
#include "idm/http/client.h"

namespace idm::oauth {

struct BackchannelDelivery {
  std::string realm;         // realm name, for logs
  std::string client_id;     // OAuth client_id, for logs
  std::string uri;           // the client's backchannel_logout_uri
  std::string logout_token;  // signed (logout_token.h)
};

struct BackchannelOptions {
  int max_attempts = 5;
  std::chrono::milliseconds first_delay{1000};  // doubles after each failed attempt
  http::ClientOptions http = [] {
    http::ClientOptions o;
    o.connect_timeout = std::chrono::seconds(5);
    o.read_timeout = std::chrono::seconds(10);
    o.keep_alive = false;
    return o;
  }();
};

class BackchannelLogoutSender {
 public:
  explicit BackchannelLogoutSender(BackchannelOptions options = {},
                                   core::metrics::Registry* metrics = nullptr);
  // Stops the worker; deliveries still pending are dropped and logged.
  ~BackchannelLogoutSender();
  BackchannelLogoutSender(const BackchannelLogoutSender&) = delete;
  BackchannelLogoutSender& operator=(const BackchannelLogoutSender&) = delete;

  // Queues a delivery for now. Never blocks on the network.
  void Enqueue(BackchannelDelivery delivery);

  // Waits until nothing is queued or in flight; false on timeout (tests, orderly shutdown).
  bool Drain(std::chrono::milliseconds timeout);

 private:
  struct Pending {
    BackchannelDelivery delivery;
    int attempts = 0;
    std::chrono::steady_clock::time_point due;
  };
  enum class Outcome { kDelivered, kRefused, kRetry };

  void Run();
  Outcome Attempt(const BackchannelDelivery& delivery, std::string* detail) const;
  void Count(const char* result);

  BackchannelOptions options_;
  core::metrics::CounterFamily* results_ = nullptr;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Pending> queue_;  // unordered by due time; small (one entry per RP per logout)
  int in_flight_ = 0;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace idm::oauth
