// AccountSecurityService: what a signed-in user does about their own second factors on the
// self-service security page (docs/design/023-account-security-page.md; issue 4): see them, rename
// or remove one, regenerate the recovery codes. No HTTP types: idm/account_ui maps these calls to
// pages.
//
// Access: the page belongs to the browser's SSO session of the realm. Access() says whether that
// session is recent enough (auth_time within the realm's account_reauth_s and, when the user has
// a second factor the realm allows, level "mfa" reached); otherwise the caller sends the browser
// through the login with a forced fresh authentication, as the built-in client
// kAccountConsoleClientId (EnsureConsoleClient), whose code comes back to ConsumeReturnCode.
//
// Every change writes its audit event in the same write transaction, with actor "user:<id>":
// MfaCredentialRenamed, MfaCredentialRemoved, RecoveryCodesGenerated, MfaEnrolled.
//
// Failures (core::ServiceError): kNotFound (no such credential of this user — another user's id
// is not found either), kInvalidArgument (a name outside 1..64 characters, field "name"),
// kUnavailable, kInternal.
// Thread-safety: safe to share between threads; each call runs in its own transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/authn/login_service.h"
#include "idm/core/mfa_model.h"
#include "idm/core/model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/realm/client_service.h"
#include "idm/session/session_service.h"
#include "idm/store/store.h"

namespace idm::authn {

// The OAuth client_id of the built-in client the security page signs in through.
inline constexpr char kAccountConsoleClientId[] = "idm-account-console";
// Names are 1..64 characters (Unicode code points) after trimming.
inline constexpr size_t kMaxCredentialNameLength = 64;

enum class AccountAccess {
  kAllowed,         // a usable session, recent enough, at the level the user's factors demand
  kNoSession,       // no usable SSO session of this realm in the browser
  kReauthenticate,  // a session, but too old or below "mfa" while the user has a factor
};

struct AccountSession {
  AccountAccess access = AccountAccess::kNoSession;
  core::SsoSession session;  // kAllowed, kReauthenticate
  core::User user;           // kAllowed, kReauthenticate
};

// One factor as the page lists it (never the sealed secret).
struct FactorView {
  std::string id;
  std::string type;  // core::Credential::type: "totp", "webauthn", "hotp", ...
  std::string name;
  core::UnixMillis created_at = 0;
  core::UnixMillis last_used_at = 0;  // 0 = never
};

struct SecurityOverview {
  std::vector<FactorView> factors;  // confirmed credentials, oldest first
  int64_t recovery_codes_left = 0;
  bool email_code = false;  // email codes are on for the user's verified address
  // The realm (mfa_policy "required") or one of the user's roles (require_mfa) demands a second
  // factor: with no factor left, the next sign-in asks the user to enrol one.
  bool mfa_required = false;
  bool can_add_totp = false;     // the realm allows TOTP (StartTotpEnrollment)
  bool can_add_passkey = false;  // the realm allows passkeys (BeginPasskeyRegistration)
};

// The value a page passkey challenge is bound to in place of a login flow id
// (core::WebAuthnChallenge::flow_id): "account-session:" + the SSO session id. Login flow ids are
// UUIDs, so a challenge of one kind never matches the other.
std::string AccountPasskeyBinding(const std::string& session_id);

class AccountSecurityService {
 public:
  // Everything must outlive the service. `factors` decide which factors the user "has".
  AccountSecurityService(store::Store& store, core::Random& random,
                         const session::SessionService& sessions, realm::ClientService& clients,
                         SecondFactors factors);

  // Whether the browser's session (cookie value, "" if none) may use the page at ctx.now.
  core::ServiceResult<AccountSession> Access(const core::OpContext& ctx, const core::Realm& realm,
                                             std::string_view session_cookie) const;

  core::ServiceResult<SecurityOverview> Overview(const core::Realm& realm,
                                                 const core::User& user) const;

  // `name` is trimmed; kInvalidArgument (field "name") when empty, longer than 64 characters,
  // not UTF-8, or containing control characters.
  core::ServiceStatus Rename(const core::OpContext& ctx, const core::Realm& realm,
                             const core::User& user, const std::string& credential_id,
                             const std::string& name) const;
  core::ServiceStatus Remove(const core::OpContext& ctx, const core::Realm& realm,
                             const core::User& user, const std::string& credential_id) const;
  // Replaces every recovery code of the user; returns the new codes (shown once).
  core::ServiceResult<std::vector<std::string>> RegenerateRecoveryCodes(
      const core::OpContext& ctx, const core::Realm& realm, const core::User& user) const;

  // Adding an authenticator app from the page (the login's TOTP enrolment, docs/design/017): the
  // user's pending enrolment, or a new unconfirmed credential named "authenticator".
  // kFailedPrecondition when the realm does not allow TOTP.
  core::ServiceResult<factors::TotpEnrollment> StartTotpEnrollment(const core::OpContext& ctx,
                                                                   const core::Realm& realm,
                                                                   const core::User& user) const;
  // Confirms the pending enrolment with a first valid code (MfaEnrolled). False when the code is
  // wrong or nothing is pending.
  core::ServiceResult<bool> ConfirmTotpEnrollment(const core::OpContext& ctx,
                                                  const core::Realm& realm, const core::User& user,
                                                  const std::string& code) const;

  // Adding a passkey from the page (W3C WebAuthn Level 2 §7.1, the login's ceremony of
  // docs/design/018): creation options for `user` whose single-use challenge is bound to the SSO
  // session `session_id` (AccountPasskeyBinding) instead of a login flow. excludeCredentials lists
  // the user's passkeys. kFailedPrecondition when the realm does not allow passkeys.
  core::ServiceResult<std::string> BeginPasskeyRegistration(const core::OpContext& ctx,
                                                            const core::Realm& realm,
                                                            const core::User& user,
                                                            const std::string& session_id) const;
  // Verifies `credential_json` (the PublicKeyCredential the page posts) against a challenge that
  // BeginPasskeyRegistration issued to this user and session, and stores the passkey named
  // `name` (NormalizeCredentialName) with MfaEnrolled. The challenge is taken in any case (single
  // use). A refused response (replayed, foreign or expired challenge, failed §7.1 check) is an
  // outcome with ok false and nothing stored. kInvalidArgument (field "name") for a bad name,
  // checked before the challenge is touched; kFailedPrecondition when passkeys are not allowed.
  core::ServiceResult<factors::PasskeyOutcome> AddPasskey(const core::OpContext& ctx,
                                                          const core::Realm& realm,
                                                          const core::User& user,
                                                          const std::string& session_id,
                                                          const std::string& name,
                                                          const std::string& credential_json) const;

  // The built-in client, created in the realm on first use (ClientCreated, actor "system") with
  // `redirect_uri` as its only redirect URI. A concurrent creation elsewhere is read back.
  core::ServiceResult<core::Client> EnsureConsoleClient(const core::OpContext& ctx,
                                                        const core::Realm& realm,
                                                        const std::string& redirect_uri) const;
  // The login came back with `code`: consumes it (single use) when it was issued to the console
  // client for `session_id`. True when it was; false for any other, unknown, used or expired
  // code, which is left as it is.
  core::ServiceResult<bool> ConsumeReturnCode(const core::OpContext& ctx, const core::Realm& realm,
                                              const std::string& code,
                                              const std::string& session_id) const;

 private:
  bool PasskeysAllowed(const core::Realm& realm) const;
  core::ServiceResult<bool> HasAllowedFactor(store::Transaction& tx, const core::Realm& realm,
                                             const std::string& user_id) const;

  store::Store& store_;
  core::Random& random_;
  const session::SessionService& sessions_;
  realm::ClientService& clients_;
  SecondFactors factors_;
};

// `name` trimmed of surrounding whitespace when it is an acceptable credential name (1..64 code
// points of UTF-8, no control characters); nullopt otherwise.
std::optional<std::string> NormalizeCredentialName(std::string_view name);

}  // namespace idm::authn
