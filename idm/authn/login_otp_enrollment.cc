// LoginService: enrolment of a one-time-password authenticator at login, time-based (TOTP,
// RFC 6238) or counter-based (HOTP, RFC 4226); see login_service.h and docs/design/017 and 023.
// The page shows one unconfirmed credential at a time: the user's unconfirmed TOTP credential,
// else the unconfirmed HOTP one; switching method drops the other method's unconfirmed
// credential, so reloading the page never changes the QR code.
#include <algorithm>
#include <utility>

#include "idm/authn/login_service.h"
#include "idm/authn/login_support.h"
#include "idm/realm/service_support.h"

namespace idm::authn {

using core::LoginFlowState;
using realm::BeginTx;
using realm::FromStoreError;

namespace {

// Deletes the user's unconfirmed credentials of `type` (never a confirmed one).
core::ServiceStatus DropUnconfirmed(store::Transaction& tx, const std::string& realm_id,
                                    const std::string& user_id, const std::string& type) {
  auto all = tx.credentials().ListByUser(realm_id, user_id);
  if (!all) return FromStoreError(all.error(), "credentials");
  for (const core::Credential& c : *all) {
    if (c.type != type || c.confirmed_at != 0) continue;
    if (auto d = tx.credentials().Delete(realm_id, user_id, c.id); !d) {
      return FromStoreError(d.error(), "credential");
    }
  }
  return {};
}

}  // namespace

std::vector<std::string> LoginService::OtpEnrollMethods(const core::Realm& realm) const {
  std::vector<std::string> methods;
  if (MethodAllowed(realm.settings, factors_.totp.Id())) methods.emplace_back(factors_.totp.Id());
  if (factors_.hotp != nullptr && MethodAllowed(realm.settings, factors_.hotp->Id())) {
    methods.emplace_back(factors_.hotp->Id());
  }
  return methods;
}

const factors::SecondFactor& LoginService::OtpFactor(const std::string& method) const {
  if (method == factors::kHotpMethod && factors_.hotp != nullptr) return *factors_.hotp;
  return factors_.totp;
}

core::ServiceResult<std::optional<factors::TotpEnrollment>> LoginService::PendingOtpEnrollment(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::User& user, bool create) const {
  const std::vector<std::string> methods = OtpEnrollMethods(realm);
  std::optional<factors::TotpEnrollment> pending;
  for (const std::string& m : methods) {
    if (m == factors::kHotpMethod) {
      IDM_ASSIGN_OR_RETURN(pending, factors_.hotp->PendingEnrollment(tx, realm, user));
    } else {
      IDM_ASSIGN_OR_RETURN(pending, factors_.totp.PendingEnrollment(tx, realm, user));
    }
    if (pending) return pending;
  }
  if (!create || methods.empty()) return pending;
  // None yet: the first allowed method (TOTP, which every authenticator app has, when allowed).
  const core::OpContext uctx = UserContext(ctx, user.id);
  if (methods.front() == factors::kHotpMethod) {
    IDM_ASSIGN_OR_RETURN(pending,
                         factors_.hotp->StartEnrollment(tx, uctx, realm, user, "authenticator"));
  } else {
    IDM_ASSIGN_OR_RETURN(pending,
                         factors_.totp.StartEnrollment(tx, uctx, realm, user, "authenticator"));
  }
  return pending;
}

core::ServiceResult<bool> LoginService::ConfirmOtpEnrollment(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::User& user, const factors::TotpEnrollment& pending, const std::string& code) const {
  if (pending.method == factors::kHotpMethod) {
    if (factors_.hotp == nullptr) return false;
    return factors_.hotp->ConfirmEnrollment(tx, ctx, realm, user, pending.credential_id, code);
  }
  return factors_.totp.ConfirmEnrollment(tx, ctx, realm, user, pending.credential_id, code);
}

core::ServiceResult<Step> LoginService::SwitchEnrollment(const core::OpContext& ctx,
                                                         const core::Realm& realm,
                                                         const std::string& flow_id,
                                                         const Browser& browser,
                                                         const std::string& method) {
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
  const std::vector<std::string> methods = OtpEnrollMethods(realm);
  const bool allowed = std::find(methods.begin(), methods.end(), method) != methods.end();
  if (loaded->flow.state != LoginFlowState::kMfaPending || decision.need != MfaNeed::kEnroll ||
      !allowed) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  const bool to_hotp = method == factors::kHotpMethod;
  IDM_TRY(DropUnconfirmed(*tx, realm.id, user->id,
                          to_hotp ? core::kCredentialTotp : core::kCredentialHotp));
  // MfaPage then finds the remaining method's unconfirmed credential, or creates one.
  if (to_hotp) {
    IDM_ASSIGN_OR_RETURN(auto pending, factors_.hotp->PendingEnrollment(*tx, realm, *user));
    if (!pending) {
      IDM_ASSIGN_OR_RETURN(pending, factors_.hotp->StartEnrollment(*tx, UserContext(ctx, user->id),
                                                                   realm, *user, "authenticator"));
    }
  }
  return MfaPage(*tx, ctx, realm, *loaded, *user, /*failed=*/false);
}

}  // namespace idm::authn
