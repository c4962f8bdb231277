// One request through http::Server: limits, request id, dispatch to the Router behind an
// exception barrier, security headers, access log and metrics. See server.h and server_impl.h.
#include <algorithm>
#include <exception>
#include <string>
#include <string_view>

#include "idm/http/server_impl.h"

namespace idm::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kUnmatched[] = "unmatched";

// Pseudo-headers cpp-httplib adds to every request; not part of what the client sent.
bool IsLibraryPseudoHeader(const std::string& name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

bool IsChunked(const httplib::Request& req) {
  return req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
}

// Content-Length as a number; false when present but not a plain decimal.
bool ContentLength(const httplib::Request& req, bool* present, uint64_t* value) {
  *present = req.has_header("Content-Length");
  *value = 0;
  if (!*present) return true;
  const std::string v = req.get_header_value("Content-Length");
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  *value = std::stoull(v);
  return true;
}

WebResponse Closing(WebResponse r) {
  r.SetHeader("Connection", "close");  // the unread rest of the request cannot be trusted
  return r;
}

const char* ErrorCodeFor(int status) {
  switch (status) {
    case 400:
      return "invalid_request";
    case 404:
      return "not_found";
    case 408:
      return "request_timeout";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 431:
      return "request_header_fields_too_large";
    default:
      return status >= 500 ? "server_error" : "invalid_request";
  }
}

}  // namespace

void Server::Impl::InstallHandlers(httplib::Server& svr) {
  const std::string kAll = "[\\s\\S]*";  // every path, including decoded control characters
  auto plain = [this](const httplib::Request& q, httplib::Response& s) { Serve(q, s, nullptr); };
  auto with_body = [this](const httplib::Request& q, httplib::Response& s,
                          const httplib::ContentReader& reader) { Serve(q, s, &reader); };
  svr.Get(kAll, plain);  // GET and HEAD
  svr.Options(kAll, plain);
  svr.Post(kAll, with_body);
  svr.Put(kAll, with_body);
  svr.Patch(kAll, with_body);
  svr.Delete(kAll, with_body);
  svr.set_pre_routing_handler([this](const httplib::Request& q, httplib::Response& s) {
    return RejectBeforeBody(q, s) ? httplib::Server::HandlerResponse::Handled
                                  : httplib::Server::HandlerResponse::Unhandled;
  });
  svr.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request& q, httplib::Response& s) {
        return FormatLibraryError(q, s) ? httplib::Server::HandlerResponse::Handled
                                        : httplib::Server::HandlerResponse::Unhandled;
      }));
  // Serve() already catches everything; this only runs if that barrier itself throws.
  svr.set_exception_handler(
      [this](const httplib::Request& q, httplib::Response& s, std::exception_ptr) {
        WebRequest w = ToWebRequest(q);
        Finish(w, JsonError(500, "server_error", "internal error; request id " + w.request_id),
               kUnmatched, Clock::now(), s);
      });
}

bool Server::Impl::RejectBeforeBody(const httplib::Request& req, httplib::Response& res) {
  const auto start = Clock::now();
  size_t header_bytes = req.target.size() + req.method.size();
  for (const auto& [name, value] : req.headers) {
    if (!IsLibraryPseudoHeader(name)) header_bytes += name.size() + value.size() + 4;
  }
  std::optional<WebResponse> reject;
  bool has_length = false;
  uint64_t length = 0;
  if (header_bytes > options.max_header_bytes) {
    reject = Closing(JsonError(431, ErrorCodeFor(431), "request headers are too large"));
  } else if (req.has_header("Transfer-Encoding") && req.has_header("Content-Length")) {
    // RFC 9112 §6.1: such a message "ought to be handled as an error" — the classic request
    // smuggling shape when a proxy and idm disagree on which header frames the body.
    reject = Closing(
        JsonError(400, ErrorCodeFor(400), "both Transfer-Encoding and Content-Length are present"));
  } else if (!ContentLength(req, &has_length, &length)) {
    reject = Closing(JsonError(400, ErrorCodeFor(400), "invalid Content-Length"));
  } else if (has_length && length > options.max_body_bytes) {
    reject = Closing(TooLarge());
  }
  if (!reject) return false;
  Finish(ToWebRequest(req), std::move(*reject), kUnmatched, start, res);
  return true;
}

bool Server::Impl::FormatLibraryError(const httplib::Request& req, httplib::Response& res) {
  if (res.has_header("X-Request-Id")) return false;  // already answered by Finish()
  const int status = res.status;
  std::string description = "the request could not be processed";
  if (status == 413) description = "request body is too large";
  if (status == 414) description = "request URI is too long";
  if (status == 400) description = "malformed request";
  res.headers.clear();
  Finish(ToWebRequest(req), Closing(JsonError(status, ErrorCodeFor(status), description)),
         kUnmatched, Clock::now(), res);
  return true;
}

WebRequest Server::Impl::ToWebRequest(const httplib::Request& req) const {
  WebRequest w;
  w.method = req.method;
  w.path = req.path;
  for (const auto& [k, v] : req.params) w.query.emplace(k, v);
  for (const auto& [k, v] : req.headers) {
    if (!IsLibraryPseudoHeader(k)) w.headers.emplace(k, v);
  }
  FillFromPeer(w, req.remote_addr, req.remote_port);
  return w;
}

WebRequest Server::Impl::FrontToWebRequest(FrontRequest& req) const {
  WebRequest w;
  w.method = std::move(req.method);
  // origin-form "/path?query", absolute-form "http://host/path?query" (RFC 9112 §3.2); the
  // fragment is never sent but is ignored if it is.
  std::string_view target = req.target;
  if (const size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  if (!target.empty() && target.front() != '/' && target != "*") {
    const size_t scheme = target.find("://");
    if (scheme != std::string_view::npos) {
      const size_t path = target.find('/', scheme + 3);
      const size_t query = target.find('?', scheme + 3);
      const size_t from = std::min(path, query);
      target = from == std::string_view::npos ? std::string_view("/") : target.substr(from);
    }
  }
  const size_t q = target.find('?');
  w.path = PercentDecode(target.substr(0, q), false);
  if (w.path.empty()) w.path = "/";
  if (q != std::string_view::npos) w.query = ParseUrlEncoded(target.substr(q + 1));
  w.headers = std::move(req.headers);
  w.body = std::move(req.body);
  FillFromPeer(w, req.remote_addr, req.remote_port);
  return w;
}

void Server::Impl::FillFromPeer(WebRequest& w, const std::string& peer_addr, int peer_port) const {
  // Behind a trusted proxy the client is named by X-Forwarded-For (core/net_address.h).
  // Several header lines are one comma-separated list in their order (RFC 9110 §5.3); a proxy
  // may append its own line after one the client sent.
  if (options.trusted_proxies.empty()) {
    w.remote_addr = peer_addr;
  } else {
    std::string forwarded;
    const auto lines = w.headers.equal_range("X-Forwarded-For");
    for (auto it = lines.first; it != lines.second; ++it) {
      if (!forwarded.empty()) forwarded += ", ";
      forwarded += it->second;
    }
    w.remote_addr = core::ClientAddress(peer_addr, forwarded, options.trusted_proxies);
  }
  w.remote_port = peer_port > 0 ? peer_port : 0;
  w.tls = tls;
  w.received_at = clock->NowMillis();
  w.request_id = ChooseRequestId(w.headers, options.random);
}

std::optional<WebResponse> Server::Impl::ReadBody(const httplib::Request& req,
                                                  const httplib::ContentReader& reader,
                                                  Clock::time_point start, std::string* body) {
  if (!req.has_header("Content-Length") && !IsChunked(req)) return std::nullopt;  // no body
  if (req.is_multipart_form_data()) {
    return Closing(JsonError(415, "unsupported_media_type", "multipart bodies are not accepted"));
  }
  bool too_large = false;
  const bool ok = reader([&](const char* data, size_t n) {
    if (body->size() + n > options.max_body_bytes) {
      too_large = true;
      return false;
    }
    body->append(data, n);
    return true;
  });
  if (too_large) return Closing(TooLarge());
  if (ok) return std::nullopt;
  if (Clock::now() - start >= options.read_timeout) {
    return Closing(JsonError(408, ErrorCodeFor(408), "request body not received in time"));
  }
  return Closing(JsonError(400, ErrorCodeFor(400), "incomplete request body"));
}

WebResponse Server::Impl::TooLarge() const {
  return JsonError(413, ErrorCodeFor(413),
                   "request body exceeds " + std::to_string(options.max_body_bytes) + " bytes");
}

void Server::Impl::Serve(const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader* reader) {
  const auto start = Clock::now();
  in_flight->Inc();
  struct Done {
    core::metrics::Gauge* g;
    ~Done() { g->Dec(); }
  } done{in_flight};
  const BusyPeers::Scope busy_scope(*busy, PeerKey(req.remote_addr, req.remote_port));
  WebRequest w = ToWebRequest(req);
  std::string route = kUnmatched;
  if (reader != nullptr) {
    if (std::optional<WebResponse> rejected = ReadBody(req, *reader, start, &w.body)) {
      Finish(w, std::move(*rejected), route, start, res);
      return;
    }
  }
  WebResponse response = Dispatch(w, &route);
  Finish(w, std::move(response), route, start, res);
}

WebResponse Server::Impl::Dispatch(WebRequest& request, std::string* route) {
  std::string pattern;
  try {
    WebResponse r = router.Dispatch(request, &pattern);
    *route = pattern.empty() ? kUnmatched : pattern;
    return r;
  } catch (const std::exception& e) {
    logger->Write(core::log::Level::kError, "handler threw",
                  {{"route", pattern}, {"request_id", request.request_id}, {"what", e.what()}});
  } catch (...) {
    logger->Write(core::log::Level::kError, "handler threw",
                  {{"route", pattern}, {"request_id", request.request_id}, {"what", "unknown"}});
  }
  *route = pattern.empty() ? kUnmatched : pattern;
  return JsonError(500, "server_error", "internal error; request id " + request.request_id);
}

WebResponse Server::Impl::ServeFront(FrontRequest& request) {
  const auto start = request.start;
  in_flight->Inc();
  struct Done {
    core::metrics::Gauge* g;
    ~Done() { g->Dec(); }
  } done{in_flight};
  const int refused = request.reject_status;
  std::string reason = std::move(request.reject_reason);
  WebRequest w = FrontToWebRequest(request);
  std::string route = kUnmatched;
  WebResponse response;
  if (refused == 413) {
    response = Closing(TooLarge());
  } else if (refused != 0) {
    response = Closing(JsonError(refused, ErrorCodeFor(refused), reason));
  } else if (w.ContentType() == "multipart/form-data") {
    response =
        Closing(JsonError(415, "unsupported_media_type", "multipart bodies are not accepted"));
  } else {
    response = Dispatch(w, &route);
  }
  Complete(w, response, route, start);
  return response;
}

void Server::Impl::Complete(const WebRequest& request, WebResponse& response,
                            const std::string& route, Clock::time_point start) {
  ApplySecurityHeaders(response, tls);
  response.SetHeader("X-Request-Id", request.request_id);
  if (response.headers.find("Date") == response.headers.end()) {
    response.headers.emplace("Date", HttpDate(clock->NowMillis()));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  requests->WithLabels({route, request.method, std::to_string(response.status)}).Inc();
  duration->WithLabels({route}).Observe(seconds);
  if (!logger->Enabled(core::log::Level::kInfo)) return;  // no JSON built for a line not written
  AccessRecord record{request.method,      route,
                      request.path,        response.status,
                      seconds * 1000,      response.body.size(),
                      request.remote_addr, request.request_id};
  logger->Write(core::log::Level::kInfo, "http_request", AccessLogFields(record));
}

void Server::Impl::Finish(const WebRequest& request, WebResponse response, const std::string& route,
                          Clock::time_point start, httplib::Response& res) {
  Complete(request, response, route, start);
  res.status = response.status;
  for (auto& [name, value] : response.headers) res.headers.emplace(name, std::move(value));
  res.body = std::move(response.body);
}

}  // namespace idm::http
