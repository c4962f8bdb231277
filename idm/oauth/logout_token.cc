// OpenID Connect Back-Channel Logout 1.0 §2.4 Logout Token.
#include "idm/oauth/logout_token.h"

#include "idm/core/log.h"
#include "idm/crypto/jwt.h"
#include "idm/oauth/id_token.h"

namespace idm::oauth {
namespace {

// A logout token is short-lived: it is delivered at once (with retries measured in minutes).
constexpr int64_t kLogoutTokenTtlS = 120;

core::ServiceError LogoutTokenFailure(core::ServiceErrorCode code, std::string message) {
  return core::ServiceError{code, std::move(message), {}};
}

}  // namespace

core::Json LogoutTokenClaims(std::string_view issuer, const LogoutTokenRequest& request,
                             core::UnixSeconds iat, int64_t ttl_s) {
  core::Json claims = {{"iss", issuer},
                       {"aud", request.client_id},
                       {"iat", iat},
                       {"exp", iat + ttl_s},
                       {"jti", request.jti},
                       {"events", {{std::string(kBackchannelLogoutEvent), core::Json::object()}}}};
  if (!request.subject.empty()) claims["sub"] = request.subject;
  if (!request.sid.empty()) claims["sid"] = request.sid;
  return claims;
}

core::ServiceResult<std::string> SignLogoutToken(const RealmKeys& keys, const core::Realm& realm,
                                                 std::string_view issuer,
                                                 const LogoutTokenRequest& request,
                                                 core::UnixSeconds now) {
  if (request.subject.empty() && request.sid.empty()) {
    return LogoutTokenFailure(core::ServiceErrorCode::kInvalidArgument,
                              "a logout token needs sub or sid");
  }
  IDM_ASSIGN_OR_RETURN(const crypto::SigningKey* key,
                       IdTokenKey(keys, request.signing_alg, realm.settings.default_signing_alg));
  crypto::Result<std::string> jwt = crypto::JwtSign(
      *key, LogoutTokenClaims(issuer, request, now, kLogoutTokenTtlS), "logout+jwt");
  if (!jwt) {
    core::log::Error("oauth: logout token signing failed",
                     {{"realm", realm.name}, {"error", jwt.error().message}});
    return LogoutTokenFailure(core::ServiceErrorCode::kInternal, "signing failed");
  }
  return std::move(*jwt);
}

}  // namespace idm::oauth
