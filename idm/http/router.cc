// Router. See router.h.
#include "idm/http/router.h"

#include <stdexcept>

#include "idm/core/json.h"

namespace idm::http {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool IsParam(std::string_view s) { return s.size() >= 2 && s.front() == '{' && s.back() == '}'; }

}  // namespace

WebResponse JsonError(int status, std::string_view code, std::string_view description) {
  core::Json body = {{"error", code}, {"error_description", description}};
  return WebResponse::Json(status, body.dump(-1, ' ', false, core::Json::error_handler_t::replace));
}

void Router::Add(std::string method, std::string_view pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/'");
  }
  std::vector<Segment> segments;
  const std::vector<std::string_view> parts = SplitPath(pattern);
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (!IsParam(p)) {
      segments.push_back({SegmentKind::kLiteral, std::string(p)});
      continue;
    }
    std::string_view name = p.substr(1, p.size() - 2);
    SegmentKind kind = SegmentKind::kParam;
    if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
      if (i + 1 != parts.size()) throw std::invalid_argument("{name...} must be the last segment");
      name.remove_suffix(3);
      kind = SegmentKind::kRest;
    }
    if (name.empty()) throw std::invalid_argument("route parameter without a name");
    segments.push_back({kind, std::string(name)});
  }
  for (Route& r : routes_) {
    if (r.pattern == pattern) {
      r.handlers[std::move(method)] = std::move(handler);
      return;
    }
  }
  Route route{std::string(pattern), std::move(segments), {}};
  route.handlers[std::move(method)] = std::move(handler);
  routes_.push_back(std::move(route));
}

bool Router::MatchSegments(const Route& route, const std::vector<std::string_view>& path,
                           std::map<std::string, std::string>* params) {
  const auto& segs = route.segments;
  for (size_t i = 0; i < segs.size(); ++i) {
    if (i >= path.size()) return false;
    const Segment& s = segs[i];
    if (s.kind == SegmentKind::kRest) {
      std::string rest;
      for (size_t j = i; j < path.size(); ++j) {
        if (j > i) rest.push_back('/');
        rest.append(path[j]);
      }
      if (rest.empty()) return false;
      (*params)[s.text] = std::move(rest);
      return true;
    }
    if (s.kind == SegmentKind::kLiteral) {
      if (s.text != path[i]) return false;
    } else {
      if (path[i].empty()) return false;
      (*params)[s.text] = std::string(path[i]);
    }
  }
  return segs.size() == path.size();
}

bool Router::MoreSpecific(const Route& a, const Route& b) {
  const size_t n = std::min(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.segments[i].kind != b.segments[i].kind) {
      return a.segments[i].kind < b.segments[i].kind;
    }
  }
  return a.segments.size() > b.segments.size();
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  const std::vector<std::string_view> parts = SplitPath(path);
  RouteMatch result;
  const Route* best = nullptr;
  const Handler* best_handler = nullptr;
  std::map<std::string, std::string> best_params;
  std::map<std::string, bool> allowed;  // sorted method names of routes matching the path
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchSegments(route, parts, &params)) continue;
    for (const auto& [m, h] : route.handlers) {
      allowed[m] = true;
      if (m == "GET") allowed["HEAD"] = true;
    }
    auto it = route.handlers.find(std::string(method));
    if (it == route.handlers.end() && method == "HEAD") it = route.handlers.find("GET");
    if (it == route.handlers.end()) continue;
    if (best == nullptr || MoreSpecific(route, *best)) {
      best = &route;
      best_handler = &it->second;
      best_params = std::move(params);
    }
  }
  if (best != nullptr) {
    result.outcome = RouteMatch::Outcome::kFound;
    result.handler = best_handler;
    result.pattern = best->pattern;
    result.path_params = std::move(best_params);
  } else if (!allowed.empty()) {
    result.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    for (const auto& [m, unused] : allowed) {
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += m;
    }
  }
  return result;
}

WebResponse Router::Dispatch(WebRequest& request, std::string* pattern) const {
  RouteMatch match = Match(request.method, request.path);
  if (pattern != nullptr) *pattern = match.pattern;
  switch (match.outcome) {
    case RouteMatch::Outcome::kFound:
      request.path_params = std::move(match.path_params);
      return (*match.handler)(request);
    case RouteMatch::Outcome::kMethodNotAllowed: {
      WebResponse r = JsonError(405, "method_not_allowed", "method not allowed for this resource");
      r.SetHeader("Allow", match.allow);
      return r;
    }
    case RouteMatch::Outcome::kNotFound:
      break;
  }
  return JsonError(404, "not_found", "no such resource");
}

}  // namespace idm::http
