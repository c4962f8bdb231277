// Server::Impl: the state behind http::Server, shared by server.cc (life cycle: bind, listen,
// stop) and exchange.cc (one request: limits, request id, dispatch, exception barrier, security
// headers, access log, metrics). Private to idm/http: it includes httplib.h.
//
// Thread-safety: the life-cycle members are used by the controlling thread only; the exchange
// members (router, metrics handles, logger) are read-only or atomic once Start() has run.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "idm/http/event_front.h"
#include "idm/http/idle_connections.h"
#include "idm/http/middleware.h"
#include "idm/http/server.h"

namespace idm::http {

struct Server::Impl {
  Impl(ServerOptions opts, Router r);

  // server.cc: the event front for plain HTTP (listens and starts it).
  Status StartFront();
  // server.cc: the library server (TLS), its options, and binding (returns the port).
  Status CreateLibraryServer();
  void ConfigureLibrary();
  Result<int> Bind();

  // exchange.cc: installs the catch-all handlers, the pre-routing limits and the error handlers.
  void InstallHandlers(httplib::Server& svr);

  // Handles one routed request; `reader` is null for methods without a body.
  void Serve(const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader* reader);
  // Limits checked before the body is read; true when it answered (413/431/400).
  bool RejectBeforeBody(const httplib::Request& req, httplib::Response& res);
  // Turns a library-generated error (400, 413, 414, ...) into idm's JSON error; false when the
  // response is already one of ours.
  bool FormatLibraryError(const httplib::Request& req, httplib::Response& res);

  // Reads the body of a POST/PUT/PATCH/DELETE into *body within max_body_bytes; the error
  // response (413, 415, 408, 400) when it cannot.
  std::optional<WebResponse> ReadBody(const httplib::Request& req,
                                      const httplib::ContentReader& reader,
                                      std::chrono::steady_clock::time_point start,
                                      std::string* body);
  WebResponse TooLarge() const;
  WebRequest ToWebRequest(const httplib::Request& req) const;
  // The members both transports fill the same way: the client address (X-Forwarded-For from a
  // trusted proxy), tls, received_at and the request id. Needs w.headers.
  void FillFromPeer(WebRequest& w, const std::string& peer_addr, int peer_port) const;
  WebResponse Dispatch(WebRequest& request, std::string* route);
  // Applies security headers, the request id and Date to `response`, records metrics and writes
  // the access-log line.
  void Complete(const WebRequest& request, WebResponse& response, const std::string& route,
                std::chrono::steady_clock::time_point start);
  // Complete(), then copies `response` into `res`.
  void Finish(const WebRequest& request, WebResponse response, const std::string& route,
              std::chrono::steady_clock::time_point start, httplib::Response& res);

  // exchange.cc: one request from the event front (plain HTTP): the same limits, dispatch,
  // exception barrier, headers, metrics and log as the library path.
  WebResponse ServeFront(FrontRequest& request);
  WebRequest FrontToWebRequest(FrontRequest& request) const;

  ServerOptions options;
  Router router;
  bool tls = false;

  core::metrics::Registry own_registry;
  core::metrics::Registry* registry = nullptr;
  core::log::Logger* logger = nullptr;
  core::SystemClock system_clock;
  const core::Clock* clock = nullptr;
  core::metrics::CounterFamily* requests = nullptr;
  core::metrics::HistogramFamily* duration = nullptr;
  core::metrics::Gauge* in_flight = nullptr;
  // The peers of the requests being handled, so Stop() ends only idle connections.
  std::unique_ptr<BusyPeers> busy;

  std::unique_ptr<EventFront> front;  // plain HTTP (design 026)
  std::unique_ptr<httplib::Server> svr;  // TLS
  std::atomic<int> listen_fd{-1};
  std::atomic<int> bound_port{0};
  std::thread thread;
  std::future<void> done;
  bool started = false;
  bool stopped = false;
};

}  // namespace idm::http
