// LoginService: the passkey steps of a stored flow (W3C WebAuthn Level 2); see login_service.h and
// docs/design/018-webauthn.md. As with codes, a passkey is verified and the user signed in in one
// write transaction: the challenge taken, the new sign count and the session commit together or
// not at all. A refused passkey counts as a failed login (brute_force.h); a sign-count regression
// (a possibly cloned authenticator, §6.1.1) is also written as WebAuthnSignCountRegression.
#include <utility>

#include "idm/authn/login_service.h"
#include "idm/authn/login_support.h"
#include "idm/authn/password_factor.h"
#include "idm/core/log.h"
#include "idm/realm/service_support.h"

namespace idm::authn {

using core::LoginFlowState;
using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::WriteAuditEvent;

namespace {

Step PasskeyStep(StepKind kind, const core::LoginFlow& flow, const FlowData& data,
                 const core::Client& client, const std::string& username) {
  Step step;
  step.kind = kind;
  step.flow = flow;
  step.request = data.request;
  step.client = client;
  step.username = username;
  step.login_failed = true;
  step.offer_passkey = true;
  return step;
}

// RFC 8176 §2 for a passkey after the password: "pwd", the passkey's "swk" "user", and "mfa".
std::vector<std::string> PasswordAndPasskeyAmr(const factors::PasskeyOutcome& outcome) {
  std::vector<std::string> amr = {"pwd"};
  for (const std::string& v : outcome.amr) amr.push_back(v);
  amr.push_back("mfa");
  return amr;
}

}  // namespace

core::ServiceStatus LoginService::AuditPasskeyRefusal(const core::OpContext& ctx,
                                                      const core::Realm& realm,
                                                      const factors::PasskeyOutcome& outcome) {
  // Which WebAuthn check refused it, for operators (the user sees one generic message).
  core::log::Info("PasskeyRefused", {{"realm", realm.name},
                                     {"client_ip", ctx.client_ip},
                                     {"user_id", outcome.user_id},
                                     {"reason", outcome.failure.empty() ? "throttled"
                                                                        : outcome.failure}});
  if (outcome.failure != "sign_count_regression") return {};
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, realm.id, "WebAuthnSignCountRegression", "user",
                          outcome.user_id, {{"credential_id", outcome.credential_id}}));
  return CommitTx(*tx);
}

core::ServiceResult<PasskeyOptions> LoginService::WebAuthnOptions(const core::OpContext& ctx,
                                                                  const core::Realm& realm,
                                                                  const std::string& flow_id,
                                                                  const Browser& browser) {
  PasskeyOptions out;
  if (factors_.webauthn == nullptr) return out;
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) {
    out.refused = why;
    return out;
  }
  const factors::WebAuthnFactor& webauthn = *factors_.webauthn;
  if (loaded->flow.state == LoginFlowState::kStarted) {
    if (!realm.settings.passwordless_webauthn) return out;
    IDM_ASSIGN_OR_RETURN(out.json,
                         webauthn.BeginAuthentication(*tx, ctx, realm, std::nullopt, flow_id));
    IDM_TRY(CommitTx(*tx));
    return out;
  }
  if (loaded->flow.state != LoginFlowState::kMfaPending) return out;
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                       ActiveUser(*tx, realm.id, loaded->flow.user_id));
  if (!user) return out;
  if (!MethodAllowed(realm.settings, factors::kWebAuthnMethod)) return out;
  IDM_ASSIGN_OR_RETURN(MfaDecision decision, DecideMfa(*tx, realm, *loaded, *user, ctx.now));
  if (decision.need == MfaNeed::kEnroll) {
    IDM_ASSIGN_OR_RETURN(out.json, webauthn.BeginRegistration(*tx, ctx, realm, *user, flow_id));
  } else {
    IDM_ASSIGN_OR_RETURN(out.json, webauthn.BeginAuthentication(*tx, ctx, realm, user, flow_id));
  }
  IDM_TRY(CommitTx(*tx));
  return out;
}

core::ServiceResult<Step> LoginService::SubmitPasskeySecondFactor(
    const core::OpContext& ctx, const core::Realm& realm, const std::string& flow_id,
    const Browser& browser, const std::string& credential_json) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state != LoginFlowState::kMfaPending || factors_.webauthn == nullptr ||
      !MethodAllowed(realm.settings, factors::kWebAuthnMethod)) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                       ActiveUser(*tx, realm.id, loaded->flow.user_id));
  if (!user) return Step{};
  // A step-up finishes only in the session it upgrades (docs/design/020).
  IDM_ASSIGN_OR_RETURN(bool intact, StepUpSessionIntact(*tx, realm, *loaded, browser, ctx.now));
  if (!intact) return Step{};
  IDM_ASSIGN_OR_RETURN(bool throttled,
                       AttemptThrottled(*tx, realm, user->id, ctx.client_ip, ctx.now));
  factors::PasskeyOutcome outcome;
  if (!throttled) {
    IDM_ASSIGN_OR_RETURN(outcome,
                         factors_.webauthn->FinishAuthentication(*tx, UserContext(ctx, user->id),
                                                                 realm, user, flow_id,
                                                                 credential_json));
  }
  if (outcome.ok) {
    return SignedIn(*tx, ctx, realm, std::move(*loaded), *user, PasswordAndPasskeyAmr(outcome),
                    core::kAcrPhishingResistant, browser);
  }
  tx.reset();  // a refused passkey wrote nothing
  IDM_TRY(AuditPasskeyRefusal(UserContext(ctx, user->id), realm, outcome));
  Step step = PasskeyStep(StepKind::kShowMfa, loaded->flow, loaded->data, loaded->client,
                          user->username);
  return RecordPasswordFailure(ctx, realm, user, throttled, std::move(step),
                               "invalid_second_factor");
}

core::ServiceResult<Step> LoginService::SubmitPasskeyEnrollment(
    const core::OpContext& ctx, const core::Realm& realm, const std::string& flow_id,
    const Browser& browser, const std::string& name, const std::string& credential_json) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                       ActiveUser(*tx, realm.id, loaded->flow.user_id));
  if (!user) return Step{};
  IDM_ASSIGN_OR_RETURN(MfaDecision decision, DecideMfa(*tx, realm, *loaded, *user, ctx.now));
  if (loaded->flow.state != LoginFlowState::kMfaPending || decision.need != MfaNeed::kEnroll ||
      factors_.webauthn == nullptr || !MethodAllowed(realm.settings, factors::kWebAuthnMethod)) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  IDM_ASSIGN_OR_RETURN(bool throttled,
                       AttemptThrottled(*tx, realm, user->id, ctx.client_ip, ctx.now));
  factors::PasskeyOutcome outcome;
  if (!throttled) {
    IDM_ASSIGN_OR_RETURN(outcome, factors_.webauthn->FinishRegistration(
                                      *tx, UserContext(ctx, user->id), realm, *user, flow_id,
                                      name, credential_json));
  }
  if (outcome.ok) {
    return SignedIn(*tx, ctx, realm, std::move(*loaded), *user, PasswordAndPasskeyAmr(outcome),
                    core::kAcrPhishingResistant, browser);
  }
  // The enrolment page again (its TOTP part too): MfaPage reuses the pending TOTP credential.
  IDM_ASSIGN_OR_RETURN(Step step, MfaPage(*tx, ctx, realm, *loaded, *user, /*failed=*/true));
  return RecordPasswordFailure(ctx, realm, user, throttled, std::move(step),
                               "invalid_second_factor");
}

core::ServiceResult<Step> LoginService::SubmitPasskeyLogin(const core::OpContext& ctx,
                                                           const core::Realm& realm,
                                                           const std::string& flow_id,
                                                           const Browser& browser,
                                                           const std::string& credential_json) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state != LoginFlowState::kStarted || factors_.webauthn == nullptr ||
      !realm.settings.passwordless_webauthn) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  IDM_ASSIGN_OR_RETURN(bool throttled, AttemptThrottled(*tx, realm, "", ctx.client_ip, ctx.now));
  factors::PasskeyOutcome outcome;
  std::optional<core::User> user;
  if (!throttled) {
    IDM_ASSIGN_OR_RETURN(outcome, factors_.webauthn->FinishAuthentication(
                                      *tx, ctx, realm, std::nullopt, flow_id, credential_json));
  }
  if (!outcome.user_id.empty()) {
    IDM_ASSIGN_OR_RETURN(user, ActiveUser(*tx, realm.id, outcome.user_id));
    if (user && outcome.ok) {
      // The account's own counter (a locked account stays locked for passkeys too).
      IDM_ASSIGN_OR_RETURN(throttled,
                           AttemptThrottled(*tx, realm, user->id, ctx.client_ip, ctx.now));
    }
  }
  if (outcome.ok && user && !throttled) {
    // RFC 8176 §2: the passkey ("swk", "user") with user verification counts as two factors.
    std::vector<std::string> amr = outcome.amr;
    amr.push_back("mfa");
    return SignedIn(*tx, ctx, realm, std::move(*loaded), *user, std::move(amr),
                    core::kAcrPhishingResistant, browser);
  }
  tx.reset();
  IDM_TRY(AuditPasskeyRefusal(ctx, realm, outcome));
  Step step = PasskeyStep(StepKind::kShowLogin, loaded->flow, loaded->data, loaded->client, "");
  return RecordPasswordFailure(ctx, realm, user, throttled, std::move(step), "invalid_passkey");
}

}  // namespace idm::authn
