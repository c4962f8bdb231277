// http::Client against a real http::Server, including its error paths.
#include "idm/http/client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "server_fixture.h"

namespace idm::http {
namespace {

Router ThingsRouter() {
  Router r;
  r.Add("PUT", "/things/{id}", [](const WebRequest& q) {
    core::Json j = {{"id", q.PathParam("id")},
                    {"body", q.body},
                    {"type", q.ContentType()},
                    {"custom", q.Header("X-Custom").value_or("")}};
    return WebResponse::Json(201, j.dump()).SetHeader("X-Reply", "yes");
  });
  r.Add("GET", "/sleep", [](const WebRequest&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    return WebResponse::Text(200, "late");
  });
  return r;
}

TEST(HttpClient, SendsMethodHeadersBodyAndReadsTheResponse) {
  testing::RunningServer s(ThingsRouter());
  Client c(s.Url());
  auto r = c.Send("PUT", "/things/7", {{"X-Custom", "v"}}, "{\"a\":1}", "application/json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->Header("x-reply"), "yes");
  core::Json j = core::Json::parse(r->body);
  EXPECT_EQ(j["id"], "7");
  EXPECT_EQ(j["body"], "{\"a\":1}");
  EXPECT_EQ(j["type"], "application/json");
  EXPECT_EQ(j["custom"], "v");
}

TEST(HttpClient, ReturnsHttpErrorStatusesAsResponses) {
  testing::RunningServer s(ThingsRouter());
  Client c(s.Url());
  auto r = c.Get("/nowhere");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
}

TEST(HttpClient, ReportsAConnectErrorWhenNothingListens) {
  int port = 0;
  {
    testing::RunningServer s(ThingsRouter());
    port = s.server->port();
  }  // stopped: the port is now closed
  Client c("http://127.0.0.1:" + std::to_string(port));
  auto r = c.Get("/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kConnect);
}

TEST(HttpClient, ReportsAReadTimeout) {
  testing::RunningServer s(ThingsRouter());
  ClientOptions o;
  o.read_timeout = std::chrono::milliseconds(200);
  Client c(s.Url(), o);
  auto r = c.Get("/sleep");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTimeout);
}

TEST(HttpClient, RejectsAnInvalidBaseUrlOrTarget) {
  Client bad("ftp://example.com");
  auto r = bad.Get("/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  Client good("http://127.0.0.1:1");
  auto t = good.Get("relative");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace idm::http
