// LoginService: the second-factor steps of a stored flow (mfa_pending); see login_service.h and
// docs/design/017-mfa-methods-and-flow.md. A code is verified and, on success, the user signed in
// in one write transaction, so the factor's single-use mark (the TOTP step, the recovery code) and
// the session are committed together or not at all.
#include <algorithm>
#include <utility>

#include "idm/authn/acr_levels.h"
#include "idm/authn/login_service.h"
#include "idm/authn/login_support.h"
#include "idm/authn/password_factor.h"
#include "idm/realm/service_support.h"

namespace idm::authn {

using core::LoginFlowState;
using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::WriteAuditEvent;

namespace {

Step MfaStep(StepKind kind, const core::LoginFlow& flow, const FlowData& data,
             const core::Client& client, const core::User& user) {
  Step step;
  step.kind = kind;
  step.flow = flow;
  step.request = data.request;
  step.client = client;
  step.username = user.username;
  return step;
}

// Whether the page offers method `id` (one of the methods DecideMfa found usable).
bool Offers(const std::vector<std::string>& methods, std::string_view id) {
  return std::find(methods.begin(), methods.end(), id) != methods.end();
}

}  // namespace

// The password was right and a second factor is due: the flow moves to mfa_pending with the
// user and amr ["pwd"]; no session exists yet and the user's failure counter is left as it is.
core::ServiceResult<Step> LoginService::MfaPending(store::Transaction& tx,
                                                   const core::OpContext& ctx,
                                                   const core::Realm& realm, Loaded loaded,
                                                   const core::User& user) {
  loaded.flow.state = LoginFlowState::kMfaPending;
  loaded.flow.user_id = user.id;
  loaded.flow.amr = {"pwd"};
  loaded.flow.updated_at = ctx.now;
  auto updated = tx.login_flows().Update(loaded.flow);
  if (!updated) return GoneOr(updated.error());
  loaded.flow = std::move(*updated);
  return MfaPage(tx, ctx, realm, loaded, user, /*failed=*/false);
}

// The page of an mfa_pending flow: the code form when the user has a confirmed factor (or the
// policy does not force enrolment), else the enrolment page with a pending credential (created
// here when there is none). Commits tx.
core::ServiceResult<Step> LoginService::MfaPage(store::Transaction& tx, const core::OpContext& ctx,
                                                const core::Realm& realm, const Loaded& loaded,
                                                const core::User& user, bool failed) {
  IDM_ASSIGN_OR_RETURN(MfaDecision decision, DecideMfa(tx, realm, loaded, user, ctx.now));
  if (decision.need == MfaNeed::kUnmet) {
    return Unmet(tx, ctx, realm, &loaded, loaded.data.request, loaded.client, user.id);
  }
  if (decision.need != MfaNeed::kEnroll) {
    Step step = MfaStep(StepKind::kShowMfa, loaded.flow, loaded.data, loaded.client, user);
    step.login_failed = failed;
    step.offer_passkey = Offers(decision.methods, factors::kWebAuthnMethod);
    if (Offers(decision.methods, factors::kEmailCodeMethod)) {
      IDM_TRY(FillEmailStatus(tx, realm, user, ctx.now, step));
    }
    step.totp_available = Offers(decision.methods, factors_.totp.Id());
    step.mfa_methods = std::move(decision.methods);
    IDM_TRY(CommitTx(tx));
    return step;
  }
  IDM_ASSIGN_OR_RETURN(std::optional<factors::TotpEnrollment> pending,
                       PendingOtpEnrollment(tx, ctx, realm, user, /*create=*/true));
  IDM_TRY(CommitTx(tx));
  Step step = MfaStep(StepKind::kShowMfaEnroll, loaded.flow, loaded.data, loaded.client, user);
  step.enrollment = std::move(pending);
  step.otp_enroll_methods = OtpEnrollMethods(realm);
  step.can_skip_enrollment = decision.can_skip;
  step.login_failed = failed;
  step.offer_passkey = factors_.webauthn != nullptr;
  return step;
}

core::ServiceResult<Step> LoginService::SubmitSecondFactor(
    const core::OpContext& ctx, const core::Realm& realm, const std::string& flow_id,
    const Browser& browser, const std::string& method, const std::string& code) {
  if (method == factors::kWebAuthnMethod) {
    return SubmitPasskeySecondFactor(ctx, realm, flow_id, browser, code);
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state != LoginFlowState::kMfaPending) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                       ActiveUser(*tx, realm.id, loaded->flow.user_id));
  if (!user) return Step{};
  IDM_ASSIGN_OR_RETURN(bool intact, StepUpSessionIntact(*tx, realm, *loaded, browser, ctx.now));
  if (!intact) return Step{};
  IDM_ASSIGN_OR_RETURN(MfaDecision decision, DecideMfa(*tx, realm, *loaded, *user, ctx.now));
  // A method the realm does not allow (mfa_methods) is refused like a wrong code.
  const factors::SecondFactor* factor = FactorById(realm, method);
  IDM_ASSIGN_OR_RETURN(bool throttled,
                       AttemptThrottled(*tx, realm, user->id, ctx.client_ip, ctx.now));
  bool ok = false;
  if (!throttled && factor) {
    IDM_ASSIGN_OR_RETURN(ok, factor->Verify(*tx, UserContext(ctx, user->id), realm, *user, code));
  }
  if (ok) {
    std::vector<std::string> amr = MfaAmr(*factor);
    const std::string acr = AcrForAmr(amr);
    if (AcrRank(acr) < decision.required) {  // e.g. a TOTP code where a passkey is required
      return Unmet(*tx, ctx, realm, &*loaded, loaded->data.request, loaded->client, user->id);
    }
    const std::vector<std::string> locales = loaded->data.request.ui_locales;
    IDM_ASSIGN_OR_RETURN(Step done, SignedIn(*tx, ctx, realm, std::move(*loaded), *user,
                                             std::move(amr), acr, browser));
    tx.reset();
    // Issue 4: using a recovery code is a notification, sent after the commit (docs/design/019).
    if (factor == &factors_.recovery_codes) NotifyRecoveryCodeUsed(ctx, realm, *user, locales);
    return done;
  }
  Step step = MfaStep(StepKind::kShowMfa, loaded->flow, loaded->data, loaded->client, *user);
  step.login_failed = true;
  step.offer_passkey = Offers(decision.methods, factors::kWebAuthnMethod);
  if (Offers(decision.methods, factors::kEmailCodeMethod)) {
    IDM_TRY(FillEmailStatus(*tx, realm, *user, ctx.now, step));
  }
  step.totp_available = Offers(decision.methods, factors_.totp.Id());
  step.mfa_methods = std::move(decision.methods);
  // A rejected code wrote nothing but an email code's counted try (EmailCodeRepo::Use), which
  // must stay, so the transaction commits (and is released before the next one begins).
  IDM_TRY(CommitTx(*tx));
  tx.reset();
  return RecordPasswordFailure(ctx, realm, user, throttled, std::move(step),
                               "invalid_second_factor");
}

core::ServiceResult<Step> LoginService::SubmitEnrollment(const core::OpContext& ctx,
                                                         const core::Realm& realm,
                                                         const std::string& flow_id,
                                                         const Browser& browser,
                                                         const std::string& code, bool skip) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                       ActiveUser(*tx, realm.id, loaded->flow.user_id));
  if (!user) return Step{};
  IDM_ASSIGN_OR_RETURN(bool intact, StepUpSessionIntact(*tx, realm, *loaded, browser, ctx.now));
  if (!intact) return Step{};
  IDM_ASSIGN_OR_RETURN(MfaDecision decision, DecideMfa(*tx, realm, *loaded, *user, ctx.now));
  if (loaded->flow.state != LoginFlowState::kMfaPending || decision.need != MfaNeed::kEnroll) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  const core::OpContext uctx = UserContext(ctx, user->id);
  if (skip && decision.can_skip) {
    IDM_TRY(WriteAuditEvent(*tx, uctx, random_, realm.id, "MfaEnrollmentSkipped", "user",
                            user->id, {{"username", user->username}}));
    return SignedIn(*tx, ctx, realm, std::move(*loaded), *user, {"pwd"}, core::kAcrPwd, browser);
  }
  if (skip) return MfaPage(*tx, ctx, realm, *loaded, *user, /*failed=*/false);
  IDM_ASSIGN_OR_RETURN(std::optional<factors::TotpEnrollment> pending,
                       PendingOtpEnrollment(*tx, ctx, realm, *user, /*create=*/false));
  if (!pending) return MfaPage(*tx, ctx, realm, *loaded, *user, /*failed=*/false);
  IDM_ASSIGN_OR_RETURN(bool throttled,
                       AttemptThrottled(*tx, realm, user->id, ctx.client_ip, ctx.now));
  bool ok = false;
  if (!throttled) {
    IDM_ASSIGN_OR_RETURN(ok, ConfirmOtpEnrollment(*tx, uctx, realm, *user, *pending, code));
  }
  if (ok) {
    // The first authenticator comes with ten recovery codes, shown once on the next page.
    std::vector<std::string> codes;
    IDM_ASSIGN_OR_RETURN(bool had_codes, factors_.recovery_codes.Has(*tx, realm.id, user->id));
    if (!had_codes && MethodAllowed(realm.settings, factors_.recovery_codes.Id())) {
      IDM_ASSIGN_OR_RETURN(codes, factors_.recovery_codes.Generate(*tx, uctx, realm, *user));
    }
    std::vector<std::string> amr = MfaAmr(OtpFactor(pending->method));
    const std::string acr = AcrForAmr(amr);
    return SignedIn(*tx, ctx, realm, std::move(*loaded), *user, std::move(amr), acr, browser,
                    std::move(codes));
  }
  tx.reset();
  Step step = MfaStep(StepKind::kShowMfaEnroll, loaded->flow, loaded->data, loaded->client, *user);
  step.enrollment = std::move(pending);
  step.otp_enroll_methods = OtpEnrollMethods(realm);
  step.can_skip_enrollment = decision.can_skip;
  step.login_failed = true;
  return RecordPasswordFailure(ctx, realm, user, throttled, std::move(step),
                               "invalid_second_factor");
}

}  // namespace idm::authn

namespace idm::authn {

core::ServiceResult<Step> LoginService::ContinueAfterRecoveryCodes(const core::OpContext& ctx,
                                                                   const core::Realm& realm,
                                                                   const std::string& flow_id,
                                                                   const Browser& browser) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state != LoginFlowState::kAuthenticated) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                       ActiveUser(*tx, realm.id, loaded->flow.user_id));
  IDM_ASSIGN_OR_RETURN(std::optional<core::SsoSession> session,
                       sessions_.Find(*tx, realm, browser.session_cookie, ctx.now));
  // The user was disabled or signed out meanwhile, or this browser holds another session.
  if (!user || !session || session->id != loaded->data.session_id) return Step{};
  return Authenticated(*tx, ctx, realm, loaded->client, *user, *session, loaded->data,
                       loaded->flow, browser);
}

}  // namespace idm::authn
