// WebRequest / WebResponse helpers. See web.h.
#include "idm/http/web.h"

#include <algorithm>

#include "idm/core/ascii.h"

namespace idm::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <class Map>
std::optional<std::string> First(const Map& map, std::string_view key) {
  auto it = map.find(std::string(key));
  if (it == map.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return core::LessIgnoreCase(a, b);
}

std::string PercentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Params ParseUrlEncoded(std::string_view text) {
  Params out;
  while (!text.empty()) {
    const size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    out.emplace(PercentDecode(name, true), PercentDecode(value, true));
  }
  return out;
}

std::optional<std::string> WebRequest::Header(std::string_view name) const {
  return First(headers, name);
}

std::optional<std::string> WebRequest::Query(std::string_view name) const {
  return First(query, name);
}

std::string WebRequest::PathParam(const std::string& name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string() : it->second;
}

Params WebRequest::Form() const {
  if (ContentType() != "application/x-www-form-urlencoded") return {};
  return ParseUrlEncoded(body);
}

std::string WebRequest::ContentType() const {
  auto value = Header("Content-Type");
  if (!value) return "";
  std::string_view v = *value;
  v = TrimOws(v.substr(0, v.find(';')));
  return core::AsciiLowered(v);
}

std::optional<std::string> WebRequest::Cookie(std::string_view name) const {
  auto [begin, end] = headers.equal_range("Cookie");
  for (auto it = begin; it != end; ++it) {
    for (auto& [n, v] : ParseCookieHeader(it->second)) {
      if (n == name) return std::move(v);
    }
  }
  return std::nullopt;
}

WebResponse& WebResponse::AddHeader(const std::string& name, std::string value) {
  headers.emplace(name, std::move(value));
  return *this;
}

Status WebResponse::AddCookie(const http::Cookie& cookie) {
  IDM_ASSIGN_OR_RETURN(std::string line, BuildSetCookie(cookie));
  AddHeader("Set-Cookie", std::move(line));
  return {};
}

WebResponse& WebResponse::SetHeader(const std::string& name, std::string value) {
  headers.erase(name);
  headers.emplace(name, std::move(value));
  return *this;
}

WebResponse WebResponse::Bytes(int status, std::string content_type, std::string body) {
  WebResponse r;
  r.status = status;
  r.headers.emplace("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

WebResponse WebResponse::Json(int status, std::string body) {
  return Bytes(status, "application/json", std::move(body));
}

WebResponse WebResponse::Text(int status, std::string body) {
  return Bytes(status, "text/plain; charset=utf-8", std::move(body));
}

WebResponse WebResponse::Html(int status, std::string body) {
  return Bytes(status, "text/html; charset=utf-8", std::move(body));
}

}  // namespace idm::http
