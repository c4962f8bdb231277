// http::Client over cpp-httplib's client. See client.h.
#include "idm/http/client.h"

#include <httplib.h>

#include <optional>

#include "idm/http/sec_usec.h"

namespace idm::http {
namespace {

// `timed_out`: the failed call took at least the read timeout, so a read error was a timeout
// (cpp-httplib reports both as Error::Read).
Error FromLibrary(httplib::Error e, bool timed_out) {
  ErrorCode code = ErrorCode::kIo;
  switch (e) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
      code = ErrorCode::kConnect;
      break;
    case httplib::Error::ConnectionTimeout:
      code = ErrorCode::kTimeout;
      break;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      code = ErrorCode::kTls;
      break;
    case httplib::Error::Read:
      code = timed_out ? ErrorCode::kTimeout : ErrorCode::kIo;
      break;
    default:
      break;
  }
  return Error{code, "http client: " + httplib::to_string(e)};
}

// RFC 9110 §9.2.2: the idempotent methods, which a client may send again after a connection
// failed under them.
bool Idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS" || method == "TRACE";
}

bool ValidBaseUrl(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

std::optional<std::string> ClientResponse::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

struct Client::Impl {
  std::unique_ptr<httplib::Client> client;  // null when the base URL is invalid
  std::string base_url;
  std::chrono::milliseconds read_timeout{0};
  bool keep_alive = false;
  bool connection_kept = false;  // the last exchange succeeded and its connection stays open
};

Client::Client(const std::string& base_url, ClientOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->base_url = base_url;
  impl_->read_timeout = options.read_timeout;
  impl_->keep_alive = options.keep_alive;
  if (!ValidBaseUrl(base_url)) return;
  auto c = std::make_unique<httplib::Client>(base_url);
  if (!c->is_valid()) return;
  auto [cs, cu] = detail::SecUsec(options.connect_timeout);
  auto [rs, ru] = detail::SecUsec(options.read_timeout);
  auto [ws, wu] = detail::SecUsec(options.write_timeout);
  c->set_connection_timeout(cs, cu);
  c->set_read_timeout(rs, ru);
  c->set_write_timeout(ws, wu);
  c->set_keep_alive(options.keep_alive);
  c->set_tcp_nodelay(true);
  c->set_follow_location(false);
  c->enable_server_certificate_verification(options.verify_tls);
  if (!options.ca_file.empty()) c->set_ca_cert_path(options.ca_file);
  impl_->client = std::move(c);
}

Client::~Client() = default;

Result<ClientResponse> Client::Get(const std::string& target, const Headers& headers) {
  return Send("GET", target, headers);
}

Result<ClientResponse> Client::Post(const std::string& target, std::string body,
                                    const std::string& content_type, const Headers& headers) {
  return Send("POST", target, headers, std::move(body), content_type);
}

Result<ClientResponse> Client::Send(const std::string& method, const std::string& target,
                                    const Headers& headers, std::string body,
                                    const std::string& content_type) {
  if (!impl_->client) {
    return Error{ErrorCode::kInvalidArgument, "http client: invalid base URL " + impl_->base_url};
  }
  if (target.empty() || target.front() != '/') {
    return Error{ErrorCode::kInvalidArgument, "http client: target must start with '/'"};
  }
  httplib::Request req;
  req.method = method;
  req.path = target;
  for (const auto& [k, v] : headers) req.headers.emplace(k, v);
  if (!content_type.empty()) req.set_header("Content-Type", content_type);
  req.body = std::move(body);
  // A kept-alive connection may have been closed by the server (its idle timeout) just as this
  // request went out; the request then fails at once with a read or write error. An idempotent
  // request is sent once more, on a new connection (RFC 9110 §9.2.2), as browsers do.
  const bool may_retry = impl_->connection_kept && Idempotent(method);
  std::optional<httplib::Request> again;
  if (may_retry) again = req;
  auto start = std::chrono::steady_clock::now();
  httplib::Result res = impl_->client->send(req);
  auto timed_out = [&] { return std::chrono::steady_clock::now() - start >= impl_->read_timeout; };
  if (!res && may_retry &&
      (res.error() == httplib::Error::Read || res.error() == httplib::Error::Write) &&
      !timed_out()) {
    start = std::chrono::steady_clock::now();
    res = impl_->client->send(*again);
  }
  impl_->connection_kept = res && impl_->keep_alive;
  if (!res) return FromLibrary(res.error(), timed_out());
  ClientResponse out;
  out.status = res->status;
  for (const auto& [k, v] : res->headers) out.headers.emplace(k, v);
  out.body = std::move(res->body);
  return out;
}

}  // namespace idm::http
