// http::Server life cycle: bind, listen (with a real backlog), serve on a thread, stop and drain.
// The per-request work is in exchange.cc. See server.h.
#include "idm/http/server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "idm/http/sec_usec.h"
#include "idm/http/server_impl.h"

namespace idm::http {
namespace {

Status Validate(const ServerOptions& o) {
  auto bad = [](std::string m) { return Error{ErrorCode::kInvalidArgument, std::move(m)}; };
  if (o.port < 0 || o.port > 65535) return bad("port must be 0..65535");
  if (o.worker_threads < 1) return bad("worker_threads must be at least 1");
  if (o.max_body_bytes == 0 || o.max_header_bytes == 0) return bad("size limits must be > 0");
  if (o.keep_alive_max_count < 1) return bad("keep_alive_max_count must be at least 1");
  if (o.read_timeout.count() <= 0 || o.write_timeout.count() <= 0) {
    return bad("timeouts must be > 0");
  }
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return bad("TLS needs both a certificate and a key file");
  }
  return {};
}

}  // namespace

Server::Impl::Impl(ServerOptions opts, Router r) : options(std::move(opts)), router(std::move(r)) {
  tls = !options.tls_cert_file.empty();
  registry = options.metrics != nullptr ? options.metrics : &own_registry;
  logger = options.logger != nullptr ? options.logger : &core::log::Default();
  clock = options.clock != nullptr ? options.clock : &system_clock;
  requests = &registry->AddCounter("idm_http_requests_total",
                                   "HTTP requests answered, by route pattern, method and status.",
                                   {"route", "method", "status"});
  duration = &registry->AddHistogram("idm_http_request_duration_seconds",
                                     "Time from routing a request to its response, in seconds.",
                                     {"route"});
  in_flight =
      &registry->AddGauge("idm_http_in_flight", "HTTP requests being handled.").WithLabels({});
  busy = std::make_unique<BusyPeers>(options.worker_threads);
}

Server::Server(ServerOptions options, Router router)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::~Server() {
  if (!impl_->started) return;
  if (impl_->front) {
    impl_->front.reset();  // stops if running; waits for requests in progress
    return;
  }
  if (!impl_->stopped) impl_->svr->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

int Server::port() const { return impl_->bound_port.load(); }
bool Server::tls() const { return impl_->tls; }

Status Server::Impl::CreateLibraryServer() {
  if (!tls) {
    svr = std::make_unique<httplib::Server>();
    return {};
  }
  auto ssl = std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(),
                                                  options.tls_key_file.c_str());
  if (!ssl->is_valid()) {
    return Error{ErrorCode::kTls, "cannot load TLS certificate " + options.tls_cert_file +
                                      " or key " + options.tls_key_file};
  }
  svr = std::move(ssl);
  return {};
}

void Server::Impl::ConfigureLibrary() {
  const ServerOptions& o = options;
  const int workers = o.worker_threads;
  svr->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  auto [rs, ru] = detail::SecUsec(o.read_timeout);
  auto [ws, wu] = detail::SecUsec(o.write_timeout);
  svr->set_read_timeout(rs, ru);
  svr->set_write_timeout(ws, wu);
  svr->set_keep_alive_max_count(static_cast<size_t>(o.keep_alive_max_count));
  svr->set_keep_alive_timeout(static_cast<time_t>(o.keep_alive_timeout.count()));
  svr->set_payload_max_length(o.max_body_bytes);  // backstop; RejectBeforeBody answers first
  // cpp-httplib 0.11 leaves Nagle on; with delayed ACKs a keep-alive connection then stalls
  // ~40 ms per response. Accepted sockets inherit TCP_NODELAY from the listening socket.
  svr->set_tcp_nodelay(true);
  // Replaces the library default (SO_REUSEPORT, which would let a second server bind a port in
  // use and silently share it) with SO_REUSEADDR, and remembers the fd to enlarge the backlog.
  svr->set_socket_options([this](int fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    listen_fd = fd;
  });
  InstallHandlers(*svr);
}

Result<int> Server::Impl::Bind() {
  const ServerOptions& o = options;
  errno = 0;
  int port = o.port;
  if (o.port == 0) {
    port = svr->bind_to_any_port(o.host);
  } else if (!svr->bind_to_port(o.host, o.port)) {
    port = -1;
  }
  if (port < 0) {
    const int err = errno;
    std::string why = err != 0 ? std::strerror(err) : "address not usable";
    return Error{ErrorCode::kBind,
                 "cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + why};
  }
  // The library listen()s with a backlog of 5; a burst of connections then gets SYN drops and
  // 1 s+ retransmits. Listening again on the bound socket just raises the backlog.
  if (::listen(listen_fd.load(), o.listen_backlog) != 0) {
    logger->Write(core::log::Level::kWarn, "http listen backlog not raised",
                  {{"error", std::strerror(errno)}});
  }
  return port;
}

Status Server::Impl::StartFront() {
  const ServerOptions& o = options;
  FrontOptions f;
  f.host = o.host;
  f.port = o.port;
  f.threads = o.worker_threads;
  f.max_body_bytes = o.max_body_bytes;
  f.max_header_bytes = o.max_header_bytes;
  f.read_timeout = o.read_timeout;
  f.write_timeout = o.write_timeout;
  f.keep_alive_timeout = o.keep_alive_timeout;
  f.keep_alive_max_count = o.keep_alive_max_count;
  f.listen_backlog = o.listen_backlog;
  f.open_connections =
      &registry->AddGauge("idm_http_open_connections", "Open client connections (plain HTTP).")
           .WithLabels({});
  front = std::make_unique<EventFront>(
      f, [this](FrontRequest& request) { return ServeFront(request); }, *logger);
  Result<int> port = front->Listen();
  if (!port.ok()) {
    front.reset();
    return port.error();
  }
  bound_port = *port;
  front->Start();
  started = true;
  logger->Write(core::log::Level::kInfo, "http server listening",
                {{"host", o.host}, {"port", *port}, {"tls", false}});
  return {};
}

Status Server::Start() {
  Impl& m = *impl_;
  if (m.started) return Error{ErrorCode::kState, "server already started"};
  IDM_TRY(Validate(m.options));
  if (!m.tls) return m.StartFront();
  IDM_TRY(m.CreateLibraryServer());
  m.ConfigureLibrary();
  IDM_ASSIGN_OR_RETURN(const int port, m.Bind());
  m.bound_port = port;

  std::promise<void> finished;
  m.done = finished.get_future();
  m.thread = std::thread([svr = m.svr.get(), p = std::move(finished)]() mutable {
    svr->listen_after_bind();
    p.set_value();
  });
  m.started = true;
  while (!m.svr->is_running() &&
         m.done.wait_for(std::chrono::milliseconds(1)) != std::future_status::ready) {
  }
  m.logger->Write(core::log::Level::kInfo, "http server listening",
                  {{"host", m.options.host}, {"port", port}, {"tls", m.tls}});
  return {};
}

Status Server::Stop() {
  Impl& m = *impl_;
  if (!m.started || m.stopped) return {};
  m.stopped = true;
  if (m.front) {
    Result<int> closed = m.front->Stop(m.options.shutdown_timeout);
    if (!closed.ok()) {
      m.logger->Write(core::log::Level::kWarn, "http server stop timed out",
                      {{"in_flight", m.in_flight->Value()}});
      return closed.error();
    }
    m.logger->Write(core::log::Level::kInfo, "http server stopped",
                    {{"port", m.bound_port.load()}, {"idle_connections_closed", *closed}});
    return {};
  }
  m.svr->stop();
  // The library would hold each idle keep-alive connection until keep_alive_timeout.
  const int ended = EndIdleConnections(m.bound_port.load(), *m.busy);
  if (m.done.wait_for(m.options.shutdown_timeout) != std::future_status::ready) {
    m.logger->Write(core::log::Level::kWarn, "http server stop timed out",
                    {{"in_flight", m.in_flight->Value()}});
    return Error{ErrorCode::kTimeout, "requests still running after the shutdown timeout"};
  }
  m.thread.join();
  m.logger->Write(core::log::Level::kInfo, "http server stopped",
                  {{"port", m.bound_port.load()}, {"idle_connections_closed", ended}});
  return {};
}

}  // namespace idm::http
