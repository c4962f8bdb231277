// Proof Key for Code Exchange (RFC 7636): the syntax of code_verifier and code_challenge and the
// S256 check the token endpoint runs when it redeems an authorization code. idm supports only
// S256: "plain" gives no protection when the authorization request leaks (RFC 9700 §2.1.1, RFC
// 7636 §4.2 "S256 is Mandatory To Implement"), so it is refused at the authorization endpoint.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "idm/oauth/error.h"

namespace idm::oauth {

// The only code_challenge_method idm accepts.
inline constexpr std::string_view kPkceMethodS256 = "S256";

// RFC 7636 §4.1: code-verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" /
// "~".
bool IsValidCodeVerifier(std::string_view verifier);

// RFC 7636 §4.2 with S256: BASE64URL(SHA256(verifier)) is always 43 base64url characters; any
// other value cannot match a verifier and is refused up front (invalid_request at authorization).
bool IsValidS256Challenge(std::string_view challenge);

// BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) (RFC 7636 §4.2).
std::string S256Challenge(std::string_view verifier);

// RFC 7636 §4.6: the token request's code_verifier against the challenge stored with the code.
// Fails with invalid_grant when the verifier is malformed (§4.1) or does not match (§4.6: "the
// request must be rejected"); the comparison runs in constant time. A code issued with a challenge
// and redeemed without a verifier is the caller's check (VerifyPkceForCode).
Status VerifyS256(std::string_view challenge, std::string_view verifier);

// The whole token-endpoint rule for one code: a code issued with a challenge needs a matching
// verifier (invalid_grant otherwise); a code issued without one must not be redeemed with a
// verifier (invalid_grant: RFC 9700 §2.1.1, against PKCE downgrade). `challenge` is "" when the
// code carries none.
Status VerifyPkceForCode(std::string_view challenge, std::string_view verifier);

}  // namespace idm::oauth
