// RFC 6749 §3.1.2, RFC 9700 §2.1, RFC 8252 §7-8: redirection URI matching and registration.
#include "idm/oauth/redirect_uri.h"

#include <algorithm>
#include <cctype>

#include "idm/core/ascii.h"

namespace idm::oauth {
namespace {

// RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool IsValidScheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

// Splits "host[:port]" (IPv6 literal in brackets).
void SplitAuthority(std::string_view authority, UriParts* out) {
  // Userinfo is kept in the host on purpose: "http://x@127.0.0.1/" is not a loopback redirect.
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    out->host = std::string(authority.substr(0, colon));
    out->port = std::string(authority.substr(colon + 1));
  } else {
    out->host = std::string(authority);
  }
}

}  // namespace

std::optional<UriParts> SplitUri(std::string_view uri) {
  size_t colon = uri.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view scheme = uri.substr(0, colon);
  if (!IsValidScheme(scheme)) return std::nullopt;
  UriParts out;
  out.scheme = core::AsciiLowered(scheme);
  std::string_view rest = uri.substr(colon + 1);
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    out.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    size_t end = rest.find_first_of("/?");
    out.has_authority = true;
    SplitAuthority(rest.substr(0, end), &out);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  out.path_and_query = std::string(rest);
  return out;
}

bool IsLoopbackIpRedirect(const UriParts& uri) {
  return uri.scheme == "http" && uri.has_authority &&
         (uri.host == "127.0.0.1" || uri.host == "[::1]");
}

bool RedirectUriMatches(std::string_view registered, std::string_view requested) {
  if (registered == requested) return true;  // RFC 3986 §6.2.1 simple string comparison
  std::optional<UriParts> reg = SplitUri(registered);
  std::optional<UriParts> req = SplitUri(requested);
  if (!reg || !req || !IsLoopbackIpRedirect(*reg) || !IsLoopbackIpRedirect(*req)) return false;
  // RFC 8252 §7.3: any port; everything else as registered. Compare the raw prefix so that
  // case or encoding differences elsewhere still fail.
  if (reg->has_fragment || req->has_fragment) return false;
  return registered.starts_with("http://") && requested.starts_with("http://") &&
         reg->host == req->host && reg->path_and_query == req->path_and_query &&
         (req->port.empty() || std::all_of(req->port.begin(), req->port.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
          }));
}

std::optional<std::string> FindRegisteredRedirectUri(const std::vector<std::string>& registered,
                                                     std::string_view requested) {
  for (const std::string& r : registered) {
    if (RedirectUriMatches(r, requested)) return r;
  }
  return std::nullopt;
}

}  // namespace idm::oauth
