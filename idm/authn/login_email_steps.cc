// LoginService: the email-code steps (docs/design/019-email-codes-and-smtp.md): mailing a
// second-factor code from the MFA page, passwordless sign-in with an emailed code, and the
// notice mailed after a recovery code was used. Mail is always sent after the transaction that
// stored the code has committed, never while it holds the database writer.
#include <utility>

#include "idm/authn/login_service.h"
#include "idm/authn/login_support.h"
#include "idm/authn/password_factor.h"
#include "idm/core/log.h"
#include "idm/mail/mail_templates.h"
#include "idm/realm/service_support.h"

namespace idm::authn {

using core::LoginFlowState;
using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::WriteAuditEvent;

namespace {

Step EmailSignInStep(const core::LoginFlow& flow, const FlowData& data, const core::Client& client,
                     const std::string& username) {
  Step step;
  step.kind = StepKind::kShowEmailSignIn;
  step.flow = flow;
  step.request = data.request;
  step.client = client;
  step.username = username;
  return step;
}

}  // namespace

core::ServiceStatus LoginService::FillEmailStatus(store::Transaction& tx, const core::Realm& realm,
                                                  const core::User& user, core::UnixMillis now,
                                                  Step& step) const {
  if (factors_.email == nullptr) return {};
  IDM_ASSIGN_OR_RETURN(step.email_available, factors_.email->Has(tx, realm.id, user.id));
  if (!step.email_available) return {};
  IDM_ASSIGN_OR_RETURN(step.email_sent, factors_.email->HasPendingCode(tx, realm, user,
                                                                       core::kEmailCodeMfa, now));
  step.email_masked = factors::MaskEmail(user.email);
  IDM_ASSIGN_OR_RETURN(step.totp_available, factors_.totp.Has(tx, realm.id, user.id));
  return {};
}

core::ServiceResult<Step> LoginService::SendEmailCode(const core::OpContext& ctx,
                                                      const core::Realm& realm,
                                                      const std::string& flow_id,
                                                      const Browser& browser) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state != LoginFlowState::kMfaPending || factors_.email == nullptr) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user,
                       ActiveUser(*tx, realm.id, loaded->flow.user_id));
  if (!user) return Step{};
  IDM_ASSIGN_OR_RETURN(bool has, factors_.email->Has(*tx, realm.id, user->id));
  IDM_ASSIGN_OR_RETURN(bool throttled,
                       AttemptThrottled(*tx, realm, user->id, ctx.client_ip, ctx.now));
  // A locked-out user gets no mail: the page says what any refused attempt says.
  if (!has || throttled) return MfaPage(*tx, ctx, realm, *loaded, *user, /*failed=*/throttled);
  const core::OpContext uctx = UserContext(ctx, user->id);
  IDM_ASSIGN_OR_RETURN(factors::PendingEmailCode pending,
                       factors_.email->Issue(*tx, uctx, realm, *user, core::kEmailCodeMfa,
                                             factors::MailLocales(loaded->data.request.ui_locales,
                                                                  *user)));
  IDM_TRY(CommitTx(*tx));
  tx.reset();  // the writer is free while the mail is sent
  bool send_failed = false;
  if (!pending.throttled) {  // a throttled resend keeps the code already sent
    auto sent = factors_.email->Deliver(pending);  // outside any transaction
    if (!sent) {
      send_failed = true;
      // The code that never arrived is deleted, so the user may ask again at once.
      IDM_ASSIGN_OR_RETURN(auto ftx, BeginTx(store_, store::TxMode::kReadWrite));
      if (auto d = ftx->email_codes().Delete(realm.id, user->id, core::kEmailCodeMfa); !d) {
        return FromStoreError(d.error(), "email code");
      }
      IDM_TRY(WriteAuditEvent(*ftx, uctx, random_, realm.id, "EmailCodeSendFailed", "user",
                              user->id,
                              {{"username", user->username},
                               {"kind", mail::MailErrorKindName(sent.error().kind)},
                               {"error", sent.error().message}}));
      IDM_TRY(CommitTx(*ftx));
      core::log::Warn("EmailCodeSendFailed", {{"event", "EmailCodeSendFailed"},
                                              {"realm", realm.name},
                                              {"user_id", user->id},
                                              {"kind", mail::MailErrorKindName(sent.error().kind)},
                                              {"error", sent.error().message}});
    }
  }
  IDM_ASSIGN_OR_RETURN(auto ptx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(Step step, MfaPage(*ptx, ctx, realm, *loaded, *user, /*failed=*/false));
  step.email_send_failed = send_failed;
  return step;
}

// Passwordless sign-in, first half: the same page, the same writes (the flow remembers the user,
// or nobody) and no network wait whether or not the account exists; the mail goes through the
// queue. Only users with a verified address for whom no other second factor is due get a code:
// an emailed code never bypasses a TOTP credential or a realm's mfa_policy "required".
core::ServiceResult<Step> LoginService::StartEmailSignIn(const core::OpContext& ctx,
                                                         const core::Realm& realm,
                                                         const std::string& flow_id,
                                                         const Browser& browser,
                                                         const std::string& username) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state != LoginFlowState::kStarted || factors_.email == nullptr ||
      !realm.settings.passwordless_email) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  IDM_ASSIGN_OR_RETURN(std::optional<core::User> user, FindLoginUser(*tx, realm.id, username));
  bool eligible = user && user->enabled && user->email_verified && !user->email.empty() &&
                  realm.settings.mfa_policy != "required";
  if (eligible) {
    IDM_ASSIGN_OR_RETURN(bool has_totp, factors_.totp.Has(*tx, realm.id, user->id));
    bool has_hotp = false;  // an HOTP authenticator, like TOTP, rules out email alone
    if (factors_.hotp != nullptr) {
      IDM_ASSIGN_OR_RETURN(has_hotp, factors_.hotp->Has(*tx, realm.id, user->id));
    }
    eligible = !has_totp && !has_hotp;
  }
  IDM_ASSIGN_OR_RETURN(bool throttled, AttemptThrottled(*tx, realm, eligible ? user->id : "",
                                                        ctx.client_ip, ctx.now));
  loaded->flow.user_id = eligible ? user->id : "";
  loaded->flow.updated_at = ctx.now;
  auto updated = tx->login_flows().Update(loaded->flow);
  if (!updated) return GoneOr(updated.error());
  std::optional<factors::PendingEmailCode> pending;
  if (eligible && !throttled) {
    IDM_ASSIGN_OR_RETURN(pending, factors_.email->Issue(
                                      *tx, UserContext(ctx, user->id), realm, *user,
                                      core::kEmailCodeSignIn,
                                      factors::MailLocales(loaded->data.request.ui_locales, *user)));
  }
  IDM_TRY(CommitTx(*tx));
  tx.reset();
  if (pending && !pending->throttled && pending->settings && mail_queue_ != nullptr) {
    mail_queue_->Enqueue({*pending->settings, pending->message, realm.name, "email_code"});
  } else if (pending && !pending->settings) {
    core::log::Warn("EmailCodeSendFailed", {{"event", "EmailCodeSendFailed"},
                                            {"realm", realm.name},
                                            {"kind", "not_configured"}});
  }
  return EmailSignInStep(*updated, loaded->data, loaded->client, username);
}

// Passwordless sign-in, second half: a wrong, replayed, expired or dead code, and any code for a
// flow that named no eligible user, get the same page and count as a failed login.
core::ServiceResult<Step> LoginService::SubmitEmailSignIn(const core::OpContext& ctx,
                                                          const core::Realm& realm,
                                                          const std::string& flow_id,
                                                          const Browser& browser,
                                                          const std::string& code) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  StepKind why;
  IDM_ASSIGN_OR_RETURN(std::optional<Loaded> loaded,
                       LoadFlow(*tx, realm, flow_id, browser, &why, ctx.now));
  if (!loaded) return Step{why};
  if (loaded->flow.state != LoginFlowState::kStarted || factors_.email == nullptr ||
      !realm.settings.passwordless_email) {
    tx.reset();
    return Show(ctx, realm, flow_id, browser);
  }
  std::optional<core::User> user;
  if (!loaded->flow.user_id.empty()) {
    IDM_ASSIGN_OR_RETURN(user, ActiveUser(*tx, realm.id, loaded->flow.user_id));
  }
  IDM_ASSIGN_OR_RETURN(bool throttled, AttemptThrottled(*tx, realm, user ? user->id : "",
                                                        ctx.client_ip, ctx.now));
  bool ok = false;
  if (user && !throttled) {
    IDM_ASSIGN_OR_RETURN(ok, factors_.email->VerifySignIn(*tx, UserContext(ctx, user->id), realm,
                                                          *user, code));
  }
  if (ok) {
    // RFC 8176 §2 "otp", one factor: acr stays at the password level (docs/design/019).
    return SignedIn(*tx, ctx, realm, std::move(*loaded), *user,
                    std::vector<std::string>(factors_.email->Amr()), "", browser);
  }
  IDM_TRY(CommitTx(*tx));  // keeps the counted try on the code (EmailCodeRepo::Use)
  tx.reset();
  Step step = EmailSignInStep(loaded->flow, loaded->data, loaded->client, "");
  step.login_failed = true;
  return RecordPasswordFailure(ctx, realm, user, throttled, std::move(step),
                               "invalid_second_factor");
}

// Issue 4: a recovery code was used (RecoveryCodeUsed is already in the audit trail, committed
// with the sign-in). The notice is queued; a failure is logged and counted, never the login's.
void LoginService::NotifyRecoveryCodeUsed(const core::OpContext& ctx, const core::Realm& realm,
                                          const core::User& user,
                                          const std::vector<std::string>& locales) {
  if (mail_queue_ == nullptr || factors_.email == nullptr || !user.email_verified ||
      user.email.empty()) {
    return;
  }
  (void)ctx;
  auto tx = BeginTx(store_, store::TxMode::kReadOnly);
  if (!tx) return;
  auto settings = factors_.email->smtp().LoadForSending(**tx, realm.id);
  auto codes = (*tx)->recovery_codes().ListByUser(realm.id, user.id);
  if (!settings || !*settings || !codes) {
    core::log::Warn("MailSendFailed", {{"event", "MailSendFailed"},
                                       {"realm", realm.name},
                                       {"purpose", "recovery_code_used"},
                                       {"kind", "not_configured"}});
    return;
  }
  int64_t left = 0;
  for (const core::RecoveryCode& c : *codes) left += c.used_at == 0 ? 1 : 0;
  auto text = mail::RenderMail(
      "recovery_code_used", mail::ChooseMailLocale(factors::MailLocales(locales, user)),
      {{"realm", realm.display_name.empty() ? realm.name : realm.display_name},
       {"username", user.username},
       {"codes_left", std::to_string(left)}});
  if (!text) return;
  mail::MailMessage message;
  message.to = user.email;
  message.subject = std::move(text->subject);
  message.body = std::move(text->body);
  mail_queue_->Enqueue({**settings, std::move(message), realm.name, "recovery_code_used"});
}

}  // namespace idm::authn
