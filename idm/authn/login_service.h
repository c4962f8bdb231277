// LoginService: the browser login of the authorization endpoint as a persisted state machine
// (core::LoginFlow, CONVENTIONS.md "Flows x methods";
// docs/design/013-login-flow-and-sso-session.md). The oauth endpoints map HTTP to these calls and
// each returned Step back to a page or a redirect; nothing here knows HTTP.
//
//   Begin          a validated authorization request arrives. With a usable SSO session that
//                  satisfies prompt/max_age and consent that covers the scope, the code is issued
//                  at once (no flow is stored). Otherwise a flow is stored (started, or
//                  consent_pending when only consent is missing), or, for prompt=none, the OIDC
//                  Core §3.1.2.6 error (login_required / consent_required) is returned.
//   Show           the flow's current page again (a reload, a language switch).
//   SubmitPassword the password step: started -> (first_factor_ok ->) authenticated; then
//                  consent_pending, or completed with a code. Brute-force rules in brute_force.h.
//   SubmitConsent  consent_pending -> completed (code) or failed (access_denied).
//   SubmitSecondFactor  mfa_pending -> authenticated with a TOTP or HOTP code or a recovery code
//                  (factors/second_factor.h); a wrong, replayed or expired code counts as a
//                  failed login (brute_force.h) and shows the MFA page again.
//   SubmitEnrollment  mfa_pending without a factor (realm mfa_policy "required"): confirms the
//                  TOTP (or HOTP) enrolment with a first code, or skips it within
//                  mfa_enrollment_grace_s. SwitchEnrollment changes the enrolment between
//                  time-based (TOTP) and counter-based (HOTP) codes (docs/design/024).
//   SendEmailCode  mfa_pending: mails the user a second-factor code (realm email_code_enabled,
//                  verified address; docs/design/019); the MFA page then shows the code field,
//                  or an error when the mail could not be sent. SubmitSecondFactor checks it.
//   StartEmailSignIn / SubmitEmailSignIn  passwordless sign-in with an emailed code (realm
//                  passwordless_email): started -> the code page -> authenticated (amr ["otp"],
//                  one factor). The code page is the same whether or not the account exists.
// After the password, a second factor is asked when the realm's mfa_policy is not "off" and the
// user has a confirmed TOTP credential, or the policy is "required" (then the user enrols first);
// docs/design/017-mfa-methods-and-flow.md.
//
// Every flow is bound to the browser that started it: Begin hands out a random binding value for
// a cookie (unless the browser already has one) and the flow stores HashSecret(binding) in
// LoginFlow::csrf_secret. A submission from a browser without that cookie is refused (kForeign),
// which stops login CSRF with a flow the attacker started; the per-form CSRF token
// (pages::CsrfTokens bound to the flow id) is the endpoint's check on top.
//
// Updates use the flow's version (LoginFlowRepo::Update), so two nodes serving the same flow
// cannot both move it on: the loser answers kGone.
//
// Audit events (docs/security/events.md), each in the transaction of its change: LoginSucceeded,
// LoginFailed, UserLockedOut, ConsentGranted, ConsentDenied, AuthorizationCodeIssued, MfaEnrolled,
// MfaEnrollmentSkipped, RecoveryCodeUsed.
//
// Failures (core::ServiceError): kUnavailable, kInternal. Everything a user can cause is a Step.
// Thread-safety: safe to share between threads; each call runs its own transactions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idm/authn/auth_request.h"
#include "idm/authn/factors/email_code.h"
#include "idm/authn/factors/hotp.h"
#include "idm/authn/factors/recovery_codes.h"
#include "idm/authn/factors/totp.h"
#include "idm/authn/factors/webauthn.h"
#include "idm/authn/logout_service.h"
#include "idm/core/model.h"
#include "idm/core/oidc_model.h"
#include "idm/core/op_context.h"
#include "idm/core/random.h"
#include "idm/core/service_error.h"
#include "idm/crypto/password.h"
#include "idm/mail/mail_queue.h"
#include "idm/session/session_service.h"
#include "idm/store/store.h"

namespace idm::authn {

// What the browser brought along.
struct Browser {
  std::string session_cookie;  // the SSO session cookie value, "" if none
  std::string binding;         // the flow-binding cookie value, "" if none
};

enum class StepKind {
  kShowLogin,    // render the login page for `flow`
  kShowConsent,  // render the consent page for `flow`
  kRedirect,     // send the authorization response: `code`, or `error` (+ description)
  kGone,         // the flow is unknown, expired, finished, or moved on by another request
  kForeign,      // the flow belongs to another browser (binding cookie missing or different)
  kShowMfa,        // render the second-factor page for `flow` (TOTP code or recovery code)
  kShowMfaEnroll,  // render the TOTP enrolment page for `flow` (`enrollment`)
  kShowRecoveryCodes,  // render the new recovery codes (`recovery_codes`, shown once) for `flow`
  kShowEmailSignIn,  // render the passwordless code page for `flow` (docs/design/019)
};

// RFC 8176 §2 method references and the acr of a login with a second factor.
inline constexpr char kAcrMfa[] = "mfa";

struct Step {
  StepKind kind = StepKind::kGone;
  core::LoginFlow flow;       // kShowLogin, kShowConsent
  AuthRequest request;        // kShowLogin, kShowConsent, kRedirect
  core::Client client;        // kShowLogin, kShowConsent, kRedirect
  std::string username;       // prefill (login) or the signed-in user (consent)
  bool login_failed = false;  // kShowLogin, kShowMfa*: after a failed attempt (one message)
  std::optional<factors::TotpEnrollment> enrollment;  // kShowMfaEnroll
  // kShowMfaEnroll: the one-time-password methods ("totp", "hotp") the user may switch the
  // enrolment to (SwitchEnrollment).
  std::vector<std::string> otp_enroll_methods;
  bool can_skip_enrollment = false;                   // kShowMfaEnroll within the grace period
  std::vector<std::string> mfa_methods;  // kShowMfa: the methods offered (SecondFactor::Id)
  std::vector<std::string> recovery_codes;  // kShowRecoveryCodes: "" after the first showing
  bool offer_passkey = false;  // kShowMfa: the user has a passkey; kShowMfaEnroll: may enrol one
  // Email codes (docs/design/019). kShowMfa: "Email me a code" is offered (email_available), a
  // code was sent and is waiting (email_sent, to email_masked), or the mail failed
  // (email_send_failed); totp_available is false for a user whose only factor is email.
  bool email_available = false;
  bool email_sent = false;
  bool email_send_failed = false;
  bool totp_available = true;
  std::string email_masked;
  std::string code;           // kRedirect success: the authorization code (shown once)
  std::string error;          // kRedirect error: RFC 6749 §4.1.2.1 / OIDC Core §3.1.2.6 code
  std::string error_description;
  // Cookies to set: a new SSO session (value and absolute expiry) and a new flow binding.
  std::optional<std::string> session_cookie;
  core::UnixMillis session_expires_at = 0;
  std::optional<std::string> binding;
  // The session of another user that this sign-in ended (EndSessionIn, committed with the step):
  // the caller sends its clients the logout notices (docs/design/016).
  std::optional<EndedSession> ended_session;
};

// The second factors the login offers; they must outlive the service.
struct SecondFactors {
  const factors::TotpFactor& totp;
  const factors::RecoveryCodeFactor& recovery_codes;
  const factors::WebAuthnFactor* webauthn = nullptr;  // passkeys; nullptr: not offered
  const factors::EmailCodeFactor* email = nullptr;  // email codes (docs/design/019), optional
  const factors::HotpFactor* hotp = nullptr;  // RFC 4226 counter codes (docs/design/024), optional
  // Every method, recovery codes last (they are a fallback, never a reason to ask).
  std::vector<const factors::SecondFactor*> All() const {
    std::vector<const factors::SecondFactor*> all = {&totp};
    if (hotp != nullptr) all.push_back(hotp);
    if (webauthn != nullptr) all.push_back(webauthn);
    if (email != nullptr) all.push_back(email);
    all.push_back(&recovery_codes);
    return all;
  }
};

// The WebAuthn options the page script asks for (login_webauthn_steps.cc): `json` when the flow
// is at a step that has a ceremony, else `refused` says why not (kGone, kForeign).
struct PasskeyOptions {
  std::optional<std::string> json;
  StepKind refused = StepKind::kGone;
};

class LoginService {
 public:
  // Everything must outlive the service.
  LoginService(store::Store& store, const crypto::PasswordHasher& hasher, core::Random& random,
               const session::SessionService& sessions, SecondFactors factors);

  // `client` must be the enabled client the request was validated against, in `realm`.
  core::ServiceResult<Step> Begin(const core::OpContext& ctx, const core::Realm& realm,
                                  const core::Client& client, const AuthRequest& request,
                                  const Browser& browser);

  core::ServiceResult<Step> Show(const core::OpContext& ctx, const core::Realm& realm,
                                 const std::string& flow_id, const Browser& browser);

  core::ServiceResult<Step> SubmitPassword(const core::OpContext& ctx, const core::Realm& realm,
                                           const std::string& flow_id, const Browser& browser,
                                           const std::string& username,
                                           const std::string& password);

  core::ServiceResult<Step> SubmitConsent(const core::OpContext& ctx, const core::Realm& realm,
                                          const std::string& flow_id, const Browser& browser,
                                          bool approve);

  // method: "totp", "hotp", "recovery_code", "email" (factors::SecondFactor::Id).
  core::ServiceResult<Step> SubmitSecondFactor(const core::OpContext& ctx,
                                               const core::Realm& realm,
                                               const std::string& flow_id, const Browser& browser,
                                               const std::string& method,
                                               const std::string& code);

  // Passkeys (login_webauthn_steps.cc; docs/design/018-webauthn.md). WebAuthnOptions issues the
  // ceremony of the flow's step with a fresh challenge: creation options at the enrolment step,
  // request options for the user's passkeys at the MFA step, or for any discoverable credential
  // at the login step when the realm has passwordless_webauthn. A second factor by passkey is
  // SubmitSecondFactor with method "webauthn" and the credential JSON as `code`.
  core::ServiceResult<PasskeyOptions> WebAuthnOptions(const core::OpContext& ctx,
                                                      const core::Realm& realm,
                                                      const std::string& flow_id,
                                                      const Browser& browser);
  // The enrolment step with a passkey instead of TOTP: mfa_pending (enrol) -> authenticated.
  core::ServiceResult<Step> SubmitPasskeyEnrollment(const core::OpContext& ctx,
                                                    const core::Realm& realm,
                                                    const std::string& flow_id,
                                                    const Browser& browser,
                                                    const std::string& name,
                                                    const std::string& credential_json);
  // Username-less sign-in: started -> authenticated by a discoverable passkey with user
  // verification (amr swk user mfa, acr phishing-resistant). A refused passkey counts as a failed
  // login and shows the login page again.
  core::ServiceResult<Step> SubmitPasskeyLogin(const core::OpContext& ctx,
                                               const core::Realm& realm,
                                               const std::string& flow_id, const Browser& browser,
                                               const std::string& credential_json);

  // skip: the user chose "later" (honoured only within mfa_enrollment_grace_s).
  core::ServiceResult<Step> SubmitEnrollment(const core::OpContext& ctx, const core::Realm& realm,
                                             const std::string& flow_id, const Browser& browser,
                                             const std::string& code, bool skip);
  // The enrolment step with the other one-time-password method: `method` "totp" (time-based)
  // or "hotp" (counter-based, docs/design/024). Drops the user's unconfirmed credential of the
  // other method and shows the enrolment page for `method` (reusing its unconfirmed credential).
  // A method the realm does not allow, or a flow not at the enrolment step, shows the flow's
  // current page unchanged.
  core::ServiceResult<Step> SwitchEnrollment(const core::OpContext& ctx, const core::Realm& realm,
                                             const std::string& flow_id, const Browser& browser,
                                             const std::string& method);

  // The user saw the recovery codes generated with their first authenticator and goes on
  // (authenticated -> consent_pending or completed).
  core::ServiceResult<Step> ContinueAfterRecoveryCodes(const core::OpContext& ctx,
                                                       const core::Realm& realm,
                                                       const std::string& flow_id,
                                                       const Browser& browser);
  // Email codes (docs/design/019; login_email_steps.cc). Passwordless mails and security notices
  // (a recovery code was used) go through `queue`, which must outlive the service; without one
  // they are not sent.
  void SetMailQueue(mail::MailQueue* queue) { mail_queue_ = queue; }
  core::ServiceResult<Step> SendEmailCode(const core::OpContext& ctx, const core::Realm& realm,
                                          const std::string& flow_id, const Browser& browser);
  core::ServiceResult<Step> StartEmailSignIn(const core::OpContext& ctx, const core::Realm& realm,
                                             const std::string& flow_id, const Browser& browser,
                                             const std::string& username);
  core::ServiceResult<Step> SubmitEmailSignIn(const core::OpContext& ctx,
                                              const core::Realm& realm,
                                              const std::string& flow_id, const Browser& browser,
                                              const std::string& code);

 private:
  enum class MfaNeed { kNone, kVerify, kEnroll, kUnmet };
  // What the login must still do for the level the request needs (login_policy.cc).
  struct MfaDecision {
    MfaNeed need = MfaNeed::kNone;
    bool can_skip = false;  // kEnroll only because of the realm policy, within its grace
    int required = 0;       // the rank the login must reach (acr_levels.h), 0 = none
    std::vector<std::string> methods;  // allowed methods the user has (SecondFactor::Id)
  };
  struct Loaded;
  struct Issue;
  core::ServiceResult<std::optional<Loaded>> LoadFlow(store::Transaction& tx,
                                                      const core::Realm& realm,
                                                      const std::string& flow_id,
                                                      const Browser& browser, StepKind* why,
                                                      core::UnixMillis now);
  core::ServiceResult<Step> Authenticated(store::Transaction& tx, const core::OpContext& ctx,
                                          const core::Realm& realm, const core::Client& client,
                                          const core::User& user, const core::SsoSession& session,
                                          FlowData data, std::optional<core::LoginFlow> flow,
                                          const Browser& browser);
  core::ServiceResult<Step> Complete(store::Transaction& tx, const core::OpContext& ctx,
                                     const core::Realm& realm, const Issue& issue);
  core::ServiceResult<Step> NewFlow(store::Transaction& tx, const core::OpContext& ctx,
                                    const core::Realm& realm, const core::Client& client,
                                    const FlowData& data, core::LoginFlowState state,
                                    const std::string& user_id, const std::vector<std::string>& amr,
                                    const Browser& browser);
  // NewFlow without the commit; sets *new_binding when the browser needs a binding cookie.
  core::ServiceResult<core::LoginFlow> CreateFlow(
      store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
      const core::Client& client, const FlowData& data, core::LoginFlowState state,
      const std::string& user_id, const std::vector<std::string>& amr, const Browser& browser,
      std::optional<std::string>* new_binding);
  core::ServiceResult<Step> PasswordAccepted(const core::OpContext& ctx, const core::Realm& realm,
                                             Loaded loaded, const core::User& user,
                                             const Browser& browser);
  core::ServiceResult<Step> DenyConsent(store::Transaction& tx, const core::OpContext& ctx,
                                        const core::Realm& realm, Loaded loaded);
  core::ServiceResult<Step> RecordPasswordFailure(const core::OpContext& ctx,
                                                  const core::Realm& realm,
                                                  const std::optional<core::User>& user,
                                                  bool throttled, Step step,
                                                  const char* reason = "invalid_credentials");
  core::ServiceResult<MfaDecision> DecideMfa(store::Transaction& tx, const core::Realm& realm,
                                             const core::Client& client,
                                             const AuthRequest& request, const core::User& user,
                                             int rank_so_far, bool fresh_login,
                                             core::UnixMillis now) const;
  core::ServiceResult<MfaDecision> DecideMfa(store::Transaction& tx, const core::Realm& realm,
                                             const Loaded& loaded, const core::User& user,
                                             core::UnixMillis now) const;
  core::ServiceResult<Step> StepUp(store::Transaction& tx, const core::OpContext& ctx,
                                   const core::Realm& realm, const core::Client& client,
                                   const core::User& user, const core::SsoSession& session,
                                   const FlowData& data, const Browser& browser);
  core::ServiceResult<Step> Unmet(store::Transaction& tx, const core::OpContext& ctx,
                                  const core::Realm& realm, const Loaded* loaded,
                                  const AuthRequest& request, const core::Client& client,
                                  const std::string& user_id);
  core::ServiceResult<bool> StepUpSessionIntact(store::Transaction& tx, const core::Realm& realm,
                                                const Loaded& loaded, const Browser& browser,
                                                core::UnixMillis now) const;
  const factors::SecondFactor* FactorById(const core::Realm& realm, std::string_view id) const;
  core::ServiceResult<Step> SignedIn(store::Transaction& tx, const core::OpContext& ctx,
                                     const core::Realm& realm, Loaded loaded,
                                     const core::User& user, std::vector<std::string> amr,
                                     const std::string& acr, const Browser& browser,
                                     std::vector<std::string> recovery_codes = {});
  core::ServiceResult<Step> MfaPending(store::Transaction& tx, const core::OpContext& ctx,
                                       const core::Realm& realm, Loaded loaded,
                                       const core::User& user);
  core::ServiceResult<Step> SubmitPasskeySecondFactor(const core::OpContext& ctx,
                                                      const core::Realm& realm,
                                                      const std::string& flow_id,
                                                      const Browser& browser,
                                                      const std::string& credential_json);
  core::ServiceStatus AuditPasskeyRefusal(const core::OpContext& ctx, const core::Realm& realm,
                                          const factors::PasskeyOutcome& outcome);
  core::ServiceResult<Step> MfaPage(store::Transaction& tx, const core::OpContext& ctx,
                                    const core::Realm& realm, const Loaded& loaded,
                                    const core::User& user, bool failed);

  // One-time-password enrolment (login_otp_enrollment.cc): the methods the user may enrol, the
  // enrolment the page shows (the unconfirmed TOTP credential, else the unconfirmed HOTP one;
  // with `create`, a new one of the first allowed method when there is none), and its
  // confirmation by a first code.
  std::vector<std::string> OtpEnrollMethods(const core::Realm& realm) const;
  core::ServiceResult<std::optional<factors::TotpEnrollment>> PendingOtpEnrollment(
      store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
      const core::User& user, bool create) const;
  core::ServiceResult<bool> ConfirmOtpEnrollment(store::Transaction& tx,
                                                 const core::OpContext& ctx,
                                                 const core::Realm& realm,
                                                 const core::User& user,
                                                 const factors::TotpEnrollment& pending,
                                                 const std::string& code) const;
  const factors::SecondFactor& OtpFactor(const std::string& method) const;

  core::ServiceStatus FillEmailStatus(store::Transaction& tx, const core::Realm& realm,
                                      const core::User& user, core::UnixMillis now,
                                      Step& step) const;
  void NotifyRecoveryCodeUsed(const core::OpContext& ctx, const core::Realm& realm,
                              const core::User& user, const std::vector<std::string>& locales);

  store::Store& store_;
  const crypto::PasswordHasher& hasher_;
  core::Random& random_;
  const session::SessionService& sessions_;
  SecondFactors factors_;
  std::string decoy_hash_;  // verified against when there is no real hash (timing)
  mail::MailQueue* mail_queue_ = nullptr;
};

// OIDC Core §3.1.2.1 max_age / prompt=login: true when the session's authentication is too old or
// the request insists on a fresh one (prompt=login, prompt=select_account).
bool NeedsReauthentication(const AuthRequest& request, const core::SsoSession& session,
                           core::UnixMillis now);

// OIDC Core §3.1.2.4: consent must be asked when prompt=consent, or when the client requires
// consent and the stored consent (if any) does not cover every requested scope.
bool NeedsConsent(const AuthRequest& request, const core::Client& client,
                  const std::optional<core::Consent>& consent);

// The scopes of `consent` plus `requested`, sorted, without duplicates.
std::vector<std::string> MergeScopes(const std::vector<std::string>& granted,
                                     const std::vector<std::string>& requested);

}  // namespace idm::authn
