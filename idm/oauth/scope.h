// Scope strings (RFC 6749 §3.3): a space-delimited list of scope tokens, each
// 1*( %x21 / %x23-5B / %x5D-7E ).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idm/oauth/error.h"

namespace idm::oauth {

// The tokens of a scope parameter in request order, duplicates dropped. invalid_scope for an
// empty token (doubled or edge spaces) or a character outside the RFC 6749 §3.3 set.
Result<std::vector<std::string>> ParseScope(std::string_view scope);

// The requested scope if every token is one of `allowed` (the client's registered scopes);
// otherwise invalid_scope naming the first refused token (RFC 6749 §5.2). An empty request grants
// an empty scope: idm has no default scopes for client credentials (RFC 6749 §3.3 lets the server
// choose; the choice is documented in docs/design/005-tokens.md).
Result<std::vector<std::string>> GrantScope(std::string_view requested,
                                            const std::vector<std::string>& allowed);

// `token` is one of the granted scope tokens.
bool HasScope(const std::vector<std::string>& scope, std::string_view token);

// Joins scope tokens with single spaces.
std::string JoinScope(const std::vector<std::string>& tokens);

}  // namespace idm::oauth
