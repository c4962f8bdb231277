// http::Server: idm's HTTP(S) server, the one adapter between sockets and the Router of
// endpoints. Plain HTTP is served by idm's event-driven front (event_front.h, design 026); TLS by
// cpp-httplib. It owns the transport concerns so endpoints never see them:
//  - listening (host/port, port 0 = ephemeral, backlog 4096, TCP_NODELAY, keep-alive), optional
//    TLS when a certificate and key are configured;
//  - limits: body bytes (413, checked on Content-Length before the body is read, and while
//    reading chunked bodies), header bytes (431), URI length (414, the library's fixed 8 KiB),
//    read timeout while receiving a body (408);
//  - request ids (X-Request-Id / traceparent, always echoed), security headers, one JSON access-log
//    line per request (never the query string or credentials), Prometheus metrics
//    (idm_http_requests_total, idm_http_request_duration_seconds, idm_http_in_flight);
//  - an exception barrier: an exception escaping an endpoint is logged and answered with a 500
//    JSON error carrying the request id; the process keeps serving.
// docs/design/006-http-layer.md explains the choices.
//
// Thread-safety: Start() and Stop() are called from one controlling thread. Handlers run on the
// server's worker threads, so the Router's handlers must be thread-safe. Over plain HTTP a
// connection holds a worker only while one of its requests is handled; over TLS it holds one for
// its keep-alive lifetime. port() is safe from any thread after Start().
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "idm/core/clock.h"
#include "idm/core/log.h"
#include "idm/core/metrics.h"
#include "idm/core/net_address.h"
#include "idm/core/random.h"
#include "idm/http/error.h"
#include "idm/http/router.h"

namespace idm::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0 = an ephemeral port, read back with Server::port()
  int worker_threads = 32;             // requests handled at once (TLS: connections served)
  size_t max_body_bytes = 1 << 20;     // larger bodies get 413
  size_t max_header_bytes = 16 << 10;  // sum of header lines; more gets 431
  std::chrono::milliseconds read_timeout{10'000};   // per read while receiving a request
  std::chrono::milliseconds write_timeout{10'000};  // per write while sending a response
  int keep_alive_max_count = 1000;                  // requests per connection before it is closed
  std::chrono::seconds keep_alive_timeout{5};       // idle time before a connection is closed
  std::chrono::milliseconds shutdown_timeout{15'000};  // Stop()'s bound on draining
  int listen_backlog = 4096;  // pending-connection queue (the library fixes it at 5)
  // Peers whose X-Forwarded-For names the client (WebRequest::remote_addr); empty = none
  // (core::ClientAddress, docs/deploy-proxy.md).
  std::vector<core::AddressRange> trusted_proxies;
  std::string tls_cert_file;  // PEM; TLS is on when both files are given
  std::string tls_key_file;   // PEM private key

  // Collaborators (not owned; must outlive the server). nullptr = a default.
  core::metrics::Registry* metrics = nullptr;  // nullptr = a registry private to the server
  core::log::Logger* logger = nullptr;         // nullptr = core::log::Default()
  const core::Clock* clock = nullptr;          // sets WebRequest::received_at; nullptr = system
  core::Random* random = nullptr;  // request ids (tests); nullptr = a per-thread PRNG (idm serve)
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();  // Stop()s if running; blocks until the serving thread has ended
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts serving on a background thread; returns once requests are
  // accepted. Errors: kBind (address in use, bad host), kTls (certificate/key not loadable),
  // kInvalidArgument (bad options), kState (already started).
  Status Start();

  // The bound port (the chosen one when options.port was 0); 0 before Start().
  int port() const;
  bool tls() const;

  // Stops accepting connections, closes idle keep-alive connections at once, lets in-flight
  // requests finish, and returns when the serving threads have ended. Errors:
  // kTimeout when requests are still running after shutdown_timeout (the server then finishes
  // them in the background and the destructor waits for them). Calling it again, or before
  // Start(), is a no-op.
  Status Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace idm::http
