// The event-driven front behind http::Server for plain HTTP (design 026): connection handling
// that cpp-httplib did for us before and the front now does itself — keep-alive without a held
// thread, pipelining, Expect: 100-continue, HTTP/1.0, the request-target forms, partial writes
// and the time limits. Limits shared with the TLS path are in server_test.cc.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "idm/http/server.h"
#include "server_fixture.h"

namespace idm::http {
namespace {

using testing::RawExchange;
using testing::RunningServer;
using namespace std::chrono_literals;

// A client connection kept open across requests, reading responses framed by Content-Length.
class RawConn {
 public:
  explicit RawConn(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConn() { ::close(fd_); }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads until `want` bytes are buffered, the peer closes, or `timeout` passes.
  bool Fill(size_t want, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[16384];
    while (buffered_.size() < want) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        return false;
      }
      buffered_.append(buf, static_cast<size_t>(n));
    }
    return true;
  }

  // The next complete response (head and Content-Length body); "" on timeout or close.
  std::string ReadResponse(std::chrono::milliseconds timeout = 5s, bool head = false) {
    size_t end;
    while ((end = buffered_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(buffered_.size() + 1, timeout)) return "";
    }
    size_t length = 0;
    const size_t cl = buffered_.find("Content-Length: ");
    if (!head && cl != std::string::npos && cl < end) {
      length = std::stoul(buffered_.substr(cl + 16));
    }
    if (!Fill(end + 4 + length, timeout)) return "";
    std::string response = buffered_.substr(0, end + 4 + length);
    buffered_.erase(0, end + 4 + length);
    return response;
  }

  // True when the server closed the connection within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    Fill(buffered_.size() + 1, timeout);
    return closed_;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string buffered_;
};

Router TestRouter() {
  Router r;
  r.Add("GET", "/n/{n}", [](const WebRequest& q) {
    return WebResponse::Text(200, "n=" + q.PathParam("n") + " q=" + q.Query("q").value_or(""));
  });
  r.Add("POST", "/len", [](const WebRequest& q) {
    return WebResponse::Text(200, std::to_string(q.body.size()) + ":" + q.body.substr(0, 16));
  });
  r.Add("GET", "/big/{kib}", [](const WebRequest& q) {
    return WebResponse::Text(200, std::string(std::stoul(q.PathParam("kib")) * 1024, 'z'));
  });
  r.Add("GET", "/split", [](const WebRequest&) {
    WebResponse w = WebResponse::Text(200, "ok");
    w.SetHeader("X-Evil", "a\r\nSet-Cookie: injected=1");
    return w;
  });
  r.Add("GET", "/empty", [](const WebRequest&) { return WebResponse::Text(204, ""); });
  return r;
}

std::string Get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

TEST(EventFront, IdleKeepAliveConnectionsDoNotHoldTheWorkers) {
  // Two workers, fifty clients that keep their connections open between requests: under a
  // thread-per-connection server the third client would wait for a worker (design 022).
  RunningServer s(TestRouter(), [](ServerOptions& o) {
    o.worker_threads = 2;
    o.keep_alive_timeout = 30s;
  });
  std::vector<std::unique_ptr<RawConn>> conns;
  for (int i = 0; i < 50; ++i) {
    conns.push_back(std::make_unique<RawConn>(s.server->port()));
    ASSERT_TRUE(conns.back()->connected());
    ASSERT_TRUE(conns.back()->Send(Get("/n/" + std::to_string(i))));
    const std::string r = conns.back()->ReadResponse(2s);
    ASSERT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << "connection " << i << ": " << r;
    EXPECT_NE(r.find("n=" + std::to_string(i)), std::string::npos);
  }
  EXPECT_NE(s.metrics.Render().find("idm_http_open_connections 50"), std::string::npos);
  // Every connection is still served, in reverse order.
  for (int i = 49; i >= 0; --i) {
    ASSERT_TRUE(conns[i]->Send(Get("/n/again" + std::to_string(i))));
    const std::string r = conns[i]->ReadResponse(2s);
    EXPECT_NE(r.find("n=again" + std::to_string(i)), std::string::npos) << i << ": " << r;
  }
}

TEST(EventFront, AnswersPipelinedRequestsInOrder) {
  RunningServer s(TestRouter());
  RawConn c(s.server->port());
  std::string burst;
  for (int i = 0; i < 40; ++i) burst += Get("/n/" + std::to_string(i));
  burst += "POST /len HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  ASSERT_TRUE(c.Send(burst));
  for (int i = 0; i < 40; ++i) {
    const std::string r = c.ReadResponse();
    EXPECT_NE(r.find("n=" + std::to_string(i) + " "), std::string::npos) << i << ": " << r;
  }
  EXPECT_NE(c.ReadResponse().find("5:hello"), std::string::npos);
}

TEST(EventFront, DecodesAChunkedBody) {
  RunningServer s(TestRouter());
  const std::string out =
      RawExchange(s.server->port(),
                  "POST /len HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                  "Connection: close\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 200", 0), 0u) << out;
  EXPECT_NE(out.find("7:abcdefg"), std::string::npos) << out;
}

TEST(EventFront, SendsContinueBeforeTheBodyWhenAsked) {
  RunningServer s(TestRouter());
  RawConn c(s.server->port());
  ASSERT_TRUE(
      c.Send("POST /len HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"));
  const std::string interim = c.ReadResponse(2s);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.Send("abc"));
  EXPECT_NE(c.ReadResponse(2s).find("3:abc"), std::string::npos);
}

TEST(EventFront, RefusesAnOversizedBodyWithoutAContinue) {
  RunningServer s(TestRouter(), [](ServerOptions& o) { o.max_body_bytes = 10; });
  RawConn c(s.server->port());
  ASSERT_TRUE(c.Send(
      "POST /len HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n"));
  const std::string r = c.ReadResponse(2s);
  EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u) << r;
  EXPECT_TRUE(c.ClosedWithin(2s));
}

TEST(EventFront, ClosesAnHttp10ConnectionUnlessItAsksForKeepAlive) {
  RunningServer s(TestRouter());
  {
    RawConn c(s.server->port());
    ASSERT_TRUE(c.Send("GET /n/1 HTTP/1.0\r\n\r\n"));
    const std::string r = c.ReadResponse();
    EXPECT_NE(r.find("Connection: close"), std::string::npos) << r;
    EXPECT_TRUE(c.ClosedWithin(2s));
  }
  RawConn c(s.server->port());
  ASSERT_TRUE(c.Send("GET /n/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_NE(c.ReadResponse().find("Connection: keep-alive"), std::string::npos);
  ASSERT_TRUE(c.Send("GET /n/2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_NE(c.ReadResponse().find("n=2"), std::string::npos);
}

TEST(EventFront, ClosesTheConnectionAfterTheKeepAliveRequestLimit) {
  RunningServer s(TestRouter(), [](ServerOptions& o) { o.keep_alive_max_count = 3; });
  RawConn c(s.server->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send(Get("/n/" + std::to_string(i))));
    const std::string r = c.ReadResponse();
    EXPECT_EQ(r.find("Connection: close") != std::string::npos, i == 2) << i << ": " << r;
  }
  EXPECT_TRUE(c.ClosedWithin(2s));
}

TEST(EventFront, ClosesAConnectionIdleForTheKeepAliveTimeout) {
  RunningServer s(TestRouter(), [](ServerOptions& o) { o.keep_alive_timeout = 1s; });
  RawConn c(s.server->port());
  ASSERT_TRUE(c.Send(Get("/n/1")));
  ASSERT_FALSE(c.ReadResponse().empty());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedWithin(4s));
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 3s);
}

TEST(EventFront, AnswersHeadersThatStopArrivingWith408) {
  RunningServer s(TestRouter(), [](ServerOptions& o) { o.read_timeout = 300ms; });
  const std::string out = RawExchange(s.server->port(), "GET /n/1 HTTP/1.1\r\nHost: x\r\nX-Slo");
  EXPECT_EQ(out.rfind("HTTP/1.1 408", 0), 0u) << out;
  EXPECT_NE(out.find("Connection: close"), std::string::npos);
}

TEST(EventFront, RefusesAnHttp11RequestWithoutExactlyOneHost) {
  RunningServer s(TestRouter());
  std::string out = RawExchange(s.server->port(), "GET /n/1 HTTP/1.1\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_NE(out.find("missing Host header"), std::string::npos) << out;
  out = RawExchange(s.server->port(), "GET /n/1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_NE(out.find("more than one Host header"), std::string::npos) << out;
}

TEST(EventFront, RoutesAnAbsoluteFormTargetByItsPathAndDecodesTheQuery) {
  RunningServer s(TestRouter());
  RawConn c(s.server->port());
  ASSERT_TRUE(c.Send(Get("http://idm.example:8080/n/a%20b?q=x%2By+z")));
  const std::string r = c.ReadResponse();
  EXPECT_NE(r.find("n=a b q=x+y z"), std::string::npos) << r;
}

TEST(EventFront, DropsAHeaderThatWouldSplitTheResponse) {
  RunningServer s(TestRouter());
  RawConn c(s.server->port());
  ASSERT_TRUE(c.Send(Get("/split")));
  const std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << r;
  EXPECT_EQ(r.find("injected"), std::string::npos) << r;
  EXPECT_EQ(r.find("X-Evil"), std::string::npos) << r;
}

TEST(EventFront, SendsNoBodyOrLengthWith204) {
  RunningServer s(TestRouter());
  RawConn c(s.server->port());
  ASSERT_TRUE(c.Send(Get("/empty") + Get("/n/after")));
  const std::string r = c.ReadResponse();
  EXPECT_EQ(r.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u) << r;
  EXPECT_EQ(r.find("Content-Length"), std::string::npos) << r;
  EXPECT_NE(c.ReadResponse().find("n=after"), std::string::npos);
}

TEST(EventFront, WritesALargeResponseInFullToASlowReader) {
  RunningServer s(TestRouter());
  RawConn c(s.server->port());
  int small = 64 << 10;
  ::setsockopt(c.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  ASSERT_TRUE(
      c.Send(Get("/big/8192") + Get("/n/next")));  // 8 MiB: more than the socket buffers hold
  std::this_thread::sleep_for(300ms);  // the server meets a full socket and waits to write
  const std::string r = c.ReadResponse(10s);
  ASSERT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << r.substr(0, 200);
  EXPECT_EQ(r.size() - (r.find("\r\n\r\n") + 4), 8u * 1024 * 1024);
  EXPECT_NE(c.ReadResponse().find("n=next"), std::string::npos);
}

TEST(EventFront, ServesManyConnectionsAtOnceWithFewWorkers) {
  RunningServer s(TestRouter(), [](ServerOptions& o) { o.worker_threads = 2; });
  constexpr int kClients = 8;
  constexpr int kRequests = 50;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      RawConn c(s.server->port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string n = std::to_string(t) + "x" + std::to_string(i);
        if (!c.Send(Get("/n/" + n))) return;
        if (c.ReadResponse().find("n=" + n + " ") != std::string::npos) ++answered;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(answered, kClients * kRequests);
}

}  // namespace
}  // namespace idm::http
