// Pieces the two one-time-password factors share (totp.cc, hotp.cc): the aad a seed is sealed
// under, the percent-encoding of otpauth:// URI parts (Google Authenticator Key Uri Format), a
// user's credentials of one type, and opening a sealed seed.
//
// Thread-safety: pure functions; the store calls use the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/core/mfa_model.h"
#include "idm/core/service_error.h"
#include "idm/crypto/kek.h"
#include "idm/store/store.h"

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

// The user's credentials of `type` (core::kCredentialTotp, kCredentialHotp), confirmed or not.
core::ServiceResult<std::vector<core::Credential>> CredentialsOfType(store::Transaction& tx,
                                                                     const std::string& realm_id,
                                                                     const std::string& user_id,
                                                                     std::string_view type);

// Whether the user has a confirmed credential of `type`.
core::ServiceResult<bool> HasConfirmedCredential(store::Transaction& tx, const std::string& realm_id,
                                                 const std::string& user_id, std::string_view type);

// The credential's seed, opened with the KEK; nullopt (logged, naming `kind`, e.g. "TOTP") when it
// does not open (another KEK, a copied row): such a credential can never verify. kInternal if the
// stored value is not base64url.
core::ServiceResult<std::optional<std::string>> OpenOtpSeed(const crypto::Kek& kek,
                                                            const core::Credential& c,
                                                            std::string_view kind);

}  // namespace idm::authn::factors
