// EventFront: idm's plain-HTTP/1.1 transport (docs/design/026-event-driven-front.md). Private to
// idm/http; http::Server uses it for every listener without TLS.
//
// One epoll set holds the listening socket and every connection, each registered one-shot
// (EPOLLONESHOT), and `threads` threads wait on it. The thread that receives a connection's event
// owns that connection until it re-arms it: it reads what has arrived, feeds it to the HTTP/1.1
// parser (Debian's libhttp-parser), and when a request is complete runs the handler on the same
// thread and writes the response without blocking. A connection between requests therefore costs
// a file descriptor and a small buffer, not a thread: thousands of idle keep-alive clients no
// longer hold the workers the busy ones need (design 022's measurement of cpp-httplib).
//
// Limits (design 006): request-target bytes (414), header bytes (431), body bytes (413, checked
// on Content-Length before any body byte is read and while a chunked body grows), a request
// framed by both Content-Length and Transfer-Encoding (400, RFC 9112 §6.1), malformed requests
// (400). A limit answer closes the connection: the rest of its bytes cannot be trusted.
// Time limits, enforced by a sweeper thread: a request that stops arriving for read_timeout gets
// 408, a connection idle between requests for keep_alive_timeout is closed, a response the
// client does not read for write_timeout is abandoned.
//
// Thread-safety: Listen/Start/Stop from one controlling thread; the handler is called
// concurrently from the front's threads (one request per connection at a time).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "idm/core/log.h"
#include "idm/core/metrics.h"
#include "idm/http/error.h"
#include "idm/http/web.h"

namespace idm::http {

// One request as the front parsed it: the bytes of the request-target, the headers and the
// decoded body (chunked framing removed). `reject_status` is set when the front refused the
// request (414, 431, 413, 400, 408): the handler must answer with that status, and the
// connection is closed after the response.
struct FrontRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
  std::string remote_addr;  // the peer's numeric address
  int remote_port = 0;
  std::chrono::steady_clock::time_point start;  // when the request was complete (or refused)
  int reject_status = 0;
  std::string reject_reason;
};

struct FrontOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 8;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  size_t max_target_bytes = 8 << 10;
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds keep_alive_timeout{5'000};
  int keep_alive_max_count = 1000;
  int listen_backlog = 4096;
  // Open client connections (idm_http_open_connections); not owned; nullptr = not counted.
  core::metrics::Gauge* open_connections = nullptr;
};

class EventFront {
 public:
  // Answers one request; its response goes back to the client as it is (the front adds only
  // Content-Length and Connection). Must not throw: the caller's exception barrier is inside.
  using Handler = std::function<WebResponse(FrontRequest&)>;

  EventFront(FrontOptions options, Handler handler, core::log::Logger& logger);
  ~EventFront();  // stops if running; waits for requests in progress
  EventFront(const EventFront&) = delete;
  EventFront& operator=(const EventFront&) = delete;

  // Binds and listens; the bound port. Errors: kBind.
  Result<int> Listen();
  // Starts the threads; requests are answered from now on.
  void Start();
  // Stops accepting, closes the connections that are between requests at once, and waits up to
  // `timeout` for the requests being handled (each connection is closed after its response).
  // The number of connections closed at once; kTimeout when requests are still running (they
  // finish in the background; the destructor waits for them).
  Result<int> Stop(std::chrono::milliseconds timeout);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace idm::http
