// RFC 6749 §3.3 access token scope.
#include "idm/oauth/scope.h"

#include <algorithm>

namespace idm::oauth {
namespace {

bool IsScopeChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

}  // namespace

Result<std::vector<std::string>> ParseScope(std::string_view scope) {
  std::vector<std::string> tokens;
  if (scope.empty()) return tokens;
  size_t start = 0;
  while (true) {
    size_t end = scope.find(' ', start);
    std::string_view token =
        scope.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (token.empty()) return InvalidScope("scope has an empty token");
    if (!std::all_of(token.begin(), token.end(), IsScopeChar)) {
      return InvalidScope("scope has a character not allowed by RFC 6749 section 3.3");
    }
    if (std::find(tokens.begin(), tokens.end(), token) == tokens.end()) {
      tokens.emplace_back(token);
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return tokens;
}

Result<std::vector<std::string>> GrantScope(std::string_view requested,
                                            const std::vector<std::string>& allowed) {
  IDM_ASSIGN_OR_RETURN(std::vector<std::string> tokens, ParseScope(requested));
  for (const std::string& t : tokens) {
    if (std::find(allowed.begin(), allowed.end(), t) == allowed.end()) {
      return InvalidScope("scope \"" + t + "\" is not allowed for this client");
    }
  }
  return tokens;
}

std::string JoinScope(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& t : tokens) {
    if (!out.empty()) out.push_back(' ');
    out += t;
  }
  return out;
}

bool HasScope(const std::vector<std::string>& scope, std::string_view token) {
  return std::find(scope.begin(), scope.end(), token) != scope.end();
}

}  // namespace idm::oauth
