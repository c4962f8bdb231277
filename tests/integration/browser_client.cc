#include "tests/integration/browser_client.h"

#include <regex>

#include "idm/oauth/authorization_response.h"

namespace idm::testing {

http::Headers BrowserClient::CookieHeader() const {
  http::Headers headers;
  std::string value;
  for (const auto& [name, v] : cookies_) {
    if (!value.empty()) value += "; ";
    value += name + "=" + v;
  }
  if (!value.empty()) headers.emplace("Cookie", value);
  return headers;
}

void BrowserClient::Remember(const http::ClientResponse& response) {
  auto range = response.headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    const std::string& line = it->second;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const size_t semi = line.find(';');
    std::string name = line.substr(0, eq);
    std::string value =
        line.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
    if (line.find("Max-Age=0") != std::string::npos) {
      cookies_.erase(name);
    } else {
      cookies_[name] = value;
    }
  }
}

http::Result<http::ClientResponse> BrowserClient::Get(const std::string& target) {
  auto r = client_->Get(target, CookieHeader());
  if (r) Remember(*r);
  return r;
}

http::Result<http::ClientResponse> BrowserClient::PostForm(
    const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields) {
  auto r = client_->Post(target, FormEncode(fields), "application/x-www-form-urlencoded",
                         CookieHeader());
  if (r) Remember(*r);
  return r;
}

std::string HiddenInput(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

std::string UrlParam(const std::string& url, const std::string& name) {
  const size_t q = url.find('?');
  if (q == std::string::npos) return "";
  http::Params params = http::ParseUrlEncoded(url.substr(q + 1));
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += oauth::PercentEncode(k) + "=" + oauth::PercentEncode(v);
  }
  return out;
}

}  // namespace idm::testing
