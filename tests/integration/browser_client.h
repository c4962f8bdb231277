// BrowserClient: a cookie-keeping HTTP client for login-flow tests. It stores every Set-Cookie
// (name=value; Max-Age=0 deletes) and sends them back on later requests, like a browser with one
// cookie jar per host; it never follows redirects, so tests see each 302/303. Paths and Secure
// are not modelled (the test servers are plain http on one host).
//
// Thread-safety: one test thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "idm/http/client.h"

namespace idm::testing {

// Values the login-flow suites share (one definition, so the suites also build as one unity batch).
inline constexpr char kPassword[] = "Wonderland-2026-tea-party";
inline constexpr char kVerifier[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";  // RFC 7636 App. B
inline constexpr char kChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
inline constexpr char kRedirect[] = "https://app2.example/cb";
inline constexpr char kInvalidCode[] = "The code is incorrect or has already been used.";

class BrowserClient {
 public:
  explicit BrowserClient(const std::string& base_url)
      : client_(std::make_unique<http::Client>(base_url)) {}

  // Sends to another server from now on, keeping the cookies (two nodes behind one name).
  void SwitchTo(const std::string& base_url) { client_ = std::make_unique<http::Client>(base_url); }

  http::Result<http::ClientResponse> Get(const std::string& target);
  // POSTs `fields` as application/x-www-form-urlencoded.
  http::Result<http::ClientResponse> PostForm(
      const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields);

  const std::map<std::string, std::string>& cookies() const { return cookies_; }
  void SetCookie(const std::string& name, const std::string& value) { cookies_[name] = value; }

 private:
  http::Headers CookieHeader() const;
  void Remember(const http::ClientResponse& response);

  std::unique_ptr<http::Client> client_;
  std::map<std::string, std::string> cookies_;
};

// The value of the hidden input `name` in an HTML page ("" if absent).
std::string HiddenInput(const std::string& html, const std::string& name);

// The value of query parameter `name` in a URL ("" if absent), percent-decoded.
std::string UrlParam(const std::string& url, const std::string& name);

// application/x-www-form-urlencoded text of `fields`.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace idm::testing
