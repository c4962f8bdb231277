// LoginService: the second-factor steps of a stored flow (mfa_pending); see login_service.h and
// docs/design/017-mfa-methods-and-flow.md. A code is verified and, on success, the user signed in
// in one write transaction, so the factor's single-use mark (the TOTP step, the recovery code) and
// the session are committed together or not at all.
#include <utility>

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

// RFC 8176 §2: the password, the factor's own values, and "mfa" (more than one factor).
std::vector<std::string> MfaAmr(const factors::SecondFactor& factor) {
  std::vector<std::string> amr = {"pwd"};
  for (std::string& v : factor.Amr()) amr.push_back(std::move(v));
  amr.push_back("mfa");
  return amr;
}

bool WithinEnrollmentGrace(const core::Realm& realm, const core::User& user,
                           core::UnixMillis now) {
  return realm.settings.mfa_enrollment_grace_s > 0 &&
         now < user.created_at + realm.settings.mfa_enrollment_grace_s * 1000;
}

}  // namespace

core::ServiceResult<LoginService::MfaNeed> LoginService::NeedsSecondFactor(
    store::Transaction& tx, const core::Realm& realm, const core::User& user) const {
  const std::string& policy = realm.settings.mfa_policy;
  if (policy == "off") return MfaNeed::kNone;
  IDM_ASSIGN_OR_RETURN(bool has, factors_.totp.Has(tx, realm.id, user.id));
  if (has) return MfaNeed::kVerify;
  if (factors_.email != nullptr) {  // a verified address where the realm enables email codes
    IDM_ASSIGN_OR_RETURN(bool by_email, factors_.email->Has(tx, realm.id, user.id));
    if (by_email) return MfaNeed::kVerify;
  }
  return policy == "required" ? MfaNeed::kEnroll : MfaNeed::kNone;
}

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
  IDM_ASSIGN_OR_RETURN(MfaNeed need, NeedsSecondFactor(tx, realm, user));
  if (need != MfaNeed::kEnroll) {
    Step step = MfaStep(StepKind::kShowMfa, loaded.flow, loaded.data, loaded.client, user);
    step.login_failed = failed;
    IDM_TRY(FillEmailStatus(tx, realm, user, ctx.now, step));
    IDM_TRY(CommitTx(tx));
    return step;
  }
  IDM_ASSIGN_OR_RETURN(std::optional<factors::TotpEnrollment> pending,
                       factors_.totp.PendingEnrollment(tx, realm, user));
  if (!pending) {
    IDM_ASSIGN_OR_RETURN(pending, factors_.totp.StartEnrollment(tx, UserContext(ctx, user.id),
                                                                realm, user, "authenticator"));
  }
  IDM_TRY(CommitTx(tx));
  Step step = MfaStep(StepKind::kShowMfaEnroll, loaded.flow, loaded.data, loaded.client, user);
  step.enrollment = std::move(pending);
  step.can_skip_enrollment = WithinEnrollmentGrace(realm, user, ctx.now);
  step.login_failed = failed;
  return step;
}

core::ServiceResult<Step> LoginService::SubmitSecondFactor(
    const core::OpContext& ctx, const core::Realm& realm, const std::string& flow_id,
    const Browser& browser, const std::string& method, const std::string& code) {
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
  const factors::SecondFactor& factor =
      method == factors_.recovery_codes.Id()
          ? static_cast<const factors::SecondFactor&>(factors_.recovery_codes)
      : factors_.email != nullptr && method == factors_.email->Id()
          ? static_cast<const factors::SecondFactor&>(*factors_.email)
          : static_cast<const factors::SecondFactor&>(factors_.totp);
  IDM_ASSIGN_OR_RETURN(bool throttled,
                       AttemptThrottled(*tx, realm, user->id, ctx.client_ip, ctx.now));
  bool ok = false;
  if (!throttled) {
    IDM_ASSIGN_OR_RETURN(ok, factor.Verify(*tx, UserContext(ctx, user->id), realm, *user, code));
  }
  if (ok) {
    const std::vector<std::string> locales = loaded->data.request.ui_locales;
    IDM_ASSIGN_OR_RETURN(Step done, SignedIn(*tx, ctx, realm, std::move(*loaded), *user,
                                             MfaAmr(factor), kAcrMfa, browser));
    tx.reset();
    // Issue 4: using a recovery code is a notification, sent after the commit (docs/design/019).
    if (&factor == &factors_.recovery_codes) NotifyRecoveryCodeUsed(ctx, realm, *user, locales);
    return done;
  }
  Step step = MfaStep(StepKind::kShowMfa, loaded->flow, loaded->data, loaded->client, *user);
  step.login_failed = true;
  IDM_TRY(FillEmailStatus(*tx, realm, *user, ctx.now, step));
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
  IDM_ASSIGN_OR_RETURN(MfaNeed need, NeedsSecondFactor(*tx, realm, *user));
  if (loaded->flow.state != LoginFlowState::kMfaPending || need != MfaNeed::kEnroll) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  const core::OpContext uctx = UserContext(ctx, user->id);
  if (skip && WithinEnrollmentGrace(realm, *user, ctx.now)) {
    IDM_TRY(WriteAuditEvent(*tx, uctx, random_, realm.id, "MfaEnrollmentSkipped", "user",
                            user->id, {{"username", user->username}}));
    return SignedIn(*tx, ctx, realm, std::move(*loaded), *user, {"pwd"}, "", browser);
  }
  if (skip) return MfaPage(*tx, ctx, realm, *loaded, *user, /*failed=*/false);
  IDM_ASSIGN_OR_RETURN(std::optional<factors::TotpEnrollment> pending,
                       factors_.totp.PendingEnrollment(*tx, realm, *user));
  if (!pending) return MfaPage(*tx, ctx, realm, *loaded, *user, /*failed=*/false);
  IDM_ASSIGN_OR_RETURN(bool throttled,
                       AttemptThrottled(*tx, realm, user->id, ctx.client_ip, ctx.now));
  bool ok = false;
  if (!throttled) {
    IDM_ASSIGN_OR_RETURN(ok, factors_.totp.ConfirmEnrollment(*tx, uctx, realm, *user,
                                                             pending->credential_id, code));
  }
  if (ok) {
    return SignedIn(*tx, ctx, realm, std::move(*loaded), *user, MfaAmr(factors_.totp), kAcrMfa,
                    browser);
  }
  tx.reset();
  Step step = MfaStep(StepKind::kShowMfaEnroll, loaded->flow, loaded->data, loaded->client, *user);
  step.enrollment = std::move(pending);
  step.can_skip_enrollment = WithinEnrollmentGrace(realm, *user, ctx.now);
  step.login_failed = true;
  return RecordPasswordFailure(ctx, realm, user, throttled, std::move(step),
                               "invalid_second_factor");
}

}  // namespace idm::authn
