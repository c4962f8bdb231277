// The small checks a token-endpoint request passes before any grant runs (RFC 6749 §3.2), each a
// free function returning oauth::Status so the endpoint reads as an ordered list of them
// (CONVENTIONS.md "Endpoints and flows" 2). Each fails with invalid_request unless stated.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "idm/core/model.h"
#include "idm/http/web.h"
#include "idm/oauth/client_authentication.h"
#include "idm/oauth/error.h"

namespace idm::oauth {

// The (first) value of parameter `name` of a form or query, "" when absent. Callers that must
// refuse repeated parameters check CheckNoRepeatedParams first.
std::string FormValue(const http::Params& form, const std::string& name);

// RFC 6749 §3.2: "The client MUST use the HTTP POST method".
Status CheckPost(const http::WebRequest& request);

// RFC 6749 §4.4.2: parameters in application/x-www-form-urlencoded format.
Status CheckFormContentType(const http::WebRequest& request);

// RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than once."
Status CheckNoRepeatedParams(const http::Params& form);

// RFC 6749 §4.4.2 / §5.2: grant_type is required.
Status CheckGrantTypePresent(const http::Params& form);

// Which authentication methods may present which client (the client's token_endpoint_auth_method
// decides, RFC 7591 §2): a confidential client registered with client_secret_basic or
// client_secret_post may use either secret method (both carry the same secret;
// docs/design/005-tokens.md); a private_key_jwt client only a JWT assertion (RFC 7523 §2.2); a
// public client registered with "none" only its client_id (RFC 6749 §2.1). Anything else is
// invalid_client (with the Basic flag when Basic was used).
Status CheckAuthMethodAllowed(const ClientCredentials& credentials, const core::Client& client);

// RFC 6749 §5.2 unauthorized_client: the grant type is not one of the client's grant_types.
Status CheckGrantAllowed(const core::Client& client, const std::string& grant_type);

}  // namespace idm::oauth
