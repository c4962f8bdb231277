// Email one-time codes; see email_code.h.
#include "idm/authn/factors/email_code.h"

#include <cstring>

#include "idm/crypto/encoding.h"
#include "idm/crypto/hash.h"
#include "idm/mail/mail_templates.h"
#include "idm/realm/service_support.h"

namespace idm::authn::factors {
namespace {

using realm::FromStoreError;
using realm::WriteAuditEvent;

// Digits only, without spaces or dashes a user may type.
std::string NormaliseEmailCode(const std::string& typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(c);
  }
  return out;
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string MaskEmail(const std::string& email) {
  const size_t at = email.find('@');
  if (at == std::string::npos || at == 0) return "***";
  return email.substr(0, 1) + "***" + email.substr(at);
}

std::vector<std::string> MailLocales(const std::vector<std::string>& ui_locales,
                                     const core::User& user) {
  std::vector<std::string> out = ui_locales;
  auto it = user.attributes.find("locale");
  if (it != user.attributes.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  return out;
}

std::string EmailCodeFactor::Hash(const std::string& purpose, const std::string& user_id,
                                  const std::string& code) const {
  return "hmac-sha256:" +
         crypto::HexEncode(crypto::HmacSha256(hash_key_, purpose + ":" + user_id + ":" + code));
}

// Uniform over 10^kEmailCodeDigits: values of a 32-bit draw at or above the largest multiple of
// the range are drawn again, so no code is likelier than another.
std::string EmailCodeFactor::NewCode() const {
  uint32_t range = 1;
  for (int i = 0; i < kEmailCodeDigits; ++i) range *= 10;
  const uint32_t limit = UINT32_MAX - UINT32_MAX % range;
  uint32_t v = 0;
  do {
    const std::string b = random_.Bytes(4);
    std::memcpy(&v, b.data(), 4);
  } while (v >= limit);
  std::string code = std::to_string(v % range);
  return std::string(kEmailCodeDigits - code.size(), '0') + code;
}

core::ServiceResult<bool> EmailCodeFactor::Has(store::Transaction& tx, const std::string& realm_id,
                                               const std::string& user_id) const {
  auto realm = tx.realms().Get(realm_id);
  if (!realm) return FromStoreError(realm.error(), "realm");
  if (!realm->settings.email_code_enabled) return false;
  auto user = tx.users().Get(realm_id, user_id);
  if (!user) return FromStoreError(user.error(), "user");
  return user->email_verified && !user->email.empty();
}

core::ServiceResult<bool> EmailCodeFactor::Verify(store::Transaction& tx,
                                                  const core::OpContext& ctx,
                                                  const core::Realm& realm, const core::User& user,
                                                  const std::string& input) const {
  if (!realm.settings.email_code_enabled) return false;
  return Check(tx, ctx, realm, user, core::kEmailCodeMfa, input);
}

core::ServiceResult<bool> EmailCodeFactor::VerifySignIn(store::Transaction& tx,
                                                        const core::OpContext& ctx,
                                                        const core::Realm& realm,
                                                        const core::User& user,
                                                        const std::string& input) const {
  if (!realm.settings.passwordless_email) return false;
  return Check(tx, ctx, realm, user, core::kEmailCodeSignIn, input);
}

core::ServiceResult<bool> EmailCodeFactor::Check(store::Transaction& tx, const core::OpContext& ctx,
                                                 const core::Realm& realm, const core::User& user,
                                                 const std::string& purpose,
                                                 const std::string& input) const {
  const std::string code = NormaliseEmailCode(input);
  // A malformed input still counts as a wrong try on the outstanding code.
  const std::string hash = code.size() == static_cast<size_t>(kEmailCodeDigits) && AllDigits(code)
                               ? Hash(purpose, user.id, code)
                               : std::string("invalid");
  auto used =
      tx.email_codes().Use(realm.id, user.id, purpose, hash, ctx.now, kEmailCodeMaxAttempts);
  if (!used) return FromStoreError(used.error(), "email code");
  return *used;
}

core::ServiceResult<int64_t> EmailCodeFactor::Remove(store::Transaction& tx,
                                                     const std::string& realm_id,
                                                     const std::string& user_id) const {
  auto n = tx.email_codes().DeleteByUser(realm_id, user_id);
  if (!n) return FromStoreError(n.error(), "email codes");
  return *n;
}

core::ServiceResult<PendingEmailCode> EmailCodeFactor::Issue(
    store::Transaction& tx, const core::OpContext& ctx, const core::Realm& realm,
    const core::User& user, const std::string& purpose,
    const std::vector<std::string>& locales) const {
  PendingEmailCode out;
  IDM_ASSIGN_OR_RETURN(out.settings, smtp_.LoadForSending(tx, realm.id));
  if (!out.settings) return out;  // nothing stored: no code that cannot arrive
  const std::string code = NewCode();
  core::EmailCode row{core::NewUuid(random_),
                      realm.id,
                      user.id,
                      purpose,
                      Hash(purpose, user.id, code),
                      ctx.now + realm.settings.email_code_ttl_s * 1000,
                      0,
                      0,
                      ctx.now};
  auto issued = tx.email_codes().Issue(row, ctx.now - kEmailCodeResendIntervalMs);
  if (!issued) return FromStoreError(issued.error(), "email code");
  if (!*issued) {
    out.throttled = true;
    return out;
  }
  const std::string realm_label = realm.display_name.empty() ? realm.name : realm.display_name;
  auto mail = mail::RenderMail("email_code", mail::ChooseMailLocale(locales),
                               {{"code", code},
                                {"minutes", std::to_string(realm.settings.email_code_ttl_s / 60)},
                                {"realm", realm_label},
                                {"username", user.username}});
  if (!mail) return core::ServiceError{core::ServiceErrorCode::kInternal, "mail template", {}};
  out.message.to = user.email;
  out.message.subject = std::move(mail->subject);
  out.message.body = std::move(mail->body);
  IDM_TRY(WriteAuditEvent(tx, ctx, random_, realm.id, "EmailCodeIssued", "user", user.id,
                          {{"username", user.username}, {"purpose", purpose}}));
  return out;
}

core::Result<void, mail::MailError> EmailCodeFactor::Deliver(
    const PendingEmailCode& pending) const {
  if (!pending.settings) {
    return mail::MailError{mail::MailErrorKind::kNotConfigured, "no SMTP settings"};
  }
  return smtp_.Send(*pending.settings, pending.message);
}

core::ServiceResult<bool> EmailCodeFactor::HasPendingCode(store::Transaction& tx,
                                                          const core::Realm& realm,
                                                          const core::User& user,
                                                          const std::string& purpose,
                                                          core::UnixMillis now) const {
  auto code = tx.email_codes().Get(realm.id, user.id, purpose);
  if (!code) {
    if (code.error().code == store::ErrorCode::kNotFound) return false;
    return FromStoreError(code.error(), "email code");
  }
  return code->used_at == 0 && code->expires_at > now && code->attempts < kEmailCodeMaxAttempts;
}

}  // namespace idm::authn::factors
