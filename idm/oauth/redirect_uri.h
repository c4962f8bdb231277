// Redirection URIs (RFC 6749 §3.1.2): checking the redirect_uri of an authorization request
// against the client's registered URIs, and checking URIs when a client registers them.
//
// Matching is exact, simple string comparison (RFC 9700 §2.1; RFC 3986 §6.2.1), with the one
// exception RFC 8252 requires for native apps: a registered loopback URI with an IP literal host,
// `http://127.0.0.1/cb` or `http://[::1]/cb`, matches a request that adds any port, because the
// app opens an ephemeral port at run time (RFC 8252 §7.3). `localhost` gets no such exception
// (RFC 8252 §8.3: it may resolve elsewhere), private-use schemes (§7.1) and claimed https URIs
// (§7.2) match exactly.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/result.h"

namespace idm::oauth {

// The parts of an absolute URI (RFC 3986 Appendix B split), enough for the rules above.
struct UriParts {
  std::string scheme;  // lower-cased
  bool has_authority = false;
  std::string host;  // as written; IPv6 literals keep their brackets
  std::string port;  // "" when absent
  std::string path_and_query;
  bool has_fragment = false;
};
// nullopt when `uri` has no scheme or an invalid one (RFC 3986 §3.1).
std::optional<UriParts> SplitUri(std::string_view uri);

// True for http URIs whose host is the loopback IP literal 127.0.0.1 or [::1] (RFC 8252 §7.3).
bool IsLoopbackIpRedirect(const UriParts& uri);

// Does `requested` match `registered` (rules above)?
bool RedirectUriMatches(std::string_view registered, std::string_view requested);

// The registered URI that `requested` matches, or nullopt.
std::optional<std::string> FindRegisteredRedirectUri(const std::vector<std::string>& registered,
                                                     std::string_view requested);

// Registration-time validation of redirect URIs is the domain's (realm::RedirectUriProblem, run by
// ClientService): the endpoint layer only matches requests against what was registered.

}  // namespace idm::oauth
