// BackchannelLogoutSender against a real HTTP server standing in for relying parties: the request
// shape of Back-Channel Logout §2.5, and the retry rules for each kind of answer.
#include "idm/oauth/backchannel_logout.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "tests/unit/http/server_fixture.h"

namespace idm::oauth {
namespace {

using std::chrono::milliseconds;

struct Rp {
  std::mutex mu;
  std::vector<http::WebRequest> seen;
  std::atomic<int> fail_first{0};  // answer 503 to this many requests first
  int final_status = 200;

  http::Router Router() {
    http::Router r;
    r.Add("POST", "/logout", [this](const http::WebRequest& q) {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(q);
      if (fail_first.load() > 0) {
        --fail_first;
        return http::WebResponse::Text(503, "busy");
      }
      return http::WebResponse::Text(final_status, "");
    });
    return r;
  }
  size_t Count() {
    std::lock_guard<std::mutex> lock(mu);
    return seen.size();
  }
};

BackchannelOptions Fast(int attempts) {
  BackchannelOptions o;
  o.max_attempts = attempts;
  o.first_delay = milliseconds(20);
  return o;
}

BackchannelDelivery To(const std::string& base) {
  return BackchannelDelivery{"acme", "web", base + "/logout?tenant=1", "aaa.bbb.ccc"};
}

TEST(BackchannelLogout, PostsTheLogoutTokenAsAFormToTheRegisteredUri) {
  Rp rp;
  http::testing::RunningServer server(rp.Router());
  core::metrics::Registry metrics;
  BackchannelLogoutSender sender(Fast(3), &metrics);
  sender.Enqueue(To(server.Url()));
  ASSERT_TRUE(sender.Drain(milliseconds(5000)));
  ASSERT_EQ(rp.Count(), 1u);
  const http::WebRequest& q = rp.seen[0];
  EXPECT_EQ(q.ContentType(), "application/x-www-form-urlencoded");
  http::Params form = q.Form();
  ASSERT_EQ(form.count("logout_token"), 1u);
  EXPECT_EQ(form.find("logout_token")->second, "aaa.bbb.ccc");
  ASSERT_EQ(q.query.count("tenant"), 1u);
  EXPECT_EQ(q.query.find("tenant")->second, "1");
  EXPECT_NE(metrics.Render().find("idm_backchannel_logout_total{result=\"delivered\"} 1"),
            std::string::npos);
}

TEST(BackchannelLogout, RetriesServerErrorsUntilDelivered) {
  Rp rp;
  rp.fail_first = 2;
  http::testing::RunningServer server(rp.Router());
  BackchannelLogoutSender sender(Fast(5));
  sender.Enqueue(To(server.Url()));
  ASSERT_TRUE(sender.Drain(milliseconds(5000)));
  EXPECT_EQ(rp.Count(), 3u);
}

TEST(BackchannelLogout, GivesUpAfterMaxAttempts) {
  Rp rp;
  rp.fail_first = 100;
  http::testing::RunningServer server(rp.Router());
  core::metrics::Registry metrics;
  BackchannelLogoutSender sender(Fast(3), &metrics);
  sender.Enqueue(To(server.Url()));
  ASSERT_TRUE(sender.Drain(milliseconds(5000)));
  EXPECT_EQ(rp.Count(), 3u);
  EXPECT_NE(metrics.Render().find("idm_backchannel_logout_total{result=\"failed\"} 1"),
            std::string::npos);
}

TEST(BackchannelLogout, DoesNotRetryWhenTheClientRefusesWith400) {
  Rp rp;
  rp.final_status = 400;  // §2.8: the RP could not log the user out
  http::testing::RunningServer server(rp.Router());
  BackchannelLogoutSender sender(Fast(5));
  sender.Enqueue(To(server.Url()));
  ASSERT_TRUE(sender.Drain(milliseconds(5000)));
  EXPECT_EQ(rp.Count(), 1u);
}

TEST(BackchannelLogout, RetriesWhenNothingListensAndThenGivesUp) {
  BackchannelLogoutSender sender(Fast(2));
  // Port 9 (discard) on loopback: nothing listens in the test environment.
  sender.Enqueue(BackchannelDelivery{"acme", "web", "http://127.0.0.1:9/logout", "t"});
  EXPECT_TRUE(sender.Drain(milliseconds(15000)));
}

}  // namespace
}  // namespace idm::oauth
