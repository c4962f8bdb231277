// Test support: an http::Server on an ephemeral port with a captured log and its own metrics
// registry, plus a raw-socket helper for requests http::Client cannot make (chunked bodies,
// malformed requests).
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "idm/core/log.h"
#include "idm/core/metrics.h"
#include "idm/http/client.h"
#include "idm/http/server.h"

namespace idm::http::testing {

// A log sink several threads may write to (the Logger serializes writes).
struct CapturedLog {
  std::ostringstream out;
  core::log::Logger logger;
  CapturedLog() { logger.Configure({core::log::Level::kDebug, core::log::Format::kJson, &out}); }
  std::vector<core::Json> Records(const std::string& msg) const {
    std::vector<core::Json> found;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) {
      core::Json j = core::Json::parse(line);
      if (j["msg"] == msg) found.push_back(j);
    }
    return found;
  }
};

struct RunningServer {
  CapturedLog log;
  core::metrics::Registry metrics;
  std::unique_ptr<Server> server;

  // Starts `router` on 127.0.0.1:<ephemeral>; `tweak` may adjust the options first.
  template <class Tweak>
  RunningServer(Router router, Tweak tweak) {
    ServerOptions o;
    o.port = 0;
    o.worker_threads = 4;
    o.keep_alive_timeout = std::chrono::seconds(1);
    o.shutdown_timeout = std::chrono::seconds(5);
    o.logger = &log.logger;
    o.metrics = &metrics;
    tweak(o);
    server = std::make_unique<Server>(o, std::move(router));
    Status s = server->Start();
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  }
  explicit RunningServer(Router router) : RunningServer(std::move(router), [](ServerOptions&) {}) {}

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};

// Sends raw bytes on a fresh connection and returns everything the server sent
// until it closed the connection (or 5 s passed).
inline std::string RawExchange(int port, const std::string& bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

}  // namespace idm::http::testing
