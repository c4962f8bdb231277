// http::Server over real sockets on an ephemeral port, driven by http::Client.
#include "idm/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

#include "idm/http/middleware.h"
#include "server_fixture.h"

namespace idm::http {
namespace {

using testing::RawExchange;
using testing::RunningServer;

Router EchoRouter() {
  Router r;
  r.Add("GET", "/echo/{word}", [](const WebRequest& q) {
    core::Json j = {{"word", q.PathParam("word")},
                    {"request_id", q.request_id},
                    {"port", q.remote_port},
                    {"q", q.Query("q").value_or("")}};
    return WebResponse::Json(200, j.dump());
  });
  r.Add("POST", "/form", [](const WebRequest& q) {
    Params f = q.Form();
    auto it = f.find("v");
    return WebResponse::Text(
        200, std::to_string(q.body.size()) + ":" + (it == f.end() ? "" : it->second.substr(0, 8)));
  });
  r.Add("GET", "/throw",
        [](const WebRequest&) -> WebResponse { throw std::runtime_error("boom"); });
  r.Add("GET", "/csp", [](const WebRequest&) {
    return WebResponse::Html(200, "<p>").SetHeader("Content-Security-Policy", "default-src 'self'");
  });
  return r;
}

TEST(HttpServer, ListensOnAnEphemeralPort) {
  RunningServer s(EchoRouter());
  EXPECT_GT(s.server->port(), 0);
  Client c(s.Url());
  auto r = c.Get("/echo/hi?q=a%20b");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  core::Json j = core::Json::parse(r->body);
  EXPECT_EQ(j["word"], "hi");
  EXPECT_EQ(j["q"], "a b");
}

TEST(HttpServer, EchoesAValidClientRequestId) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  auto r = c.Get("/echo/x", {{"X-Request-Id", "abc.DEF_123-x"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Header("X-Request-Id"), "abc.DEF_123-x");
  EXPECT_EQ(core::Json::parse(r->body)["request_id"], "abc.DEF_123-x");
}

TEST(HttpServer, ReplacesAnInvalidRequestIdWithAGeneratedOne) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  auto r = c.Get("/echo/x", {{"X-Request-Id", "bad id;<script>"}});
  ASSERT_TRUE(r.ok());
  std::string id = r->Header("X-Request-Id").value_or("");
  EXPECT_EQ(id.size(), 32u);
  EXPECT_TRUE(IsValidRequestId(id));
  auto r2 = c.Get("/echo/x");
  ASSERT_TRUE(r2.ok());
  EXPECT_NE(r2->Header("X-Request-Id"), id);  // a new one per request
}

TEST(HttpServer, UsesTheTraceparentTraceIdAsRequestId) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  auto r = c.Get("/echo/x",
                 {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Header("X-Request-Id"), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(HttpServer, SetsSecurityHeadersOnEveryResponse) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  for (const char* target : {"/echo/x", "/nope", "/throw"}) {
    auto r = c.Get(target);
    ASSERT_TRUE(r.ok()) << target;
    EXPECT_EQ(r->Header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(r->Header("Referrer-Policy"), "no-referrer") << target;
    EXPECT_EQ(r->Header("X-Frame-Options"), "DENY") << target;
    EXPECT_EQ(r->Header("Content-Security-Policy"), "frame-ancestors 'none'") << target;
    EXPECT_EQ(r->Header("Strict-Transport-Security"), std::nullopt) << target;  // not TLS
    EXPECT_TRUE(r->Header("X-Request-Id").has_value()) << target;
  }
}

TEST(HttpServer, KeepsAHandlersOwnContentSecurityPolicy) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  auto r = c.Get("/csp");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->headers.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(r->Header("Content-Security-Policy"), "default-src 'self'");
}

TEST(HttpServer, AnswersUnknownPathWith404AndWrongMethodWith405Allow) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  auto nf = c.Get("/missing");
  ASSERT_TRUE(nf.ok());
  EXPECT_EQ(nf->status, 404);
  EXPECT_EQ(core::Json::parse(nf->body)["error"], "not_found");
  auto na = c.Send("DELETE", "/form");
  ASSERT_TRUE(na.ok());
  EXPECT_EQ(na->status, 405);
  EXPECT_EQ(na->Header("Allow"), "POST");
}

TEST(HttpServer, DeliversFormBodiesLargerThanTheLibraryFormLimit) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  std::string body =
      "v=" + std::string(20000, 'a');  // cpp-httplib's own form parser stops at 8 KiB
  auto r = c.Post("/form", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "20002:aaaaaaaa");
}

TEST(HttpServer, RejectsABodyOverTheLimitWith413BeforeReadingIt) {
  std::atomic<int> calls{0};
  Router router;
  router.Add("POST", "/upload", [&calls](const WebRequest&) {
    ++calls;
    return WebResponse::Text(200, "ok");
  });
  RunningServer s(std::move(router), [](ServerOptions& o) { o.max_body_bytes = 1000; });
  Client c(s.Url());
  auto r = c.Post("/upload", std::string(1001, 'x'), "application/octet-stream");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 413);
  core::Json j = core::Json::parse(r->body);
  EXPECT_EQ(j["error"], "payload_too_large");
  EXPECT_NE(j["error_description"].get<std::string>().find("1000 bytes"), std::string::npos);
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_EQ(calls, 0);
  auto ok = c.Post("/upload", std::string(1000, 'x'), "application/octet-stream");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
}

TEST(HttpServer, AnswersAnOversizedBodyOnceWithoutParsingItAsRequests) {
  RunningServer s(EchoRouter(), [](ServerOptions& o) { o.max_body_bytes = 1000; });
  // The unread body must not be taken for further requests on the same connection.
  std::string body = "GET /echo/smuggled HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(2000, 'x');
  std::string out =
      RawExchange(s.server->port(), "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                        std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out;
  EXPECT_EQ(out.find("HTTP/1.1", 1), std::string::npos) << out;
  EXPECT_EQ(s.log.out.str().find("smuggled"), std::string::npos);
}

TEST(HttpServer, RejectsARequestFramedByBothContentLengthAndTransferEncoding) {
  std::atomic<int> calls{0};
  Router router;
  router.Add("POST", "/upload", [&calls](const WebRequest&) {
    ++calls;
    return WebResponse::Text(200, "ok");
  });
  RunningServer s(std::move(router));
  std::string out = RawExchange(s.server->port(),
                                "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                "0\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_NE(out.find("Transfer-Encoding and Content-Length"), std::string::npos);
  EXPECT_EQ(calls, 0);
}

TEST(HttpServer, RejectsAChunkedBodyThatGrowsOverTheLimit) {
  std::atomic<int> calls{0};
  Router router;
  router.Add("POST", "/upload", [&calls](const WebRequest&) {
    ++calls;
    return WebResponse::Text(200, "ok");
  });
  RunningServer s(std::move(router), [](ServerOptions& o) { o.max_body_bytes = 100; });
  std::string chunk(80, 'x');
  std::string out = RawExchange(
      s.server->port(),
      "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "50\r\n" +
          chunk + "\r\n50\r\n" + chunk + "\r\n0\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out;
  EXPECT_EQ(calls, 0);
}

TEST(HttpServer, RejectsOversizedHeadersWith431) {
  RunningServer s(EchoRouter(), [](ServerOptions& o) { o.max_header_bytes = 2048; });
  Client c(s.Url());
  Headers h;
  for (int i = 0; i < 4; ++i) h.emplace("X-Pad-" + std::to_string(i), std::string(1000, 'p'));
  auto r = c.Get("/echo/x", h);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(core::Json::parse(r->body)["error"], "request_header_fields_too_large");
}

TEST(HttpServer, RejectsAnOverlongUriWith414AsJson) {
  RunningServer s(EchoRouter());
  std::string out =
      RawExchange(s.server->port(), "GET /echo/" + std::string(9000, 'a') +
                                        " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 414", 0), 0u) << out.substr(0, 200);
  EXPECT_NE(out.find("\"uri_too_long\""), std::string::npos);
  EXPECT_NE(out.find("X-Request-Id"), std::string::npos);
}

TEST(HttpServer, AnswersABodyThatStopsArrivingWith408) {
  RunningServer s(EchoRouter(),
                  [](ServerOptions& o) { o.read_timeout = std::chrono::milliseconds(300); });
  std::string out = RawExchange(
      s.server->port(), "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nv=short");
  EXPECT_EQ(out.rfind("HTTP/1.1 408", 0), 0u) << out;
  EXPECT_NE(out.find("\"request_timeout\""), std::string::npos);
}

TEST(HttpServer, AnswersASingleHeaderLineOverTheHeaderLimitWith431Json) {
  RunningServer s(EchoRouter());  // max_header_bytes: 16 KiB
  std::string out = RawExchange(
      s.server->port(), "GET /echo/x HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(17000, 'b') +
                            "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 431", 0), 0u) << out.substr(0, 300);
  EXPECT_NE(out.find("application/json"), std::string::npos);
  EXPECT_NE(out.find("Connection: close"), std::string::npos);
}

TEST(HttpServer, AcceptsAHeaderLineLongerThanEightKibWithinTheHeaderLimit) {
  RunningServer s(EchoRouter());
  std::string out = RawExchange(
      s.server->port(), "GET /echo/x HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') +
                            "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 200", 0), 0u) << out.substr(0, 300);
}

TEST(HttpServer, AnswersAMalformedRequestWith400Json) {
  RunningServer s(EchoRouter());
  std::string out =
      RawExchange(s.server->port(), "BREW /pot HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_NE(out.find("\"invalid_request\""), std::string::npos);
  EXPECT_NE(out.find("X-Content-Type-Options: nosniff"), std::string::npos);
}

TEST(HttpServer, TurnsAHandlerExceptionInto500AndKeepsServing) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  auto r = c.Get("/throw", {{"X-Request-Id", "req-boom"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500);
  core::Json j = core::Json::parse(r->body);
  EXPECT_EQ(j["error"], "server_error");
  EXPECT_NE(j["error_description"].get<std::string>().find("req-boom"), std::string::npos);
  EXPECT_EQ(j["error_description"].get<std::string>().find("boom\""), std::string::npos);
  auto next = c.Get("/echo/still");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->status, 200);
  auto logged = s.log.Records("handler threw");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0]["what"], "boom");
  EXPECT_EQ(logged[0]["request_id"], "req-boom");
  EXPECT_EQ(logged[0]["route"], "/throw");
}

TEST(HttpServer, ServesHeadWithTheGetHandlerAndNoBody) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  auto r = c.Send("HEAD", "/echo/x");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");
}

TEST(HttpServer, WritesOneAccessLogLineWithoutQueryOrCredentials) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  auto r = c.Get("/echo/x?code=SECRETCODE",
                 {{"Authorization", "Bearer SECRETTOKEN"}, {"X-Request-Id", "log-1"}});
  ASSERT_TRUE(r.ok());
  auto lines = s.log.Records("http_request");
  ASSERT_EQ(lines.size(), 1u);
  const core::Json& l = lines[0];
  EXPECT_EQ(l["method"], "GET");
  EXPECT_EQ(l["route"], "/echo/{word}");
  EXPECT_EQ(l["path"], "/echo/x");
  EXPECT_EQ(l["status"], 200);
  EXPECT_EQ(l["request_id"], "log-1");
  EXPECT_EQ(l["remote_addr"], "127.0.0.1");
  EXPECT_EQ(l["bytes"], r->body.size());
  EXPECT_TRUE(l["duration_ms"].is_number());
  EXPECT_EQ(s.log.out.str().find("SECRET"), std::string::npos);
}

TEST(HttpServer, KeepAliveRequestsOnOneConnectionAreFast) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  std::set<int> ports;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    auto r = c.Get("/echo/k");
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->status, 200);
    ports.insert(core::Json::parse(r->body)["port"].get<int>());
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(ports.size(), 1u) << "requests did not share one keep-alive connection";
  // With Nagle on, each response waits ~40 ms for a delayed ACK: 200 requests take ~8 s.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(HttpServer, StopLetsAnInFlightRequestFinish) {
  std::promise<void> entered;
  Router router;
  router.Add("GET", "/slow", [&entered](const WebRequest&) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return WebResponse::Text(200, "done");
  });
  RunningServer s(std::move(router));
  auto response = std::async(std::launch::async, [url = s.Url()] {
    Client c(url);
    return c.Get("/slow");
  });
  entered.get_future().wait();
  Status stopped = s.server->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.error().message;
  auto r = response.get();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done");
  Client after(s.Url(), ClientOptions{std::chrono::milliseconds(500)});
  auto refused = after.Get("/slow");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConnect);
  EXPECT_TRUE(s.server->Stop().ok());  // idempotent
}

// cpp-httplib alone would hold a worker on an idle keep-alive connection for the whole
// keep_alive_timeout (60 s here), so Stop() would report kTimeout after shutdown_timeout.
TEST(HttpServer, StopClosesIdleKeepAliveConnectionsAtOnce) {
  RunningServer s(EchoRouter(), [](ServerOptions& o) {
    o.keep_alive_timeout = std::chrono::seconds(60);
    o.shutdown_timeout = std::chrono::seconds(3);
  });
  Client first(s.Url());
  Client second(s.Url());
  ASSERT_TRUE(first.Get("/echo/a").ok());
  ASSERT_TRUE(second.Get("/echo/b").ok());
  const auto before = std::chrono::steady_clock::now();
  Status stopped = s.server->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.error().message;  // kTimeout after 3 s without the fix
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
  auto records = s.log.Records("http server stopped");
  ASSERT_EQ(records.size(), 1u);
  // Both connections were idle. Once, under ASan, the count was 1 while Stop() still returned at
  // once: the other connection had already ended by the time Stop() looked for it.
  const int closed = records[0]["idle_connections_closed"].get<int>();
  EXPECT_GE(closed, 1);
  EXPECT_LE(closed, 2);
}

TEST(HttpServer, StopLetsTheRequestOfABusyKeepAliveConnectionFinish) {
  std::promise<void> entered;
  Router router = EchoRouter();
  router.Add("GET", "/slow", [&entered](const WebRequest&) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return WebResponse::Text(200, "done");
  });
  RunningServer s(std::move(router), [](ServerOptions& o) {
    o.keep_alive_timeout = std::chrono::seconds(60);
    o.shutdown_timeout = std::chrono::seconds(3);
  });
  Client idle(s.Url());
  ASSERT_TRUE(idle.Get("/echo/a").ok());
  Client busy(s.Url());
  ASSERT_TRUE(busy.Get("/echo/b").ok());  // the slow request reuses this connection
  auto response = std::async(std::launch::async, [&busy] { return busy.Get("/slow"); });
  entered.get_future().wait();
  Status stopped = s.server->Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.error().message;
  auto r = response.get();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "done");
  auto records = s.log.Records("http server stopped");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["idle_connections_closed"], 1);
}

TEST(HttpServer, StopReportsATimeoutWhenARequestOutlivesTheBound) {
  std::promise<void> entered;
  Router router;
  router.Add("GET", "/slower", [&entered](const WebRequest&) {
    entered.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    return WebResponse::Text(200, "late");
  });
  RunningServer s(std::move(router),
                  [](ServerOptions& o) { o.shutdown_timeout = std::chrono::milliseconds(100); });
  auto response =
      std::async(std::launch::async, [url = s.Url()] { return Client(url).Get("/slower"); });
  entered.get_future().wait();
  Status stopped = s.server->Stop();
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, ErrorCode::kTimeout);
  auto r = response.get();  // the request still completes; the destructor waits for it
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "late");
}

TEST(HttpServer, StartFailsWithAnErrorWhenThePortIsInUse) {
  RunningServer first(EchoRouter());
  ServerOptions o;
  o.port = first.server->port();
  o.logger = &first.log.logger;
  Server second(o, EchoRouter());
  Status s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBind);
  EXPECT_NE(s.error().message.find(std::to_string(o.port)), std::string::npos);
  Client c(first.Url());  // the first server is unaffected
  auto r = c.Get("/echo/x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
}

TEST(HttpServer, StartRejectsInvalidOptionsAndASecondStart) {
  ServerOptions bad;
  bad.port = 70000;
  EXPECT_EQ(Server(bad, Router()).Start().error().code, ErrorCode::kInvalidArgument);
  ServerOptions half_tls;
  half_tls.port = 0;
  half_tls.tls_cert_file = "/nonexistent.pem";
  EXPECT_EQ(Server(half_tls, Router()).Start().error().code, ErrorCode::kInvalidArgument);
  ServerOptions missing_tls = half_tls;
  missing_tls.tls_key_file = "/nonexistent.key";
  EXPECT_EQ(Server(missing_tls, Router()).Start().error().code, ErrorCode::kTls);
  RunningServer s(EchoRouter());
  EXPECT_EQ(s.server->Start().error().code, ErrorCode::kState);
}

TEST(HttpServer, CountsRequestsByRouteMethodAndStatus) {
  RunningServer s(EchoRouter());
  Client c(s.Url());
  ASSERT_TRUE(c.Get("/echo/a").ok());
  ASSERT_TRUE(c.Get("/echo/b").ok());
  ASSERT_TRUE(c.Get("/missing").ok());
  const std::string text = s.metrics.Render();
  EXPECT_NE(
      text.find("idm_http_requests_total{route=\"/echo/{word}\",method=\"GET\",status=\"200\"} 2"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("idm_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1"),
      std::string::npos);
  EXPECT_NE(text.find("idm_http_request_duration_seconds_count{route=\"/echo/{word}\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("idm_http_in_flight 0"), std::string::npos);
}

TEST(HttpServer, TakesTheClientAddressFromXForwardedForOnlyFromATrustedProxy) {
  Router router;
  router.Add("GET", "/addr",
             [](const WebRequest& q) { return WebResponse::Text(200, q.remote_addr); });
  auto trusted = core::ParseAddressRanges("127.0.0.1");
  ASSERT_TRUE(trusted);
  RunningServer behind(router, [&](ServerOptions& o) { o.trusted_proxies = *trusted; });
  Client c(behind.Url());
  auto r = c.Get("/addr", {{"X-Forwarded-For", "198.51.100.1, 203.0.113.5"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "203.0.113.5");  // the right-most hop the trusted proxy reports
  auto lines = behind.log.Records("http_request");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["remote_addr"], "203.0.113.5");

  auto other = core::ParseAddressRanges("10.0.0.0/8");
  ASSERT_TRUE(other);
  RunningServer direct(router, [&](ServerOptions& o) { o.trusted_proxies = *other; });
  auto d = Client(direct.Url()).Get("/addr", {{"X-Forwarded-For", "203.0.113.5"}});
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->body, "127.0.0.1");  // the peer is not a trusted proxy: the header is ignored

  // A client's own line first, the proxy's appended line second: one list, read from the right.
  Headers two_lines = {{"X-Forwarded-For", "203.0.113.66"}, {"X-Forwarded-For", "198.51.100.9"}};
  auto l = c.Get("/addr", two_lines);
  ASSERT_TRUE(l.ok()) << l.error().message;
  EXPECT_EQ(l->body, "198.51.100.9");
}

}  // namespace
}  // namespace idm::http
