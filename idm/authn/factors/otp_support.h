// Pieces the two one-time-password factors share (totp.cc, hotp.cc): the aad a seed is sealed
// under and the percent-encoding of otpauth:// URI parts (Google Authenticator Key Uri Format).
//
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace idm::authn::factors {

// The KEK aad of a credential's seed: a sealed seed copied to another row does not open.
inline std::string OtpSeedAad(const std::string& realm_id, const std::string& credential_id) {
  return "realm:" + realm_id + "/credential:" + credential_id;
}

// RFC 3986 §2.3 unreserved characters stay; every other byte is %XX.
inline std::string OtpUriEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

}  // namespace idm::authn::factors
