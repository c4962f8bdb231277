// LoginService: the calls on a stored flow (Show, SubmitPassword, SubmitConsent); see
// login_service.h. The password step verifies the hash outside any transaction, so the database
// writer is never held for the cost of Argon2 (as account::UserService does).
#include <utility>

#include "idm/authn/acr_levels.h"
#include "idm/authn/brute_force.h"
#include "idm/authn/login_service.h"
#include "idm/authn/login_support.h"
#include "idm/authn/password_factor.h"
#include "idm/core/log.h"
#include "idm/crypto/secret.h"
#include "idm/realm/service_support.h"

namespace idm::authn {

using core::LoginFlowState;
using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::WriteAuditEvent;

namespace {

Step PageStep(StepKind kind, core::LoginFlow flow, const FlowData& data, core::Client client) {
  Step step;
  step.kind = kind;
  step.flow = std::move(flow);
  step.request = data.request;
  step.client = std::move(client);
  return step;
}

}  // namespace

core::ServiceResult<std::optional<LoginService::Loaded>> LoginService::LoadFlow(
    store::Transaction& tx, const core::Realm& realm, const std::string& flow_id,
    const Browser& browser, StepKind* why, core::UnixMillis now) {
  *why = StepKind::kGone;
  auto flow = tx.login_flows().Get(realm.id, flow_id, now);
  if (!flow) {
    if (flow.error().code == store::ErrorCode::kNotFound) return std::optional<Loaded>();
    return FromStoreError(flow.error(), "login flow");
  }
  if (flow->state == LoginFlowState::kCompleted || flow->state == LoginFlowState::kFailed) {
    return std::optional<Loaded>();
  }
  if (!crypto::VerifySecret(browser.binding, flow->csrf_secret)) {
    *why = StepKind::kForeign;
    return std::optional<Loaded>();
  }
  auto data = FlowDataFromJson(flow->request_json);
  if (!data) {
    realm::LogServiceFailure("login flow " + flow->id, data.error());
    return core::ServiceError{core::ServiceErrorCode::kInternal, "corrupt login flow", {}};
  }
  auto client = tx.clients().Get(realm.id, flow->client_id);
  if (!client) {
    if (client.error().code == store::ErrorCode::kNotFound) return std::optional<Loaded>();
    return FromStoreError(client.error(), "client");
  }
  if (!client->enabled) return std::optional<Loaded>();
  return std::optional<Loaded>(Loaded{std::move(*flow), std::move(*data), std::move(*client)});
}

core::ServiceResult<Step> LoginService::Show(const core::OpContext& ctx, const core::Realm& realm,
                                             const std::string& flow_id, const Browser& browser) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state == LoginFlowState::kStarted) {
    Step step = PageStep(StepKind::kShowLogin, loaded->flow, loaded->data, loaded->client);
    step.username = loaded->data.request.login_hint;
    return step;
  }
  if (loaded->flow.state == LoginFlowState::kMfaPending) {
    IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                         ActiveUser(*tx, realm.id, loaded->flow.user_id));
    if (!user) return Step{};
    tx.reset();  // the enrolment page may have to store a new credential
    IDM_ASSIGN_OR_RETURN(auto wtx, BeginTx(store_, store::TxMode::kReadWrite));
    return MfaPage(*wtx, ctx, realm, *loaded, *user, /*failed=*/false);
  }
  if (loaded->flow.state == LoginFlowState::kAuthenticated) {
    // Waiting behind the recovery-codes page: the codes were shown once and are not again.
    IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                         ActiveUser(*tx, realm.id, loaded->flow.user_id));
    if (!user) return Step{};
    Step step = PageStep(StepKind::kShowRecoveryCodes, loaded->flow, loaded->data, loaded->client);
    step.username = user->username;
    return step;
  }
  if (loaded->flow.state == LoginFlowState::kConsentPending) {
    IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                         ActiveUser(*tx, realm.id, loaded->flow.user_id));
    if (!user) return Step{};
    Step step = PageStep(StepKind::kShowConsent, loaded->flow, loaded->data, loaded->client);
    step.username = user->username;
    return step;
  }
  return Step{};  // transient states are never left stored
}

core::ServiceResult<Step> LoginService::SubmitPassword(
    const core::OpContext& ctx, const core::Realm& realm, const std::string& flow_id,
    const Browser& browser, const std::string& username, const std::string& password) {
  std::optional<Loaded> loaded;
  PasswordAttempt attempt;
  {
    IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
    StepKind why;
    IDM_ASSIGN_OR_RETURN(loaded, LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
    if (!loaded) return Step{why};
    if (loaded->flow.state != LoginFlowState::kStarted) {
      tx.reset();
      return Show(ctx, realm, flow_id, browser);
    }
    IDM_ASSIGN_OR_RETURN(attempt,
                         LoadPasswordAttempt(*tx, realm, username, ctx.client_ip, ctx.now));
  }  // the hash runs outside any transaction
  if (!VerifyPasswordAttempt(hasher_, decoy_hash_, attempt, password)) {
    Step step = PageStep(StepKind::kShowLogin, loaded->flow, loaded->data, loaded->client);
    step.username = username;
    step.login_failed = true;
    return RecordPasswordFailure(ctx, realm, attempt.user, attempt.throttled, std::move(step));
  }
  return PasswordAccepted(ctx, realm, std::move(*loaded), *attempt.user, browser);
}

core::ServiceResult<Step> LoginService::PasswordAccepted(const core::OpContext& ctx,
                                                         const core::Realm& realm, Loaded loaded,
                                                         const core::User& user,
                                                         const Browser& browser) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(MfaDecision decision,
                       DecideMfa(*tx, realm, loaded.client, loaded.data.request, user, kRankPwd,
                                 /*fresh_login=*/true, ctx.now));
  if (decision.need == MfaNeed::kUnmet) {
    return Unmet(*tx, ctx, realm, &loaded, loaded.data.request, loaded.client, user.id);
  }
  if (decision.need != MfaNeed::kNone) return MfaPending(*tx, ctx, realm, std::move(loaded), user);
  // RFC 8176 §2 "pwd"; the level "pwd" (acr_levels.h).
  return SignedIn(*tx, ctx, realm, std::move(loaded), user, {"pwd"}, core::kAcrPwd, browser);
}

// The user is authenticated with `amr`: the user's failure counter is reset (only now, so a
// correct password cannot clear the failures of the second factor), the SSO session is signed
// in, LoginSucceeded is written, and the flow goes on to consent or the code.
core::ServiceResult<Step> LoginService::SignedIn(store::Transaction& tx,
                                                 const core::OpContext& ctx,
                                                 const core::Realm& realm, Loaded loaded,
                                                 const core::User& user,
                                                 std::vector<std::string> amr,
                                                 const std::string& acr, const Browser& browser,
                                                 std::vector<std::string> recovery_codes) {
  if (auto reset = tx.login_failures().Reset(realm.id, UserFailureKey(user.id)); !reset) {
    return FromStoreError(reset.error(), "login failures");
  }
  session::Authentication auth{user.id, ctx.now, acr, std::move(amr)};
  // Another user's session in this browser ends as a logout ends it (docs/design/016).
  std::optional<EndedSession> replaced;
  session::EndReplacedSession end_replaced =
      [&](store::Transaction& t, const core::SsoSession& old) -> core::ServiceStatus {
    IDM_ASSIGN_OR_RETURN(replaced,
                         EndSessionIn(t, random_, ctx, realm, old, loaded.client.client_id,
                                      kEndedBySignInOfAnotherUser));
    return {};
  };
  IDM_ASSIGN_OR_RETURN(session::SignedIn signed_in,
                       sessions_.SignIn(tx, realm, browser.session_cookie, auth, loaded.client.id,
                                        ctx.now, end_replaced));
  const core::SsoSession& session = signed_in.session;
  IDM_TRY(WriteAuditEvent(tx, UserContext(ctx, user.id), random_, realm.id, "LoginSucceeded",
                          "user", user.id,
                          {{"username", user.username},
                           {"client_id", loaded.client.client_id},
                           {"session_id", session.id},
                           {"amr", auth.amr}}));
  loaded.data.session_id = session.id;
  loaded.flow.user_id = user.id;
  loaded.flow.amr = auth.amr;
  loaded.flow.state = LoginFlowState::kAuthenticated;
  Step step;
  if (!recovery_codes.empty()) {
    // The new recovery codes are shown once; the flow waits in authenticated until the user
    // confirms having saved them (ContinueAfterRecoveryCodes).
    loaded.flow.request_json = FlowDataToJson(loaded.data);
    loaded.flow.updated_at = ctx.now;
    auto updated = tx.login_flows().Update(loaded.flow);
    if (!updated) return GoneOr(updated.error());
    IDM_TRY(CommitTx(tx));
    step = PageStep(StepKind::kShowRecoveryCodes, std::move(*updated), loaded.data, loaded.client);
    step.username = user.username;
    step.recovery_codes = std::move(recovery_codes);
  } else {
    IDM_ASSIGN_OR_RETURN(step, Authenticated(tx, ctx, realm, loaded.client, user, session,
                                             loaded.data, loaded.flow, browser));
  }
  if (step.kind != StepKind::kGone && signed_in.cookie_value) {
    step.session_cookie = std::move(signed_in.cookie_value);
    step.session_expires_at = session.absolute_expires_at;
    step.ended_session = std::move(replaced);
  }
  return step;
}

core::ServiceResult<Step> LoginService::RecordPasswordFailure(const core::OpContext& ctx,
                                                              const core::Realm& realm,
                                                              const std::optional<core::User>& user,
                                                              bool throttled, Step step,
                                                              const char* reason) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  bool locked = false;
  if (!throttled) {  // refused attempts are not counted (brute_force.h)
    auto ip = tx->login_failures().RecordFailure(realm.id, AddressFailureKey(ctx.client_ip),
                                                 ctx.now, AddressLockoutPolicy(realm.settings));
    if (!ip) return FromStoreError(ip.error(), "login failures");
    if (user) {
      auto uc = tx->login_failures().RecordFailure(realm.id, UserFailureKey(user->id), ctx.now,
                                                   UserLockoutPolicy(realm.settings));
      if (!uc) return FromStoreError(uc.error(), "login failures");
      locked = IsLocked(*uc, ctx.now);
    }
  }
  const std::string user_id = user ? user->id : "";
  core::Json details = {{"client_id", step.client.client_id},
                        {"reason", throttled ? "throttled" : reason}};
  if (user) details["username"] = user->username;
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, realm.id, "LoginFailed", "user", user_id, details));
  if (locked) {
    IDM_TRY(WriteAuditEvent(
        *tx, ctx, random_, realm.id, "UserLockedOut", "user", user_id,
        {{"username", user->username}, {"lockout_s", realm.settings.brute_force_lockout_s}}));
  }
  IDM_TRY(CommitTx(*tx));
  // The fixed security log line (CONVENTIONS.md §18) that tools such as fail2ban match on.
  core::log::Warn(locked ? "UserLockedOut" : "LoginFailed",
                  {{"event", locked ? "UserLockedOut" : "LoginFailed"},
                   {"realm", realm.name},
                   {"client_ip", ctx.client_ip},
                   {"user_id", user_id},
                   {"reason", throttled ? "throttled" : reason}});
  return step;
}

core::ServiceResult<Step> LoginService::SubmitConsent(const core::OpContext& ctx,
                                                      const core::Realm& realm,
                                                      const std::string& flow_id,
                                                      const Browser& browser, bool approve) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state != LoginFlowState::kConsentPending) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                       ActiveUser(*tx, realm.id, loaded->flow.user_id));
  auto session = tx->sessions().Get(realm.id, loaded->data.session_id);
  if (!session && session.error().code != store::ErrorCode::kNotFound) {
    return FromStoreError(session.error(), "session");
  }
  // The user was disabled or signed out while the consent page was open.
  if (!user || !session || !session::IsUsable(*session, realm.id, ctx.now)) return Step{};
  core::OpContext uctx = UserContext(ctx, user->id);
  if (!approve) return DenyConsent(*tx, uctx, realm, std::move(*loaded));
  const AuthRequest& r = loaded->data.request;
  IDM_ASSIGN_OR_RETURN(std::optional<core::Consent> existing,
                       StoredConsent(*tx, realm.id, user->id, loaded->client.id));
  core::Consent consent;
  consent.realm_id = realm.id;
  consent.user_id = user->id;
  consent.client_id = loaded->client.id;
  consent.scopes = MergeScopes(existing ? existing->scopes : std::vector<std::string>{}, r.scope);
  consent.created_at = ctx.now;
  consent.updated_at = ctx.now;
  if (auto up = tx->consents().Upsert(consent); !up) return FromStoreError(up.error(), "consent");
  IDM_TRY(WriteAuditEvent(*tx, uctx, random_, realm.id, "ConsentGranted", "user", user->id,
                          {{"client_id", loaded->client.client_id}, {"scopes", consent.scopes}}));
  return Complete(*tx, ctx, realm,
                  Issue{loaded->client, *user, *session, loaded->data, loaded->flow});
}

core::ServiceResult<Step> LoginService::DenyConsent(store::Transaction& tx,
                                                    const core::OpContext& ctx,
                                                    const core::Realm& realm, Loaded loaded) {
  loaded.flow.state = LoginFlowState::kFailed;
  loaded.flow.updated_at = ctx.now;
  auto updated = tx.login_flows().Update(loaded.flow);
  if (!updated) return GoneOr(updated.error());
  const AuthRequest& r = loaded.data.request;
  IDM_TRY(WriteAuditEvent(tx, ctx, random_, realm.id, "ConsentDenied", "user", loaded.flow.user_id,
                          {{"client_id", loaded.client.client_id}, {"scope", r.scope}}));
  IDM_TRY(CommitTx(tx));
  // RFC 6749 §4.1.2.1 access_denied: "The resource owner ... denied the request."
  return ErrorStep(r, loaded.client, "access_denied", "the user denied the request");
}

}  // namespace idm::authn
