// AuthRequest: the parts of a validated authorization request (OIDC Core §3.1.2.1, RFC 6749
// §4.1.1) that the login flow needs, as a plain value the oauth endpoint fills from
// oauth::AuthorizationRequest (authn sits below oauth and cannot see that type). FlowData is what a
// persisted core::LoginFlow keeps in request_json: the request plus the SSO session the flow
// authenticated in.
//
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "idm/core/clock.h"
#include "idm/core/result.h"

namespace idm::authn {

struct AuthRequest {
  std::string client_id;     // the OAuth client_id (not the internal id)
  std::string redirect_uri;  // where the response goes (validated by the endpoint)
  // The request named redirect_uri itself (it may be omitted by a plain OAuth request of a client
  // with one registered URI). The code then records it, and the token request must repeat it
  // (RFC 6749 §4.1.3); otherwise the code records "" and the token request must not send one.
  bool redirect_uri_in_request = true;
  bool form_post = false;    // response_mode=form_post, else query
  std::vector<std::string> scope;
  std::string state;
  std::string nonce;
  bool prompt_none = false;
  bool prompt_login = false;
  bool prompt_consent = false;
  bool prompt_select_account = false;
  std::optional<int64_t> max_age;  // seconds
  std::string login_hint;
  std::vector<std::string> ui_locales;
  std::vector<std::string> acr_values;  // voluntary, in preference order (OIDC Core §3.1.2.1)
  // OIDC Core §5.5.1.1: the `claims` parameter's id_token.acr with "essential": true — its
  // "value" or "values"; one of them must be met or the request fails.
  std::vector<std::string> essential_acr;
  std::string code_challenge;
  std::string code_challenge_method;
};

struct FlowData {
  AuthRequest request;
  std::string session_id;  // the SSO session the user is authenticated in ("" before that)
};

// JSON text of `data` (the LoginFlow::request_json format).
std::string FlowDataToJson(const FlowData& data);
// Errors: text that is not a FlowData object (a message for the log).
core::Result<FlowData, std::string> FlowDataFromJson(const std::string& text);

// The scope as one space-separated string (RFC 6749 §3.3).
std::string JoinScope(const std::vector<std::string>& scope);

}  // namespace idm::authn
