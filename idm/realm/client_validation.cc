// Client registration validation; see client_validation.h and the rules in client_service.h.
#include "idm/realm/client_validation.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "idm/core/ascii.h"
#include "idm/realm/realm_validation.h"

namespace idm::realm {
namespace {

constexpr size_t kMaxUri = 2048;
constexpr size_t kMaxUris = 100;
constexpr size_t kMaxScopes = 100;

// RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). "" if uri has none.
std::string SchemeOf(const std::string& uri) {
  size_t colon = uri.find(':');
  if (colon == std::string::npos || colon == 0) return "";
  if (!std::isalpha(static_cast<unsigned char>(uri[0]))) return "";
  for (size_t i = 1; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(uri[i]);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return "";
  }
  return core::AsciiLowered(uri.substr(0, colon));
}

// The host of "scheme://authority/..." ("" if the URI has no authority or userinfo in it). IPv6
// literals keep their brackets.
std::string HostOf(const std::string& uri, const std::string& scheme, bool* has_userinfo) {
  size_t start = scheme.size() + 1;
  if (uri.compare(start, 2, "//") != 0) return "";
  start += 2;
  size_t end = uri.find_first_of("/?#", start);
  std::string authority = uri.substr(start, end == std::string::npos ? end : end - start);
  *has_userinfo = authority.find('@') != std::string::npos;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    return close == std::string::npos ? "" : authority.substr(0, close + 1);
  }
  return core::AsciiLowered(authority.substr(0, authority.find(':')));
}

void CheckUris(const std::vector<std::string>& uris, const std::string& field,
               std::vector<core::FieldViolation>& out) {
  if (uris.size() > kMaxUris) out.push_back({field, "at most 100 URIs"});
  for (size_t i = 0; i < uris.size(); ++i) {
    std::string problem = RedirectUriProblem(uris[i]);
    if (!problem.empty()) out.push_back({field + "[" + std::to_string(i) + "]", problem});
  }
}

void CheckGrantsAndMethod(const core::Client& c, std::vector<core::FieldViolation>& out) {
  static const std::set<std::string> kGrants = {"authorization_code", "client_credentials",
                                                "refresh_token",
                                                "urn:ietf:params:oauth:grant-type:device_code",
                                                "urn:ietf:params:oauth:grant-type:token-exchange"};
  static const std::set<std::string> kMethods = {"client_secret_basic", "client_secret_post",
                                                 "private_key_jwt", "none"};
  bool is_public = c.type == core::ClientType::kPublic;
  if (c.grant_types.empty()) out.push_back({"grant_types", "at least one grant type is required"});
  for (size_t i = 0; i < c.grant_types.size(); ++i) {
    const std::string& g = c.grant_types[i];
    std::string field = "grant_types[" + std::to_string(i) + "]";
    if (!kGrants.count(g)) {
      out.push_back({field, "unknown or unsupported grant type"});
    } else if (g == "client_credentials" && is_public) {
      out.push_back({field, "client_credentials needs a confidential client (RFC 6749 §4.4)"});
    } else if (g == "authorization_code" && c.redirect_uris.empty()) {
      out.push_back({"redirect_uris", "authorization_code needs at least one redirect URI"});
    }
  }
  const std::string& m = c.token_endpoint_auth_method;
  if (!kMethods.count(m)) {
    out.push_back({"token_endpoint_auth_method",
                   "must be client_secret_basic, client_secret_post, private_key_jwt or none"});
  } else if (is_public && m != "none") {
    out.push_back({"token_endpoint_auth_method", "a public client must use none"});
  } else if (!is_public && m == "none") {
    out.push_back({"token_endpoint_auth_method", "a confidential client must authenticate"});
  }
}

}  // namespace

bool IsScopeToken(const std::string& s) {
  // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
  if (s.empty() || s.size() > 128) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= 0x21 && c <= 0x7e && c != '"' && c != '\\'; });
}

bool IsValidClientId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

std::string RedirectUriProblem(const std::string& uri) {
  if (uri.empty() || uri.size() > kMaxUri) return "must be 1 to 2048 characters";
  for (unsigned char c : uri) {
    if (c <= 0x20 || c >= 0x7f) return "must not contain spaces, control or non-ASCII characters";
  }
  if (uri.find('#') != std::string::npos) return "must not contain a fragment (RFC 6749 §3.1.2)";
  if (uri.find('*') != std::string::npos) return "must not contain wildcards (exact match only)";
  std::string scheme = SchemeOf(uri);
  if (scheme.empty()) return "must be an absolute URI (RFC 6749 §3.1.2)";
  bool userinfo = false;
  std::string host = HostOf(uri, scheme, &userinfo);
  if (userinfo) return "must not contain user information";
  if (scheme == "https") return host.empty() ? "must name a host" : "";
  if (scheme == "http") {
    if (host == "127.0.0.1" || host == "[::1]" || host == "localhost") return "";
    return "http is allowed only for loopback hosts (RFC 8252 §7.3); use https";
  }
  if (scheme.find('.') == std::string::npos) {
    return "a private-use scheme must be a reverse domain name (RFC 8252 §7.1)";
  }
  return "";
}

std::vector<core::FieldViolation> ValidateClient(const core::Client& c) {
  std::vector<core::FieldViolation> out;
  if (!IsValidClientId(c.client_id)) {
    out.push_back({"client_id", "must match [A-Za-z0-9._:-]{1,128}"});
  }
  if (c.name.size() > 255) out.push_back({"name", "must be at most 255 bytes"});
  if (c.description.size() > 1024) out.push_back({"description", "must be at most 1024 bytes"});
  CheckUris(c.redirect_uris, "redirect_uris", out);
  CheckUris(c.post_logout_redirect_uris, "post_logout_redirect_uris", out);
  CheckGrantsAndMethod(c, out);
  if (c.scopes.size() > kMaxScopes) out.push_back({"scopes", "at most 100 scopes"});
  for (size_t i = 0; i < c.scopes.size(); ++i) {
    if (!IsScopeToken(c.scopes[i])) {
      out.push_back({"scopes[" + std::to_string(i) + "]", "not a scope token (RFC 6749 §3.3)"});
    }
  }
  AppendOidcViolations(c, out);
  AppendClientScopeViolations(c, out);
  AppendAttributeViolations(c.attributes, out);
  return out;
}

}  // namespace idm::realm
