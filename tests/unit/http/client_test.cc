// http::Client against a real http::Server, including its error paths.
#include "idm/http/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
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

// A server whose first connection answers one request with keep-alive and then closes when the
// next request arrives, unanswered: what the client sees when the server's idle timeout races
// its request (cpp-httplib itself reconnects when the close came earlier). Every later connection
// gets its requests answered. Counts the requests it answered.
class ClosingServer {
 public:
  ClosingServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 8);
    socklen_t n = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Run(); });
  }
  ~ClosingServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int answered() const { return answered_.load(); }

 private:
  // Reads one request head (no body is sent by these tests); false at end of stream.
  static bool ReadRequest(int c) {
    std::string got;
    char buf[1024];
    while (got.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = recv(c, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got.append(buf, static_cast<size_t>(n));
    }
    return true;
  }
  void Answer(int c) {
    const std::string r = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    ++answered_;  // before the send: the client may check the count as soon as it has the answer
    send(c, r.data(), r.size(), MSG_NOSIGNAL);
  }
  void Run() {
    for (bool first = true;; first = false) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      if (first) {
        if (ReadRequest(c)) Answer(c);
        ReadRequest(c);  // the next request: the connection closes under it
      } else {
        while (ReadRequest(c)) Answer(c);
      }
      close(c);
    }
  }
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> answered_{0};
  std::thread thread_;
};

TEST(HttpClient, AnIdempotentRequestIsSentAgainWhenTheServerClosedTheKeptAliveConnection) {
  ClosingServer s;
  Client c(s.Url());
  ASSERT_TRUE(c.Get("/a").ok());
  auto r = c.Get("/b");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(s.answered(), 2);
}

TEST(HttpClient, APostIsNotSentAgainWhenTheServerClosedTheKeptAliveConnection) {
  ClosingServer s;
  Client c(s.Url());
  ASSERT_TRUE(c.Get("/a").ok());
  auto r = c.Post("/b", "", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kIo);
  EXPECT_EQ(s.answered(), 1);
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
