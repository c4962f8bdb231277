// Client credentials of a token-endpoint request (RFC 6749 §2.3): which authentication method the
// client used and the client_id / client_secret it presented. Parsing only; checking the secret
// against the stored hash is the client service's job (constant time, crypto::VerifySecret).
//
//  - client_secret_basic (RFC 6749 §2.3.1): `Authorization: Basic base64(id ":" secret)` where id
//    and secret are each application/x-www-form-urlencoded before encoding (so ':' in an id is
//    "%3A"), and decoded here after base64.
//  - client_secret_post (RFC 6749 §2.3.1): client_id and client_secret form parameters.
//  - private_key_jwt (RFC 7523 §2.2, OIDC Core §9): client_assertion_type
//    urn:ietf:params:oauth:client-assertion-type:jwt-bearer and client_assertion (a JWT signed by
//    a key of the client); client_id in the form is optional. The assertion is verified by
//    ClientAuthenticator (client_authenticator.h), not here.
//  - none: only client_id in the form (a public client; RFC 6749 §2.3, §3.2.1).
// A request using more than one method is invalid_request (RFC 6749 §2.3: "MUST NOT use more than
// one authentication method in each request").
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "idm/http/web.h"
#include "idm/oauth/error.h"

namespace idm::oauth {

enum class ClientAuthMethod { kNone, kClientSecretBasic, kClientSecretPost, kPrivateKeyJwt };

// RFC 7523 §2.2 client_assertion_type of a JWT client assertion.
inline constexpr std::string_view kJwtBearerAssertionType =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// The RFC 7591 §2 name, e.g. "client_secret_basic".
const char* ClientAuthMethodName(ClientAuthMethod method);

struct ClientCredentials {
  ClientAuthMethod method = ClientAuthMethod::kNone;
  std::string client_id;
  std::string client_secret;     // empty for kNone; never logged
  std::string client_assertion;  // kPrivateKeyJwt: the JWT; client_id may then be "" (from sub)
};

// Reads the credentials from the Authorization header and the parsed form. Errors:
// invalid_request for two methods, a client_id that differs between header and form, or a
// malformed Basic credential (bad base64, no ':', bad percent-encoding), a client_assertion
// without client_assertion_type or the reverse (RFC 7521 §4.2); invalid_client for a
// client_assertion_type other than jwt-bearer (RFC 7521 §4.2.1) and when no client_id was
// presented at all (with basic_auth_attempted unset).
Result<ClientCredentials> ExtractClientCredentials(const http::WebRequest& request,
                                                   const http::Params& form);

// Decodes application/x-www-form-urlencoded text ('+' is a space, %XX a byte). nullopt on a
// truncated or non-hex escape.
std::optional<std::string> FormUrlDecode(std::string_view text);

}  // namespace idm::oauth
