// LoginService; see login_service.h. The transitions follow the diagram in core/oidc_model.h.
#include "idm/authn/login_service.h"

#include <algorithm>
#include <set>
#include <utility>

#include "idm/authn/acr_levels.h"
#include "idm/authn/brute_force.h"
#include "idm/authn/login_support.h"
#include "idm/crypto/secret.h"
#include "idm/realm/service_support.h"

namespace idm::authn {

using core::LoginFlowState;
using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::WriteAuditEvent;

bool NeedsReauthentication(const AuthRequest& request, const core::SsoSession& session,
                           core::UnixMillis now) {
  // OIDC Core §3.1.2.1: prompt=login "SHOULD prompt the End-User for reauthentication";
  // select_account lets the user sign in as another account, which is the login page here.
  if (request.prompt_login || request.prompt_select_account) return true;
  // OIDC Core §3.1.2.1 max_age: "If the elapsed time is greater than this value, the OP MUST
  // attempt to actively re-authenticate the End-User."
  if (request.max_age && now - session.auth_time > *request.max_age * 1000) return true;
  return false;
}

bool NeedsConsent(const AuthRequest& request, const core::Client& client,
                  const std::optional<core::Consent>& consent) {
  if (request.prompt_consent) return true;  // OIDC Core §3.1.2.1 prompt=consent
  if (!client.consent_required) return false;
  if (!consent) return true;
  const std::set<std::string> granted(consent->scopes.begin(), consent->scopes.end());
  return std::any_of(request.scope.begin(), request.scope.end(),
                     [&](const std::string& s) { return granted.count(s) == 0; });
}

std::vector<std::string> MergeScopes(const std::vector<std::string>& granted,
                                     const std::vector<std::string>& requested) {
  std::set<std::string> all(granted.begin(), granted.end());
  all.insert(requested.begin(), requested.end());
  return {all.begin(), all.end()};
}

LoginService::LoginService(store::Store& store, const crypto::PasswordHasher& hasher,
                           core::Random& random, const session::SessionService& sessions,
                           SecondFactors factors)
    : store_(store),
      hasher_(hasher),
      random_(random),
      sessions_(sessions),
      factors_(factors),
      decoy_hash_(hasher.DecoyHash()) {}

core::ServiceResult<Step> LoginService::Begin(const core::OpContext& ctx, const core::Realm& realm,
                                              const core::Client& client,
                                              const AuthRequest& request, const Browser& browser) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  FlowData data{request, ""};
  IDM_ASSIGN_OR_RETURN(std::optional<core::SsoSession> session,
                       sessions_.Find(*tx, realm, browser.session_cookie, ctx.now));
  std::optional<core::User> user;
  if (session) {
    IDM_ASSIGN_OR_RETURN(user, ActiveUser(*tx, realm.id, session->user_id));
    if (!user) session.reset();
  }
  if (!session || NeedsReauthentication(request, *session, ctx.now)) {
    // OIDC Core §3.1.2.6: prompt=none and the user would have to log in.
    if (request.prompt_none) {
      return ErrorStep(request, client, "login_required", "the user is not signed in");
    }
    IDM_ASSIGN_OR_RETURN(Step step, NewFlow(*tx, ctx, realm, client, data, LoginFlowState::kStarted,
                                            "", {}, browser));
    step.username = request.login_hint;
    return step;
  }
  // docs/design/020: the level this request needs, against what the session achieved.
  IDM_ASSIGN_OR_RETURN(MfaDecision decision,
                       DecideMfa(*tx, realm, client, request, *user, SessionRank(session->acr),
                                 /*fresh_login=*/false, ctx.now));
  if (decision.need == MfaNeed::kUnmet) {
    return Unmet(*tx, ctx, realm, nullptr, request, client, user->id);
  }
  if (decision.need != MfaNeed::kNone) {
    // OIDC Core §3.1.2.6: prompt=none, and the user would have to authenticate further.
    if (request.prompt_none) {
      return ErrorStep(request, client, "login_required", "a stronger authentication is required");
    }
    return StepUp(*tx, ctx, realm, client, *user, *session, data, browser);
  }
  data.session_id = session->id;
  return Authenticated(*tx, ctx, realm, client, *user, *session, std::move(data), std::nullopt,
                       browser);
}

core::ServiceResult<Step> LoginService::Authenticated(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::Client& client, const core::User& user, const core::SsoSession& session,
    FlowData data, std::optional<core::LoginFlow> flow, const Browser& browser) {
  IDM_ASSIGN_OR_RETURN(std::optional<core::Consent> consent,
                       StoredConsent(tx, realm.id, user.id, client.id));
  if (!NeedsConsent(data.request, client, consent)) {
    return Complete(tx, ctx, realm, Issue{client, user, session, data, std::move(flow)});
  }
  // OIDC Core §3.1.2.6: prompt=none and consent would have to be asked.
  if (data.request.prompt_none) {
    return ErrorStep(data.request, client, "consent_required", "consent is required");
  }
  Step step;
  if (!flow) {
    IDM_ASSIGN_OR_RETURN(
        step, NewFlow(tx, ctx, realm, client, data, LoginFlowState::kConsentPending, user.id,
                      session.amr, browser));
  } else {
    flow->state = LoginFlowState::kConsentPending;
    flow->user_id = user.id;
    flow->request_json = FlowDataToJson(data);
    flow->updated_at = ctx.now;
    auto updated = tx.login_flows().Update(*flow);
    if (!updated) return GoneOr(updated.error());
    IDM_TRY(CommitTx(tx));
    step.kind = StepKind::kShowConsent;
    step.flow = std::move(*updated);
    step.request = data.request;
    step.client = client;
  }
  step.username = user.username;
  return step;
}

core::ServiceResult<Step> LoginService::Complete(store::Transaction& tx, const core::OpContext& ctx,
                                                 const core::Realm& realm, const Issue& issue) {
  const AuthRequest& r = issue.data.request;
  Step step;
  step.kind = StepKind::kRedirect;
  step.request = r;
  step.client = issue.client;
  step.code = crypto::NewSecret(random_, crypto::kAuthCodePrefix);
  core::AuthorizationCode code;
  code.code_hash = crypto::HashSecret(step.code);
  code.realm_id = realm.id;
  code.client_id = issue.client.id;
  code.user_id = issue.user.id;
  code.session_id = issue.session.id;
  code.token_family_id = core::NewUuid(random_);
  code.redirect_uri = r.redirect_uri_in_request ? r.redirect_uri : "";  // RFC 6749 §4.1.3
  code.scope = JoinScope(r.scope);
  code.nonce = r.nonce;
  code.code_challenge = r.code_challenge;
  code.code_challenge_method = r.code_challenge_method;
  code.auth_time = issue.session.auth_time;
  code.acr = ReportedAcr(issue.session.acr, r);  // OIDC Core §5.5.1.1 (acr_levels.h)
  code.amr = issue.session.amr;
  code.created_at = ctx.now;
  code.expires_at = ctx.now + realm.settings.authorization_code_ttl_s * 1000;
  if (auto inserted = tx.codes().Insert(code); !inserted) {
    return FromStoreError(inserted.error(), "authorization code");
  }
  IDM_TRY(sessions_.Touch(tx, realm, issue.session, issue.client.id, ctx.now));
  if (issue.flow) {
    core::LoginFlow done = *issue.flow;
    done.state = LoginFlowState::kCompleted;
    done.updated_at = ctx.now;
    auto updated = tx.login_flows().Update(done);
    if (!updated) return GoneOr(updated.error());
  }
  IDM_TRY(WriteAuditEvent(tx, UserContext(ctx, issue.user.id), random_, realm.id,
                          "AuthorizationCodeIssued", "user", issue.user.id,
                          {{"client_id", issue.client.client_id},
                           {"scope", code.scope},
                           {"session_id", issue.session.id}}));
  IDM_TRY(CommitTx(tx));
  return step;
}

core::ServiceResult<Step> LoginService::NewFlow(store::Transaction& tx, const core::OpContext& ctx,
                                                const core::Realm& realm,
                                                const core::Client& client, const FlowData& data,
                                                LoginFlowState state, const std::string& user_id,
                                                const std::vector<std::string>& amr,
                                                const Browser& browser) {
  Step step;
  IDM_ASSIGN_OR_RETURN(step.flow,
                       CreateFlow(tx, ctx, realm, client, data, state, user_id, amr, browser,
                                  &step.binding));
  IDM_TRY(CommitTx(tx));
  step.kind = state == LoginFlowState::kStarted ? StepKind::kShowLogin : StepKind::kShowConsent;
  step.request = data.request;
  step.client = client;
  return step;
}

core::ServiceResult<core::LoginFlow> LoginService::CreateFlow(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::Client& client, const FlowData& data, LoginFlowState state,
    const std::string& user_id, const std::vector<std::string>& amr, const Browser& browser,
    std::optional<std::string>* new_binding) {
  std::string binding = browser.binding;
  if (binding.substr(0, kBindingPrefix.size()) != kBindingPrefix) {
    binding = crypto::NewSecret(random_, kBindingPrefix);
    *new_binding = binding;
  }
  core::LoginFlow flow;
  flow.id = crypto::NewSecret(random_, "");
  flow.realm_id = realm.id;
  flow.client_id = client.id;
  flow.state = state;
  flow.request_json = FlowDataToJson(data);
  flow.user_id = user_id;
  flow.csrf_secret = crypto::HashSecret(binding);
  flow.amr = amr;
  flow.created_at = ctx.now;
  flow.updated_at = ctx.now;
  flow.expires_at = ctx.now + realm.settings.login_flow_ttl_s * 1000;
  auto created = tx.login_flows().Create(flow);
  if (!created) return FromStoreError(created.error(), "login flow");
  return std::move(*created);
}

}  // namespace idm::authn
