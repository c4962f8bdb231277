// Router: maps (method, path) to an endpoint handler. Patterns are '/'-separated segments; a
// segment `{name}` matches one non-empty path segment and captures it into
// WebRequest::path_params["name"]; a last segment `{name...}` matches the rest of the path (one or
// more segments, '/'-joined). When several patterns match, the most specific wins: at the first
// segment where they differ, a literal beats `{name}`, which beats `{name...}`.
//
// Method rules (RFC 9110 §9.3.2, §15.5.6): HEAD is served by the GET handler when no HEAD route
// exists; a path that matches some pattern but not for this method is 405 with an `Allow` header
// listing the methods that would match; a path no pattern matches is 404.
//
// Thread-safety: Add() only during set-up (before the server starts); Match() and Dispatch() are
// const and safe to call concurrently afterwards.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "idm/http/web.h"

namespace idm::http {

using Handler = std::function<WebResponse(const WebRequest&)>;

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  Outcome outcome = Outcome::kNotFound;
  const Handler* handler = nullptr;  // set when kFound; owned by the Router
  std::string pattern;  // the matched route pattern ("" when kNotFound), a metrics label
  std::map<std::string, std::string> path_params;
  std::string allow;  // "GET, HEAD, POST" when kMethodNotAllowed
};

class Router {
 public:
  // Registers a handler. Method is upper-case ("GET"). A duplicate (method, pattern) replaces the
  // earlier handler. A malformed pattern (not starting with '/', an empty `{}`, or `{name...}`
  // before the last segment) is a programming error: throws std::invalid_argument at set-up.
  void Add(std::string method, std::string_view pattern, Handler handler);

  // Finds the route for a request. Never fails: kNotFound / kMethodNotAllowed say why not.
  RouteMatch Match(std::string_view method, std::string_view path) const;

  // Matches `request`, fills its path_params and runs the handler; 404 / 405 (with Allow) JSON
  // responses otherwise. Sets *pattern to the matched pattern ("" when none). Exceptions from the
  // handler propagate to the caller (the server's exception barrier).
  WebResponse Dispatch(WebRequest& request, std::string* pattern = nullptr) const;

 private:
  enum class SegmentKind { kLiteral = 0, kParam = 1, kRest = 2 };
  struct Segment {
    SegmentKind kind;
    std::string text;  // literal text or parameter name
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    std::map<std::string, Handler> handlers;  // by method
  };

  static bool MatchSegments(const Route& route, const std::vector<std::string_view>& path,
                            std::map<std::string, std::string>* params);
  static bool MoreSpecific(const Route& a, const Route& b);

  std::vector<Route> routes_;
};

// The JSON error body idm's HTTP layer uses for its own errors:
// {"error":code,"error_description":..} (the shape of RFC 6749 §5.2, which most idm clients already
// parse).
WebResponse JsonError(int status, std::string_view code, std::string_view description);

}  // namespace idm::http
