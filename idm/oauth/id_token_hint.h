// id_token_hint (OIDC Core §3.1.2.1): an ID token this realm issued earlier, sent back by the
// client as a hint about the End-User's current session. The authorization endpoint uses its
// `sub` to check that the signed-in user is the one the client means (prompt=none returns
// login_required otherwise) — so it must be verified, never just decoded.
//
// Rules: the JWS signature verifies with a key the realm publishes (JWKS: next, active or retired
// keys; "none" and every alg the key does not fit are refused by crypto::JwsVerify); the header
// typ is absent or "JWT" (an RFC 9068 "at+jwt" access token is not an ID token); iss is this
// realm's issuer; aud is, or contains, the requesting client_id; sub is a non-empty string.
// Expiry is NOT checked: Core §3.1.2.1 describes the hint as being about the user's "current or
// past" session, an ID token's exp is not tied to the OP or RP session, and the hint only names a
// user — it grants nothing (the same reading as the OpenID WG's discussion in connect issue #1087
// and common OPs). A caller that wants a bound can compare iat itself.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idm/crypto/jwk.h"
#include "idm/oauth/authorization_error.h"

namespace idm::oauth {

// What a verified hint says (RP-Initiated Logout 1.0 §2 uses all three).
struct IdTokenHintClaims {
  std::string sub;
  std::vector<std::string> audiences;  // aud as a list
  std::string sid;                     // "" when the token has none
};

// Verifies `hint` by the rules above except the audience (a logout request may name no client):
// the caller compares `audiences` with the client it settles on.
AuthzResult<IdTokenHintClaims> VerifyIdTokenHint(std::string_view hint,
                                                 const crypto::JwkSet& published_keys,
                                                 std::string_view issuer);

// The verified hint's sub. Fails with invalid_request (non-redirectable; the caller makes it
// redirectable once the redirect URI is known) naming no internal detail.
AuthzResult<std::string> IdTokenHintSubject(std::string_view hint,
                                            const crypto::JwkSet& published_keys,
                                            std::string_view issuer, std::string_view client_id);

}  // namespace idm::oauth
