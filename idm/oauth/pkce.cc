// RFC 7636 §4.1, §4.2, §4.6: PKCE with S256.
#include "idm/oauth/pkce.h"

#include <algorithm>

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"

namespace idm::oauth {
namespace {

constexpr size_t kVerifierMin = 43;          // RFC 7636 §4.1
constexpr size_t kVerifierMax = 128;         // RFC 7636 §4.1
constexpr size_t kS256ChallengeLength = 43;  // base64url of 32 bytes, unpadded

bool IsVerifierChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

Error InvalidGrant(std::string d) { return {ErrorCode::kInvalidGrant, std::move(d), false}; }

}  // namespace

bool IsValidCodeVerifier(std::string_view verifier) {
  return verifier.size() >= kVerifierMin && verifier.size() <= kVerifierMax &&
         std::all_of(verifier.begin(), verifier.end(), IsVerifierChar);
}

bool IsValidS256Challenge(std::string_view challenge) {
  if (challenge.size() != kS256ChallengeLength) return false;
  // The strict decoder also refuses non-zero trailing bits, so only real digests pass.
  return crypto::Base64UrlDecode(challenge).has_value();
}

std::string S256Challenge(std::string_view verifier) {
  return crypto::Base64UrlEncode(crypto::Sha256(verifier));
}

Status VerifyS256(std::string_view challenge, std::string_view verifier) {
  if (!IsValidCodeVerifier(verifier)) {
    return InvalidGrant("code_verifier must be 43 to 128 unreserved characters (RFC 7636 4.1)");
  }
  if (!crypto::ConstantTimeEquals(S256Challenge(verifier), challenge)) {
    return InvalidGrant("code_verifier does not match the code_challenge");
  }
  return {};
}

Status VerifyPkceForCode(std::string_view challenge, std::string_view verifier) {
  if (challenge.empty()) {
    if (!verifier.empty()) {
      return InvalidGrant("code_verifier sent for a code issued without code_challenge");
    }
    return {};
  }
  if (verifier.empty()) return InvalidGrant("code_verifier is required for this code");
  return VerifyS256(challenge, verifier);
}

}  // namespace idm::oauth
