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
