// http::Client: a small HTTP/1.1 client (HTTP and HTTPS) for idm's outbound calls — tests,
// webhooks, back-channel logout, upstream identity providers — so nothing outside idm/http
// includes cpp-httplib. One Client talks to one origin ("https://host:port") and keeps its
// connection alive between calls (keep_alive option). An idempotent request (GET, HEAD, PUT,
// DELETE, OPTIONS, TRACE) that fails with a read or write error on a kept-alive connection — the
// server closed it while idle — is sent once more on a new connection (RFC 9110 §9.2.2).
//
//   http::Client c("http://127.0.0.1:8080");
//   auto r = c.Post("/realms/master/protocol/openid-connect/token", body,
//                   "application/x-www-form-urlencoded");
//   if (!r) log(r.error().message); else use(r->status, r->body);
//
// Redirects are not followed (an IdP must see them). TLS verifies the server certificate against
// the system store (or ca_file) unless verify_tls is false (tests only).
//
// Thread-safety: calls on one Client are serialized (one connection); use one Client per thread
// for parallel requests.
//
// Failures: every call returns an Error instead of a response when the request did not complete:
// kInvalidArgument (bad base URL), kConnect, kTimeout, kTls, kIo. An HTTP error status (4xx/5xx)
// is a response, not an Error.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "idm/http/error.h"
#include "idm/http/web.h"

namespace idm::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds write_timeout{10'000};
  bool keep_alive = true;
  bool verify_tls = true;
  std::string ca_file;  // PEM bundle to trust instead of the system store; "" = system
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;

  // First value of a header, nullopt if absent (case-insensitive).
  std::optional<std::string> Header(std::string_view name) const;
};

class Client {
 public:
  // `base_url`: scheme, host and optional port ("http://127.0.0.1:8080", "https://idp.example").
  explicit Client(const std::string& base_url, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `target` is the path with an optional query ("/a?b=c"), already percent-encoded.
  Result<ClientResponse> Get(const std::string& target, const Headers& headers = {});
  Result<ClientResponse> Post(const std::string& target, std::string body,
                              const std::string& content_type, const Headers& headers = {});
  // Any method ("PUT", "DELETE", "HEAD", ...). `content_type` is sent when not empty.
  Result<ClientResponse> Send(const std::string& method, const std::string& target,
                              const Headers& headers = {}, std::string body = "",
                              const std::string& content_type = "");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace idm::http
