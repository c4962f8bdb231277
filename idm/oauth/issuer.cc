#include "idm/oauth/issuer.h"

namespace idm::oauth {
namespace {

constexpr std::string_view kRealmsSegment = "/realms/";

std::string_view TrimSlash(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return url;
}

}  // namespace

std::string IssuerOf(std::string_view public_url, std::string_view realm_name) {
  std::string out(TrimSlash(public_url));
  out += kRealmsSegment;
  out += realm_name;
  return out;
}

std::optional<std::string> RealmFromIssuer(std::string_view public_url, std::string_view issuer) {
  std::string prefix(TrimSlash(public_url));
  prefix += kRealmsSegment;
  if (issuer.size() <= prefix.size() || issuer.substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  std::string_view name = issuer.substr(prefix.size());
  if (name.find_first_of("/?#") != std::string_view::npos) return std::nullopt;
  return std::string(name);
}

std::string TokenEndpointOf(std::string_view issuer) {
  return std::string(issuer) + "/protocol/openid-connect/token";
}

std::string JwksUriOf(std::string_view issuer) {
  return std::string(issuer) + "/protocol/openid-connect/certs";
}

}  // namespace idm::oauth
