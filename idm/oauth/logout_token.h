// Logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4): the signed JWT idm POSTs to a
// client's backchannel_logout_uri when a user's session ends.
//
// Claims: iss, aud (the client_id), iat, exp, jti (unique, so the RP can refuse replays), events
// {"http://schemas.openid.net/event/backchannel-logout": {}}, and sub and/or sid (at least one;
// sid when the session is known, sub when the client asked for it or no sid exists). A logout
// token never carries nonce (§2.4: "MUST NOT"), which keeps it from passing as an ID token; the
// header says typ "logout+jwt" (§2.4, explicit typing per RFC 8725 §3.11).
//
// The signing key is chosen as for the client's ID tokens (IdTokenKey), so an RP verifies both
// with the same JWKS entry.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "idm/core/clock.h"
#include "idm/core/json.h"
#include "idm/core/model.h"
#include "idm/core/service_error.h"
#include "idm/oauth/keys/realm_keys.h"

namespace idm::oauth {

inline constexpr std::string_view kBackchannelLogoutEvent =
    "http://schemas.openid.net/event/backchannel-logout";

struct LogoutTokenRequest {
  std::string client_id;    // aud
  std::string subject;      // sub as this client knows it (public or pairwise); "" leaves it out
  std::string sid;          // the SSO session id; "" leaves it out
  std::string jti;          // unique id (a random UUID)
  std::string signing_alg;  // the client's id_token_signed_response_alg; "" = realm default
};

// The claim set; `ttl_s` bounds how long an RP may accept it (§2.6 asks RPs to check iat, and
// many check exp).
core::Json LogoutTokenClaims(std::string_view issuer, const LogoutTokenRequest& request,
                             core::UnixSeconds iat, int64_t ttl_s);

// Signs the logout token with the realm's key for the client's alg. kInvalidArgument when neither
// subject nor sid is given (§2.4 requires one) or the alg is unknown, kFailedPrecondition when
// the realm has no active key of that alg, kInternal when signing fails.
core::ServiceResult<std::string> SignLogoutToken(const RealmKeys& keys, const core::Realm& realm,
                                                 std::string_view issuer,
                                                 const LogoutTokenRequest& request,
                                                 core::UnixSeconds now);

}  // namespace idm::oauth
