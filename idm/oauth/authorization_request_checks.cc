// RFC 6749 §3.1, §4.1.1; OIDC Core §3.1.2.1; RFC 7636 §4.3, §4.4.1: authorization request
// parameter checks.
#include "idm/oauth/authorization_request_checks.h"

#include <algorithm>
#include <set>

#include "idm/core/json.h"
#include "idm/oauth/pkce.h"
#include "idm/oauth/scope.h"

namespace idm::oauth {
namespace {

constexpr size_t kMaxAgeDigits = 10;  // ~317 years: anything longer is not a real max_age

AuthorizationError Bad(std::string description) {
  return NonRedirectableError(AuthzErrorCode::kInvalidRequest, std::move(description));
}

std::vector<std::string> SplitSpaces(std::string_view s, bool* empty_entry) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(' ', start);
    std::string_view item = s.substr(start, end == std::string_view::npos ? end : end - start);
    if (item.empty())
      *empty_entry = true;
    else
      out.emplace_back(item);
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

}  // namespace

std::optional<std::string> Param(const http::Params& params, const std::string& name) {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<std::string> RepeatedParam(const http::Params& params) {
  for (auto it = params.begin(); it != params.end(); ++it) {
    auto next = std::next(it);
    if (next != params.end() && next->first == it->first) return it->first;
  }
  return std::nullopt;
}

AuthzResult<ResponseMode> ParseResponseMode(const std::optional<std::string>& value) {
  if (!value || *value == "query") return ResponseMode::kQuery;
  if (*value == "form_post") return ResponseMode::kFormPost;
  return Bad("response_mode must be query or form_post");
}

core::Result<void, AuthorizationError> CheckResponseType(const std::optional<std::string>& value,
                                                         const core::Client& client) {
  if (!value) return Bad("response_type is required");
  if (*value != "code") {
    return NonRedirectableError(AuthzErrorCode::kUnsupportedResponseType,
                                "only response_type=code is supported");
  }
  const auto& grants = client.grant_types;
  if (std::find(grants.begin(), grants.end(), "authorization_code") == grants.end()) {
    return NonRedirectableError(AuthzErrorCode::kUnauthorizedClient,
                                "client is not allowed to use the authorization code grant");
  }
  return {};
}

AuthzResult<std::vector<std::string>> CheckScope(const std::optional<std::string>& value,
                                                 const core::Client& client) {
  Result<std::vector<std::string>> granted = GrantScope(value.value_or(""), client.scopes);
  if (!granted) {
    return NonRedirectableError(AuthzErrorCode::kInvalidScope, granted.error().description);
  }
  return std::move(*granted);
}

AuthzResult<Prompt> ParsePrompt(const std::optional<std::string>& value) {
  Prompt p;
  if (!value) return p;
  bool empty_entry = false;
  std::vector<std::string> items = SplitSpaces(*value, &empty_entry);
  if (empty_entry) return Bad("prompt has an empty value");
  for (const std::string& v : items) {
    if (v == "none")
      p.none = true;
    else if (v == "login")
      p.login = true;
    else if (v == "consent")
      p.consent = true;
    else if (v == "select_account")
      p.select_account = true;
    else
      return Bad("prompt value \"" + v + "\" is not supported");
  }
  if (p.none && (p.login || p.consent || p.select_account)) {
    return Bad("prompt=none cannot be combined with other values");
  }
  return p;
}

AuthzResult<std::optional<int64_t>> ParseMaxAge(const std::optional<std::string>& value) {
  if (!value) return std::optional<int64_t>();
  if (value->size() > kMaxAgeDigits ||
      !std::all_of(value->begin(), value->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Bad("max_age must be a non-negative integer");
  }
  return std::optional<int64_t>(std::stoll(*value));
}

AuthzResult<std::vector<std::string>> ParseSpaceList(const std::optional<std::string>& value,
                                                     const char* name) {
  if (!value) return std::vector<std::string>();
  bool empty_entry = false;
  std::vector<std::string> items = SplitSpaces(*value, &empty_entry);
  if (empty_entry) return Bad(std::string(name) + " has an empty value");
  return items;
}

AuthzResult<std::vector<std::string>> ParseEssentialAcr(const std::optional<std::string>& claims) {
  std::vector<std::string> out;
  if (!claims) return out;
  core::Json j = core::Json::parse(*claims, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Bad("claims must be a JSON object (OIDC Core 5.5)");
  auto id_token = j.find("id_token");
  if (id_token == j.end() || id_token->is_null()) return out;
  if (!id_token->is_object()) return Bad("claims.id_token must be a JSON object");
  auto acr = id_token->find("acr");
  if (acr == id_token->end() || acr->is_null()) return out;
  if (!acr->is_object()) return Bad("claims.id_token.acr must be null or a JSON object");
  auto essential = acr->find("essential");
  if (essential == acr->end() || !essential->is_boolean() || !essential->get<bool>()) return out;
  // OIDC Core §5.5.1: "value" (one) or "values" (several, in order of preference).
  if (auto v = acr->find("value"); v != acr->end()) {
    if (!v->is_string()) return Bad("claims.id_token.acr.value must be a string");
    out.push_back(v->get<std::string>());
  }
  if (auto vs = acr->find("values"); vs != acr->end()) {
    if (!vs->is_array()) return Bad("claims.id_token.acr.values must be an array");
    for (const auto& v : *vs) {
      if (!v.is_string()) return Bad("claims.id_token.acr.values must hold strings");
      out.push_back(v.get<std::string>());
    }
  }
  return out;
}

core::Result<void, AuthorizationError> CheckPkceParams(const std::optional<std::string>& challenge,
                                                       const std::optional<std::string>& method,
                                                       bool pkce_required) {
  if (!challenge) {
    if (method) return Bad("code_challenge_method without code_challenge");
    if (pkce_required) return Bad("code_challenge is required (PKCE, RFC 7636)");
    return {};
  }
  if (!method) return Bad("code_challenge_method is required; only S256 is supported");
  if (*method != kPkceMethodS256) return Bad("code_challenge_method must be S256");
  if (!IsValidS256Challenge(*challenge)) {
    return Bad("code_challenge must be the base64url SHA-256 of the code_verifier");
  }
  return {};
}

}  // namespace idm::oauth
