// LoginService: which authentication level a login needs and whether a session or a flow has
// reached it (docs/design/020-step-up-and-mfa-policy.md). The level needed is the highest of
//   - the realm policy: mfa_policy "required" -> "mfa" (unless the user has no factor yet and the
//     account is within mfa_enrollment_grace_s);
//   - the client: require_mfa -> "mfa", require_phishing_resistant -> "phishing-resistant";
//   - the user's effective roles (rbac::EffectiveRoles): one with require_mfa -> "mfa";
//   - the request's essential acr (OIDC Core §5.5.1.1);
// and, best effort, the request's acr_values (OIDC Core §3.1.2.1; voluntary: as far as the
// user's factors reach). It is computed at every authorization request, so a session signed in
// before a policy was tightened steps up at its next request.
#include <algorithm>
#include <utility>

#include "idm/authn/acr_levels.h"
#include "idm/authn/login_service.h"
#include "idm/authn/login_support.h"
#include "idm/rbac/effective_roles.h"
#include "idm/realm/service_support.h"

namespace idm::authn {

using core::LoginFlowState;
using realm::CommitTx;
using realm::FromStoreError;
using realm::WriteAuditEvent;

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

bool MethodAllowed(const core::RealmSettings& settings, std::string_view id) {
  if (settings.mfa_policy == "off") return false;
  if (settings.mfa_methods.empty()) return true;
  return std::find(settings.mfa_methods.begin(), settings.mfa_methods.end(), id) !=
         settings.mfa_methods.end();
}

const factors::SecondFactor* LoginService::FactorById(const core::Realm& realm,
                                                      std::string_view id) const {
  for (const factors::SecondFactor* f : factors_.All()) {
    if (f->Id() == id && MethodAllowed(realm.settings, id)) return f;
  }
  return nullptr;
}

core::ServiceResult<LoginService::MfaDecision> LoginService::DecideMfa(
    store::Transaction& tx, const core::Realm& realm, const Loaded& loaded,
    const core::User& user, core::UnixMillis now) const {
  // A fresh login has no session yet; a step-up flow carries the session it upgrades.
  const bool fresh = loaded.data.session_id.empty();
  const int so_far = loaded.flow.amr.empty() ? 0 : AcrRank(AcrForAmr(loaded.flow.amr));
  return DecideMfa(tx, realm, loaded.client, loaded.data.request, user, so_far, fresh, now);
}

core::ServiceResult<LoginService::MfaDecision> LoginService::DecideMfa(
    store::Transaction& tx, const core::Realm& realm, const core::Client& client,
    const AuthRequest& request, const core::User& user, int rank_so_far, bool fresh_login,
    core::UnixMillis now) const {
  MfaDecision d;
  const AcrRequest asked = ReadAcrRequest(request, realm.settings.acr_levels);
  if (asked.essential_unknown) return MfaDecision{MfaNeed::kUnmet, false, 0, {}};
  IDM_ASSIGN_OR_RETURN(rbac::EffectiveRoleSet roles, rbac::EffectiveRoles(tx, realm.id, user.id));
  d.required = asked.essential;
  if (client.require_mfa || roles.require_mfa) d.required = std::max(d.required, kRankMfa);
  if (client.require_phishing_resistant) d.required = kRankPhishingResistant;
  // The best level the user's allowed factors reach (0 = none); recovery codes only back up
  // another factor and never count here.
  int best = 0;
  for (const factors::SecondFactor* f : factors_.All()) {
    if (!MethodAllowed(realm.settings, f->Id())) continue;
    IDM_ASSIGN_OR_RETURN(bool has, f->Has(tx, realm.id, user.id));
    if (!has) continue;
    d.methods.emplace_back(f->Id());
    if (f != &factors_.recovery_codes) best = std::max(best, AcrRank(AcrForAmr(MfaAmr(*f))));
  }
  const bool realm_required = realm.settings.mfa_policy == "required";
  const bool grace = realm_required && best == 0 && WithinEnrollmentGrace(realm, user, now);
  if (realm_required && !grace) d.required = std::max(d.required, kRankMfa);
  // acr_values is voluntary: as far as the user's factors reach. A fresh login of a user with
  // a factor asks for it whenever MFA is on (docs/design/017).
  int target = std::max(d.required, std::min(asked.voluntary, best));
  if (fresh_login && best > 0) target = std::max(target, kRankMfa);
  if (std::max(rank_so_far, kRankPwd) >= target) {
    d.need = grace && fresh_login ? MfaNeed::kEnroll : MfaNeed::kNone;
    d.can_skip = d.need == MfaNeed::kEnroll;
    return d;
  }
  if (best >= target) {
    d.need = MfaNeed::kVerify;
    return d;
  }
  // Only an enrolment can still reach the level: TOTP or HOTP enrolment here reaches "mfa", no
  // more.
  const bool can_enrol = !OtpEnrollMethods(realm).empty();
  d.need = target <= kRankMfa && can_enrol ? MfaNeed::kEnroll : MfaNeed::kUnmet;
  return d;
}

// An SSO session that is below the level the request needs: a flow in mfa_pending for the
// session's user, which asks only for what is missing (the second factor) and then upgrades the
// same session in place (SessionService::SignIn re-authenticates it; docs/design/020).
core::ServiceResult<Step> LoginService::StepUp(store::Transaction& tx, const core::OpContext& ctx,
                                               const core::Realm& realm,
                                               const core::Client& client,
                                               const core::User& user,
                                               const core::SsoSession& session,
                                               const FlowData& data, const Browser& browser) {
  FlowData up = data;
  up.session_id = session.id;
  std::optional<std::string> binding;
  const std::vector<std::string> amr =
      session.amr.empty() ? std::vector<std::string>{"pwd"} : session.amr;
  IDM_ASSIGN_OR_RETURN(core::LoginFlow flow,
                       CreateFlow(tx, ctx, realm, client, up, LoginFlowState::kMfaPending,
                                  user.id, amr, browser, &binding));
  Loaded loaded{std::move(flow), up, client};
  // One transaction: the flow and (for enrolment) the pending credential commit together.
  IDM_ASSIGN_OR_RETURN(Step step, MfaPage(tx, ctx, realm, loaded, user, /*failed=*/false));
  step.binding = std::move(binding);
  return step;
}

// A step-up flow may finish only in the session it upgrades, still usable and still in this
// browser: otherwise a second factor alone would sign in (the password was proven in that
// session, not in this flow).
core::ServiceResult<bool> LoginService::StepUpSessionIntact(store::Transaction& tx,
                                                            const core::Realm& realm,
                                                            const Loaded& loaded,
                                                            const Browser& browser,
                                                            core::UnixMillis now) const {
  if (loaded.data.session_id.empty()) return true;  // a fresh login
  IDM_ASSIGN_OR_RETURN(std::optional<core::SsoSession> session,
                       sessions_.Find(tx, realm, browser.session_cookie, now));
  return session && session->id == loaded.data.session_id &&
         session->user_id == loaded.flow.user_id;
}

// OIDC Core §5.5.1.1 / "OpenID Connect Core Error Code unmet_authentication_requirements 1.0":
// the level cannot be reached, so the client gets the error rather than a weaker token. A stored
// flow ends as failed; the attempt is recorded as LoginFailed.
core::ServiceResult<Step> LoginService::Unmet(store::Transaction& tx, const core::OpContext& ctx,
                                              const core::Realm& realm, const Loaded* loaded,
                                              const AuthRequest& request,
                                              const core::Client& client,
                                              const std::string& user_id) {
  if (loaded) {
    core::LoginFlow done = loaded->flow;
    done.state = LoginFlowState::kFailed;
    done.updated_at = ctx.now;
    auto updated = tx.login_flows().Update(done);
    if (!updated) return GoneOr(updated.error());
  }
  IDM_TRY(WriteAuditEvent(tx, UserContext(ctx, user_id), random_, realm.id, "LoginFailed", "user",
                          user_id,
                          {{"client_id", client.client_id},
                           {"reason", "unmet_authentication_requirements"}}));
  IDM_TRY(CommitTx(tx));
  return ErrorStep(request, client, "unmet_authentication_requirements",
                   "the requested authentication level cannot be met for this user");
}

}  // namespace idm::authn
