// Authentication levels: which OIDC Core §2 `acr` a login achieved, which level an authorization
// request needs, and what the ID token reports (docs/design/020-step-up-and-mfa-policy.md).
//
// The levels are ordered, weakest first: "pwd" (one factor) < "mfa" (a password and a second
// factor) < "phishing-resistant" (a passkey: a key bound to the site's origin). A higher level
// satisfies every lower one. What a login achieved follows from its RFC 8176 amr values alone
// (AcrForAmr), so a new second-factor method only has to report honest amr values:
//   - "hwk" or "swk" (proof of possession of a key; in idm only a WebAuthn passkey) ->
//     "phishing-resistant";
//   - "mfa" (more than one factor) -> "mfa";
//   - anything else -> "pwd".
// A realm offers a subset of the levels (RealmSettings::acr_levels); requests may name only those.
//
// Thread-safety: pure functions and value types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "idm/authn/auth_request.h"
#include "idm/core/model.h"

namespace idm::authn {

// Ranks: 0 = unknown, 1 = pwd, 2 = mfa, 3 = phishing-resistant.
inline constexpr int kRankPwd = 1;
inline constexpr int kRankMfa = 2;
inline constexpr int kRankPhishingResistant = 3;

// The rank of a level name; 0 for a name that is not a level.
int AcrRank(std::string_view acr);

// The level name of a rank (1..3); "" otherwise.
std::string AcrName(int rank);

// The level a login with these RFC 8176 amr values achieved (see above).
std::string AcrForAmr(const std::vector<std::string>& amr);

// The rank an SSO session achieved. A session with an empty or unknown acr (one signed in before
// levels existed) counts as "pwd": it proved at least one factor.
int SessionRank(const std::string& session_acr);

// What an authorization request asks for (OIDC Core §3.1.2.1 acr_values, §5.5.1.1 essential acr),
// read against the levels the realm offers.
struct AcrRequest {
  // acr_values: the first value the realm offers, as a rank (0 = none). Voluntary: the login
  // tries to reach it but still succeeds below it.
  int voluntary = 0;
  // Essential acr: the lowest rank among its values that the realm offers (0 = none asked).
  int essential = 0;
  // An essential acr was asked and none of its values is a level the realm offers: the request
  // can never be met (unmet_authentication_requirements).
  bool essential_unknown = false;
};
AcrRequest ReadAcrRequest(const AuthRequest& request, const std::vector<std::string>& offered);

// The acr the ID token reports for a session that achieved `achieved`. Normally the achieved
// level itself. With an essential acr, OIDC Core §5.5.1.1 wants one of the requested values:
// then the highest requested value the achieved level satisfies (true, and what was asked).
std::string ReportedAcr(const std::string& achieved, const AuthRequest& request);

}  // namespace idm::authn
