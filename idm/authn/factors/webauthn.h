// The WebAuthn factor (W3C Web Authentication Level 2): passkeys as a second factor after the
// password and, where a realm enables it, username-less sign-in with a discoverable credential
// (docs/design/018-webauthn.md). The byte-level checks are crypto/webauthn.h; this file holds the
// ceremonies around them: options with a fresh single-use challenge (§13.4.3) bound to the login
// flow, user handles, the stored credentials and the sign counter.
//
//   BeginRegistration    PublicKeyCredentialCreationOptions (§5.4) as JSON, binary members
//                        base64url (the page script converts them)
//   FinishRegistration   §7.1 with the challenge taken from the store; stores the passkey under
//                        the user's name for it; writes MfaEnrolled
//   BeginAuthentication  PublicKeyCredentialRequestOptions (§5.5): the user's credentials as
//                        allowCredentials for a second factor, none for a username-less login
//   FinishAuthentication §7.2; the credential's owner must be the expected user (second factor) or
//                        the user named by userHandle (username-less); updates the sign counter
//                        with a conditional UPDATE
//
// amr (RFC 8176 §2): "swk" — idm accepts only "none" and "packed" self attestation, which prove
// nothing about the key's hardware, so "hwk" would claim more than is known; "user" — the
// authenticator's test of user presence (UP), which every accepted response carries; "mfa" is
// added by the caller when the authenticator verified its user (UV) or a password came first.
//
// Failures (core::ServiceError): kUnavailable, kInternal. A refused response is not an error: the
// outcome says which check failed.
// Thread-safety: immutable; safe to share. The Random must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idm/authn/factors/second_factor.h"
#include "idm/core/random.h"

namespace idm::authn::factors {

// The relying party: idm's public origin and host (WebAuthn L2 §5.1.4 origin, §5.1.5 RP ID).
struct WebAuthnRelyingParty {
  std::string id;      // the public host, e.g. "id.example.com"
  std::string origin;  // scheme://host[:port], e.g. "https://id.example.com"
};

// The relying party of a public URL ("https://id.example.com:8443/idm" -> id "id.example.com",
// origin "https://id.example.com:8443"). Empty members when the URL has no scheme or host.
WebAuthnRelyingParty RelyingPartyFromUrl(const std::string& public_url);

// What a finished ceremony came to.
struct PasskeyOutcome {
  bool ok = false;
  std::string failure;  // when !ok: a crypto::webauthn::CheckName or "unknown_challenge",
                        // "unknown_credential", "wrong_user", "already_registered",
                        // "sign_count_conflict", "malformed"
  std::string user_id;  // the credential's owner (when ok, or the owner of a refused credential)
  std::string credential_id;  // the credentials row id (core::Credential::id), when known
  bool user_verified = false;
  std::vector<std::string> amr;  // when ok: {"swk", "user"}
};

inline constexpr char kWebAuthnMethod[] = "webauthn";

class WebAuthnFactor final : public SecondFactor {
 public:
  WebAuthnFactor(core::Random& random, WebAuthnRelyingParty rp)
      : random_(random), rp_(std::move(rp)) {}

  std::string_view Id() const override { return kWebAuthnMethod; }
  std::vector<std::string> Amr() const override { return {"swk", "user"}; }
  // True when the user has at least one passkey.
  core::ServiceResult<bool> Has(store::Transaction& tx, const std::string& realm_id,
                                const std::string& user_id) const override;
  // `input` is the assertion JSON; accepted when FinishAuthentication for `user` (with any flow)
  // is. The login flow itself calls FinishAuthentication, which says why a response failed.
  core::ServiceResult<bool> Verify(store::Transaction& tx, const core::OpContext& ctx,
                                   const core::Realm& realm, const core::User& user,
                                   const std::string& input) const override;
  core::ServiceResult<int64_t> Remove(store::Transaction& tx, const std::string& realm_id,
                                      const std::string& user_id) const override;

  // Creation options for `user` in login flow `flow_id`; stores the challenge.
  core::ServiceResult<std::string> BeginRegistration(store::Transaction& tx,
                                                     const core::OpContext& ctx,
                                                     const core::Realm& realm,
                                                     const core::User& user,
                                                     const std::string& flow_id) const;
  // `credential_json`: the PublicKeyCredential the page posts ({id, rawId, type, response:
  // {clientDataJSON, attestationObject, transports}, clientExtensionResults}).
  core::ServiceResult<PasskeyOutcome> FinishRegistration(store::Transaction& tx,
                                                         const core::OpContext& ctx,
                                                         const core::Realm& realm,
                                                         const core::User& user,
                                                         const std::string& flow_id,
                                                         const std::string& name,
                                                         const std::string& credential_json) const;
  // Request options; `user` nullopt for a username-less login (user verification required).
  core::ServiceResult<std::string> BeginAuthentication(store::Transaction& tx,
                                                       const core::OpContext& ctx,
                                                       const core::Realm& realm,
                                                       const std::optional<core::User>& user,
                                                       const std::string& flow_id) const;
  // `credential_json`: {id, rawId, type, response: {clientDataJSON, authenticatorData,
  // signature, userHandle}}. `user` as given to BeginAuthentication; `flow_id` "" skips the flow
  // check (Verify). Sign-count regression fails with "sign_count_regression".
  core::ServiceResult<PasskeyOutcome> FinishAuthentication(
      store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
      const std::optional<core::User>& user, const std::string& flow_id,
      const std::string& credential_json) const;

 private:
  core::ServiceResult<std::string> NewChallenge(store::Transaction& tx, const core::OpContext& ctx,
                                                const core::Realm& realm,
                                                const std::string& user_id,
                                                const std::string& flow_id,
                                                const char* purpose) const;
  core::ServiceResult<std::string> UserHandle(store::Transaction& tx, const core::Realm& realm,
                                              const core::User& user) const;

  core::Random& random_;
  WebAuthnRelyingParty rp_;
};

}  // namespace idm::authn::factors
