// EventFront: accept, read, parse and write on an epoll set shared by the worker threads. See
// event_front.h and docs/design/026-event-driven-front.md.
#include "idm/http/event_front.h"

#include <arpa/inet.h>
#include <http_parser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "idm/core/ascii.h"

namespace idm::http {
namespace {

using SteadyClock = std::chrono::steady_clock;

// epoll data: the stop signal, then connection ids.
constexpr uint64_t kWakeId = 1;
constexpr uint64_t kFirstConnectionId = 2;
constexpr size_t kReadChunk = 16 << 10;
// Requests one connection may have answered per event before the thread turns to others (a
// client pipelining many requests must not hold a thread); the rest is served on its next turn.
constexpr int kRequestsPerTurn = 16;

const char* Reason(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

// True when the header value is a comma-separated list containing `token` (RFC 9110 §5.6.1).
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    if (core::EqualsIgnoreCase(TrimOws(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

bool SafeHeaderText(std::string_view s) {
  return s.find_first_of("\r\n", 0) == std::string_view::npos && s.find('\0') == s.npos;
}

// The status line, the handler's headers, Content-Length and Connection (RFC 9112 §6, §9.6).
// A header whose name or value holds CR, LF or NUL is dropped: it would split the response.
void Serialize(const WebResponse& r, bool head, bool close, bool http10_keep_alive,
               std::string* out) {
  const int status = r.status;
  const bool no_body = status == 204 || status == 304 || (status >= 100 && status < 200);
  size_t size = 64 + r.body.size();
  for (const auto& [name, value] : r.headers) size += name.size() + value.size() + 4;
  out->clear();
  out->reserve(size);
  out->append("HTTP/1.1 ");
  out->append(std::to_string(status));
  out->push_back(' ');
  out->append(Reason(status));
  out->append("\r\n");
  for (const auto& [name, value] : r.headers) {
    if (core::EqualsIgnoreCase(name, "Content-Length") ||
        core::EqualsIgnoreCase(name, "Connection") ||
        core::EqualsIgnoreCase(name, "Transfer-Encoding") || !SafeHeaderText(name) ||
        !SafeHeaderText(value)) {
      continue;
    }
    out->append(name);
    out->append(": ");
    out->append(value);
    out->append("\r\n");
  }
  if (!no_body) {
    out->append("Content-Length: ");
    out->append(std::to_string(r.body.size()));
    out->append("\r\n");
  }
  if (close) {
    out->append("Connection: close\r\n");
  } else if (http10_keep_alive) {
    out->append("Connection: keep-alive\r\n");
  }
  out->append("\r\n");
  if (!head && !no_body) out->append(r.body);
}

bool WantsClose(const WebResponse& r) {
  const auto range = r.headers.equal_range("Connection");
  for (auto it = range.first; it != range.second; ++it) {
    if (HasToken(it->second, "close")) return true;
  }
  return false;
}

std::string NumericHost(const sockaddr_storage& addr, int* port) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    *port = ntohs(v4->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    *port = ntohs(v6->sin6_port);
  }
  return text;
}

}  // namespace

struct EventFront::Impl {
  // One client connection. Every member is used under `mu`, held by the thread that owns the
  // connection's current event or by the sweeper (try_lock only, so it never waits on a request).
  struct Conn {
    Impl* owner = nullptr;
    uint64_t id = 0;
    int fd = -1;
    std::mutex mu;
    bool closed = false;
    std::string peer;
    int peer_port = 0;

    http_parser parser{};
    std::string in;     // received, not yet parsed
    FrontRequest req;   // the request being parsed
    std::string field;  // the header name being parsed
    std::string value;  // its value
    bool in_value = false;
    size_t header_bytes = 0;
    bool in_request = false;  // bytes of a request have arrived
    bool headers_done = false;
    bool complete = false;
    bool keep_alive = true;
    bool http10 = false;
    bool expect_continue = false;
    bool continue_sent = false;

    std::string out;  // the response being written
    size_t out_off = 0;
    bool writing = false;
    bool close_after_write = false;
    int served = 0;
    SteadyClock::time_point last_progress;

    ~Conn() {
      if (fd >= 0) ::close(fd);
    }
  };

  Impl(FrontOptions o, Handler h, core::log::Logger& l)
      : options(std::move(o)), handler(std::move(h)), logger(l) {
    http_parser_settings_init(&settings);
    settings.on_message_begin = OnMessageBegin;
    settings.on_url = OnUrl;
    settings.on_header_field = OnHeaderField;
    settings.on_header_value = OnHeaderValue;
    settings.on_headers_complete = OnHeadersComplete;
    settings.on_body = OnBody;
    settings.on_message_complete = OnMessageComplete;
  }

  // --- parser callbacks (parser->data is the Conn) -------------------------------------------
  static Conn& Of(http_parser* p) { return *static_cast<Conn*>(p->data); }
  static const Impl& Owner(http_parser* p) { return *Of(p).owner; }

  static int Refuse(Conn& c, int status, std::string reason) {
    c.req.reject_status = status;
    c.req.reject_reason = std::move(reason);
    return 1;  // stops the parser (HPE_CB_*)
  }
  static int OnMessageBegin(http_parser* p) {
    Conn& c = Of(p);
    c.req = FrontRequest{};
    c.field.clear();
    c.value.clear();
    c.in_value = false;
    c.header_bytes = 0;
    c.in_request = true;
    c.headers_done = false;
    c.complete = false;
    c.expect_continue = false;
    c.continue_sent = false;
    return 0;
  }
  static int OnUrl(http_parser* p, const char* at, size_t n) {
    Conn& c = Of(p);
    c.req.target.append(at, n);
    if (c.req.target.size() > Owner(p).options.max_target_bytes) {
      return Refuse(c, 414, "request URI is too long");
    }
    return 0;
  }
  static void CommitHeader(Conn& c) {
    if (c.field.empty()) return;
    c.header_bytes += c.field.size() + c.value.size() + 4;
    c.req.headers.emplace(std::move(c.field), std::string(TrimOws(c.value)));
    c.field.clear();
    c.value.clear();
  }
  static int CheckHeaderBytes(http_parser* p) {
    Conn& c = Of(p);
    const size_t total = c.header_bytes + c.field.size() + c.value.size() + c.req.target.size() + 8;
    if (total > Owner(p).options.max_header_bytes) {
      return Refuse(c, 431, "request headers are too large");
    }
    return 0;
  }
  static int OnHeaderField(http_parser* p, const char* at, size_t n) {
    Conn& c = Of(p);
    if (c.in_value) {
      CommitHeader(c);
      c.in_value = false;
    }
    c.field.append(at, n);
    return CheckHeaderBytes(p);
  }
  static int OnHeaderValue(http_parser* p, const char* at, size_t n) {
    Conn& c = Of(p);
    c.in_value = true;
    c.value.append(at, n);
    return CheckHeaderBytes(p);
  }
  static int OnHeadersComplete(http_parser* p) {
    Conn& c = Of(p);
    const Impl& self = Owner(p);
    CommitHeader(c);
    c.headers_done = true;
    c.req.method = http_method_str(static_cast<http_method>(p->method));
    c.http10 = p->http_major == 1 && p->http_minor == 0;
    if (c.header_bytes + c.req.target.size() + c.req.method.size() >
        self.options.max_header_bytes) {
      return Refuse(c, 431, "request headers are too large");
    }
    // RFC 9112 §3.2: an HTTP/1.1 request without Host, or with more than one, gets 400.
    const size_t hosts = c.req.headers.count("Host");
    if (hosts > 1 || (hosts == 0 && !c.http10 && p->http_major == 1)) {
      return Refuse(c, 400, hosts > 1 ? "more than one Host header" : "missing Host header");
    }
    const bool has_te = c.req.headers.count("Transfer-Encoding") > 0;
    const bool has_cl = c.req.headers.count("Content-Length") > 0;
    // RFC 9112 §6.1: a message with both "ought to be handled as an error" — the request
    // smuggling shape when a proxy and idm disagree on which header frames the body.
    if (has_te && has_cl) {
      return Refuse(c, 400, "both Transfer-Encoding and Content-Length are present");
    }
    if ((p->flags & F_CONTENTLENGTH) != 0 && p->content_length > self.options.max_body_bytes) {
      return Refuse(c, 413, "request body is too large");
    }
    const auto expect = c.req.headers.find("Expect");
    c.expect_continue =
        expect != c.req.headers.end() && core::EqualsIgnoreCase(expect->second, "100-continue");
    return 0;
  }
  static int OnBody(http_parser* p, const char* at, size_t n) {
    Conn& c = Of(p);
    if (c.req.body.size() + n > Owner(p).options.max_body_bytes) {
      return Refuse(c, 413, "request body is too large");
    }
    c.req.body.append(at, n);
    return 0;
  }
  static int OnMessageComplete(http_parser* p) {
    Conn& c = Of(p);
    c.complete = true;
    c.keep_alive = http_should_keep_alive(p) != 0 && p->upgrade == 0;
    http_parser_pause(p, 1);  // one request at a time; the rest stays in Conn::in
    return 0;
  }

  // --- connections ---------------------------------------------------------------------------
  std::shared_ptr<Conn> Find(uint64_t id) {
    std::lock_guard<std::mutex> lock(conns_mu);
    auto it = conns.find(id);
    return it == conns.end() ? nullptr : it->second;
  }

  void Arm(Conn& c, uint32_t events) {
    epoll_event ev{};
    ev.events = events | EPOLLONESHOT | EPOLLRDHUP;
    ev.data.u64 = c.id;
    if (::epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd, &ev) != 0) Close(c);
  }

  void Close(Conn& c) {  // c.mu held
    if (c.closed) return;
    c.closed = true;
    ::shutdown(c.fd, SHUT_RDWR);
    {
      std::lock_guard<std::mutex> lock(conns_mu);
      conns.erase(c.id);
    }
    drained.notify_all();
    if (options.open_connections != nullptr) options.open_connections->Dec();
    // The descriptor is closed when the last reference goes (~Conn): a thread that already took
    // an event for this id sees `closed` and never touches a reused descriptor number.
  }

  void ResetParser(Conn& c) {
    http_parser_init(&c.parser, HTTP_REQUEST);
    c.parser.data = &c;
  }

  // Parses what is buffered. True when a request is complete or refused.
  bool Parse(Conn& c) {
    if (c.in.empty()) return false;
    if (HTTP_PARSER_ERRNO(&c.parser) == HPE_PAUSED) http_parser_pause(&c.parser, 0);
    const size_t used = http_parser_execute(&c.parser, &settings, c.in.data(), c.in.size());
    const http_errno err = HTTP_PARSER_ERRNO(&c.parser);
    if (c.req.reject_status != 0) return true;
    if (err != HPE_OK && err != HPE_PAUSED) {
      if (err == HPE_HEADER_OVERFLOW) {
        Refuse(c, 431, "request headers are too large");
      } else if (err == HPE_UNEXPECTED_CONTENT_LENGTH) {
        // The parser saw the second framing header first (RFC 9112 §6.1, as above).
        Refuse(c, 400, "both Transfer-Encoding and Content-Length are present");
      } else {
        Refuse(c, 400, std::string("malformed request: ") + http_errno_description(err));
      }
      return true;
    }
    c.in.erase(0, used);
    if (c.complete) return true;
    if (c.headers_done && c.expect_continue && !c.continue_sent) {
      // RFC 9110 §10.1.1: the client waits for this before it sends the body.
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      c.continue_sent = true;
      (void)::send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL);
    }
    return false;
  }

  // Runs the handler for the complete or refused request and starts writing its response.
  void Answer(Conn& c) {
    FrontRequest& r = c.req;
    r.remote_addr = c.peer;
    r.remote_port = c.peer_port;
    r.start = SteadyClock::now();
    const bool refused = r.reject_status != 0;
    if (refused && r.method.empty()) {
      // The parser knows the method once the request-target has begun; before that (a request
      // line that stopped arriving or did not parse) there is none to log.
      r.method =
          r.target.empty() ? "UNKNOWN" : http_method_str(static_cast<http_method>(c.parser.method));
    }
    const bool head = r.method == "HEAD";
    WebResponse response = handler(r);
    ++c.served;
    const bool close = refused || !c.keep_alive || WantsClose(response) ||
                       c.served >= options.keep_alive_max_count || stopping.load();
    Serialize(response, head, close, c.http10 && !close, &c.out);
    c.out_off = 0;
    c.writing = true;
    c.close_after_write = close;
    c.in_request = false;
    c.complete = false;
    c.req = FrontRequest{};
    if (refused) c.in.clear();
  }

  // Writes what is left of the response. False when the connection broke.
  bool Flush(Conn& c) {
    while (c.out_off < c.out.size()) {
      const ssize_t n =
          ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_off += static_cast<size_t>(n);
        c.last_progress = SteadyClock::now();
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    c.writing = false;
    c.out.clear();
    if (c.out.capacity() > (64 << 10)) c.out.shrink_to_fit();
    return true;
  }

  // Everything one event on a connection leads to; c.mu held.
  void Serve(Conn& c) {
    if (c.writing) {
      if (!Flush(c)) return Close(c);
      if (c.writing) return Arm(c, EPOLLOUT);
      if (c.close_after_write) return Close(c);
    }
    char buf[kReadChunk];
    for (int answered = 0;;) {
      if (Parse(c)) {
        Answer(c);
        if (!Flush(c)) return Close(c);
        if (c.writing) return Arm(c, EPOLLOUT);
        if (c.close_after_write) return Close(c);
        // Nothing buffered: the client is still reading this response, so a recv() now would
        // only say EAGAIN. Re-arming reports the next request as soon as it is there.
        if (c.in.empty()) return Arm(c, EPOLLIN);
        if (++answered >= kRequestsPerTurn) {
          return Arm(c, EPOLLIN | EPOLLOUT);  // writable at once: the rest is served next turn
        }
        continue;
      }
      const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<size_t>(n));
        c.last_progress = SteadyClock::now();
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (c.in.capacity() > (64 << 10) && c.in.empty()) c.in.shrink_to_fit();
        return Arm(c, EPOLLIN);
      }
      return Close(c);  // end of stream (a partial request is dropped) or a broken connection
    }
  }

  // The acceptor thread: a blocking accept() loop outside the epoll set. In the set, the listener
  // was one ready event among thousands of busy connections, so accepting waited its turn while
  // the kernel's accept queue overflowed and new clients' SYNs were dropped (retried after 1, 3,
  // 7 s: starved connections at 10,000 clients). A thread that sleeps in accept() is woken first.
  void AcceptLoop() {
    for (;;) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (stopping.load()) {
        if (fd >= 0) ::close(fd);
        return;
      }
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors or memory: wait a little rather than spin on a queue that cannot
          // be drained; the clients wait in the kernel's queue meanwhile.
          logger.Write(core::log::Level::kWarn, "http accept failed",
                       {{"error", std::strerror(errno)}});
          std::unique_lock<std::mutex> lock(sweep_mu);
          sweep_cv.wait_for(lock, std::chrono::milliseconds(100));
          continue;
        }
        if (errno == EINVAL || errno == EBADF) return;  // the listener was shut down
        continue;  // EINTR, ECONNABORTED, a network error on a pending connection
      }
      Register(fd, addr);
    }
  }

  void Register(int fd, const sockaddr_storage& addr) {
    if (options.open_connections != nullptr) options.open_connections->Inc();
    auto c = std::make_shared<Conn>();
    c->owner = this;
    c->fd = fd;
    c->peer = NumericHost(addr, &c->peer_port);
    c->last_progress = SteadyClock::now();
    ResetParser(*c);
    {
      std::lock_guard<std::mutex> reg(conns_mu);
      c->id = next_id++;
      conns.emplace(c->id, c);
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    ev.data.u64 = c->id;
    if (::epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      std::lock_guard<std::mutex> conn_lock(c->mu);
      Close(*c);
    }
  }

  void Work() {
    constexpr int kEvents = 1;
    epoll_event events[kEvents];
    for (;;) {
      const int n = ::epoll_wait(epfd, events, kEvents, -1);
      if (n < 0) {
        if (errno == EINTR) continue;
        logger.Write(core::log::Level::kError, "http epoll_wait failed",
                     {{"error", std::strerror(errno)}});
        return;
      }
      for (int i = 0; i < n; ++i) {
        const uint64_t id = events[i].data.u64;
        if (id == kWakeId) return;  // level-triggered: every thread sees it and ends
        std::shared_ptr<Conn> c = Find(id);
        if (!c) continue;
        active.fetch_add(1, std::memory_order_relaxed);
        {
          std::lock_guard<std::mutex> lock(c->mu);
          if (!c->closed) Serve(*c);
        }
        // Fairness (design 026): when other threads hold connections, let them run before this
        // one takes the next event, so no connection waits out a round of time slices behind
        // a descheduled owner. Alone, it skips the call.
        if (active.fetch_sub(1, std::memory_order_relaxed) > 1) ::sched_yield();
      }
    }
  }

  // Time limits, once a tick: 408 for a request that stopped arriving, close for an idle
  // keep-alive connection or a response the client stopped reading.
  void Sweep() {
    const auto now = SteadyClock::now();
    std::vector<std::shared_ptr<Conn>> all;
    {
      std::lock_guard<std::mutex> lock(conns_mu);
      all.reserve(conns.size());
      for (const auto& [id, c] : conns) all.push_back(c);
    }
    for (const auto& c : all) {
      std::unique_lock<std::mutex> lock(c->mu, std::try_to_lock);
      if (!lock.owns_lock() || c->closed) continue;  // a thread is on it
      const auto quiet = now - c->last_progress;
      if (c->writing) {
        if (quiet > options.write_timeout) Close(*c);
      } else if (c->in_request) {
        if (quiet > options.read_timeout) TimeOut(*c);
      } else if (quiet > options.keep_alive_timeout || stopping.load()) {
        Close(*c);
      }
    }
  }

  void TimeOut(Conn& c) {
    const bool headers_done = c.headers_done;
    Refuse(c, 408,
           headers_done ? "request body not received in time" : "request not received in time");
    Answer(c);
    // One attempt without waiting: a client that stalls its own request is not waited for.
    (void)Flush(c);
    Close(c);
  }

  std::chrono::milliseconds Tick() const {
    auto shortest = std::min(
        {options.read_timeout, options.write_timeout,
         std::chrono::duration_cast<std::chrono::milliseconds>(options.keep_alive_timeout)});
    return std::clamp(shortest / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(500));
  }

  void SweepLoop() {
    std::unique_lock<std::mutex> lock(sweep_mu);
    while (!sweep_stop) {
      sweep_cv.wait_for(lock, Tick());
      if (sweep_stop) break;
      lock.unlock();
      Sweep();
      lock.lock();
    }
  }

  // Closes the connections between requests that no thread is on; the number closed. A request
  // still arriving is let finish (or time out with 408), and a response being written is let
  // finish: both close afterwards because the front is stopping.
  int CloseIdle() {
    int closed = 0;
    std::vector<std::shared_ptr<Conn>> all;
    {
      std::lock_guard<std::mutex> lock(conns_mu);
      for (const auto& [id, c] : conns) all.push_back(c);
    }
    for (const auto& c : all) {
      std::unique_lock<std::mutex> lock(c->mu, std::try_to_lock);
      if (!lock.owns_lock() || c->closed || c->writing || c->in_request) continue;
      Close(*c);
      ++closed;
    }
    return closed;
  }

  bool WaitDrained(std::chrono::milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    std::unique_lock<std::mutex> lock(conns_mu);
    while (!conns.empty()) {
      if (drained.wait_until(
              lock, std::min(deadline, SteadyClock::now() + std::chrono::milliseconds(20))) ==
              std::cv_status::timeout &&
          SteadyClock::now() >= deadline) {
        return conns.empty();
      }
      // Connections that finished their last request between requests: close them too.
      lock.unlock();
      CloseIdle();
      lock.lock();
    }
    return true;
  }

  void Join() {
    if (wake_fd >= 0) {
      const uint64_t one = 1;
      (void)::write(wake_fd, &one, sizeof one);
    }
    for (auto& t : workers) {
      if (t.joinable()) t.join();
    }
    workers.clear();
    {
      std::lock_guard<std::mutex> lock(sweep_mu);
      sweep_stop = true;
    }
    sweep_cv.notify_all();
    if (sweeper.joinable()) sweeper.join();
  }

  FrontOptions options;
  Handler handler;
  core::log::Logger& logger;
  http_parser_settings settings{};

  int epfd = -1;
  int wake_fd = -1;
  int listen_fd = -1;
  std::thread acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int> active{0};  // threads serving a connection's event

  std::mutex conns_mu;
  std::condition_variable drained;
  std::unordered_map<uint64_t, std::shared_ptr<Conn>> conns;
  uint64_t next_id = kFirstConnectionId;

  std::vector<std::thread> workers;
  std::thread sweeper;
  std::mutex sweep_mu;
  std::condition_variable sweep_cv;
  bool sweep_stop = false;
  bool started = false;
  bool stopped = false;
};

EventFront::EventFront(FrontOptions options, Handler handler, core::log::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), logger)) {}

EventFront::~EventFront() {
  Impl& m = *impl_;
  if (m.started && !m.stopped) (void)Stop(std::chrono::milliseconds(15'000));
  if (m.started) {
    m.WaitDrained(std::chrono::hours(1));
    m.Join();
  }
  if (m.listen_fd >= 0) ::close(m.listen_fd);
  if (m.wake_fd >= 0) ::close(m.wake_fd);
  if (m.epfd >= 0) ::close(m.epfd);
}

Result<int> EventFront::Listen() {
  Impl& m = *impl_;
  const FrontOptions& o = m.options;
  auto fail = [&](const std::string& why) {
    return Error{ErrorCode::kBind,
                 "cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + why};
  };
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(o.port);
  if (const int rc = ::getaddrinfo(o.host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return fail(::gai_strerror(rc));
  }
  std::string why = "address not usable";
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    // Blocking: the acceptor thread sleeps in accept().
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    // SO_REUSEADDR, never SO_REUSEPORT: a second server must not silently share a port in use.
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    // Accepted sockets inherit TCP_NODELAY: a keep-alive response is never held by Nagle.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, o.listen_backlog) != 0) {
      why = std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) return fail(why);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  int port = 0;
  (void)NumericHost(bound, &port);

  m.epfd = ::epoll_create1(EPOLL_CLOEXEC);
  m.wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (m.epfd < 0 || m.wake_fd < 0) {
    ::close(fd);
    return fail(std::strerror(errno));
  }
  m.listen_fd = fd;
  epoll_event wake{};
  wake.events = EPOLLIN;  // level-triggered, not one-shot: it wakes every thread
  wake.data.u64 = kWakeId;
  ::epoll_ctl(m.epfd, EPOLL_CTL_ADD, m.wake_fd, &wake);
  return port;
}

void EventFront::Start() {
  Impl& m = *impl_;
  m.started = true;
  const int threads = std::max(1, m.options.threads);
  for (int i = 0; i < threads; ++i) {
    m.workers.emplace_back([&m] { m.Work(); });
  }
  m.sweeper = std::thread([&m] { m.SweepLoop(); });
  m.acceptor = std::thread([&m] { m.AcceptLoop(); });
}

Result<int> EventFront::Stop(std::chrono::milliseconds timeout) {
  Impl& m = *impl_;
  if (!m.started || m.stopped) return 0;
  m.stopped = true;
  m.stopping = true;
  // shutdown() wakes the acceptor's accept() with EINVAL; the descriptor is closed once it ended.
  ::shutdown(m.listen_fd, SHUT_RDWR);
  if (m.acceptor.joinable()) m.acceptor.join();
  ::close(m.listen_fd);
  m.listen_fd = -1;
  const int closed = m.CloseIdle();
  if (!m.WaitDrained(timeout)) {
    return Error{ErrorCode::kTimeout, "requests still running after the shutdown timeout"};
  }
  m.Join();
  return closed;
}

}  // namespace idm::http
