// SmtpSettingsService; see smtp_settings_service.h.
#include "idm/mail/smtp_settings_service.h"

#include "idm/crypto/encoding.h"
#include "idm/realm/service_support.h"

namespace idm::mail {
namespace {

using realm::BeginTx;
using realm::CommitTx;
using realm::FromStoreError;
using realm::ResolveRealm;
using realm::WriteAuditEvent;

std::string Aad(const std::string& realm_id) { return "realm:" + realm_id + "/smtp-password"; }

bool HasControl(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

SmtpView ToView(core::SmtpConfig config) {
  SmtpView view;
  view.has_password = !config.password_sealed.empty();
  config.password_sealed.clear();
  view.config = std::move(config);
  return view;
}

core::Json AuditDetails(const core::SmtpConfig& c) {
  return {{"host", c.host},
          {"port", c.port},
          {"security", c.security},
          {"username", c.username},
          {"from_address", c.from_address},
          {"has_password", !c.password_sealed.empty()}};
}

}  // namespace

std::vector<core::FieldViolation> ValidateSmtpInput(const SmtpInput& in) {
  std::vector<core::FieldViolation> out;
  if (in.host.empty() || in.host.size() > 253 || HasControl(in.host) ||
      in.host.find_first_of(" /@:?#") != std::string::npos) {
    out.push_back({"host", "must be a host name or IPv4 address"});
  }
  if (in.port < 1 || in.port > 65535) out.push_back({"port", "must be 1..65535"});
  SmtpSecurity security;
  if (!ParseSmtpSecurity(in.security, &security)) {
    out.push_back({"security", "must be one of none, starttls, tls"});
  }
  if (in.username.size() > 255 || HasControl(in.username)) {
    out.push_back({"username", "at most 255 characters, no control characters"});
  }
  if (in.password && (in.password->size() > 1024 || HasControl(*in.password))) {
    out.push_back({"password", "at most 1024 characters, no control characters"});
  }
  if (!IsPlainAddress(in.from_address)) out.push_back({"from_address", "must be a mail address"});
  if (in.from_name.size() > 200 || HasControl(in.from_name)) {
    out.push_back({"from_name", "at most 200 characters, no control characters"});
  }
  return out;
}

SmtpSettingsService::SmtpSettingsService(store::Store& store, const crypto::Kek& kek,
                                         core::Random& random, const MailSender& sender,
                                         std::string ca_file)
    : store_(store), kek_(kek), random_(random), sender_(sender), ca_file_(std::move(ca_file)) {}

core::ServiceResult<SmtpView> SmtpSettingsService::Get(const std::string& realm) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  auto config = tx->smtp_settings().Get(r.id);
  if (!config) return FromStoreError(config.error(), "smtp settings");
  return ToView(std::move(*config));
}

core::ServiceResult<SmtpView> SmtpSettingsService::Put(const core::OpContext& ctx,
                                                       const std::string& realm,
                                                       const SmtpInput& in) {
  if (auto v = ValidateSmtpInput(in); !v.empty()) {
    return core::InvalidArgument("invalid smtp settings", std::move(v));
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  core::SmtpConfig c{r.id, in.host, in.port, in.security, in.username, "", in.from_address,
                     in.from_name, ctx.now};
  if (in.password) {
    if (!in.password->empty()) {
      c.password_sealed = crypto::Base64UrlEncode(kek_.Seal(*in.password, Aad(r.id), random_));
    }
  } else if (auto old = tx->smtp_settings().Get(r.id); old) {
    c.password_sealed = old->password_sealed;
  } else if (old.error().code != store::ErrorCode::kNotFound) {
    return FromStoreError(old.error(), "smtp settings");
  }
  if (auto put = tx->smtp_settings().Put(c); !put) return FromStoreError(put.error(), "realm");
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "SmtpSettingsChanged", "realm", r.id,
                          AuditDetails(c)));
  IDM_TRY(CommitTx(*tx));
  return ToView(std::move(c));
}

core::ServiceStatus SmtpSettingsService::Delete(const core::OpContext& ctx,
                                                const std::string& realm) {
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_ASSIGN_OR_RETURN(core::Realm r, ResolveRealm(*tx, realm));
  if (auto d = tx->smtp_settings().Delete(r.id); !d) {
    return FromStoreError(d.error(), "smtp settings");
  }
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, "SmtpSettingsDeleted", "realm", r.id,
                          core::Json::object()));
  return CommitTx(*tx);
}

core::ServiceResult<std::optional<SmtpSettings>> SmtpSettingsService::LoadForSending(
    store::Transaction& tx, const std::string& realm_id) const {
  auto c = tx.smtp_settings().Get(realm_id);
  if (!c) {
    if (c.error().code == store::ErrorCode::kNotFound) return std::optional<SmtpSettings>();
    return FromStoreError(c.error(), "smtp settings");
  }
  SmtpSettings s;
  s.host = c->host;
  s.port = static_cast<int>(c->port);
  if (!ParseSmtpSecurity(c->security, &s.security)) s.security = SmtpSecurity::kStartTls;
  s.username = c->username;
  s.from_address = c->from_address;
  s.from_name = c->from_name;
  s.ca_file = ca_file_;
  if (!c->password_sealed.empty()) {
    std::optional<std::string> opened;
    if (auto sealed = crypto::Base64UrlDecode(c->password_sealed)) {
      if (auto o = kek_.Open(*sealed, Aad(realm_id))) opened = std::move(*o);
    }
    if (!opened) {
      realm::LogServiceFailure("smtp settings of realm " + realm_id,
                               "the sealed SMTP password does not open with this KEK");
      return core::ServiceError{core::ServiceErrorCode::kInternal,
                                "the SMTP password cannot be read; set it again", {}};
    }
    s.password = std::move(*opened);
  }
  return std::optional<SmtpSettings>(std::move(s));
}

core::Result<void, MailError> SmtpSettingsService::Send(const SmtpSettings& settings,
                                                        MailMessage message) const {
  message.from_address = settings.from_address;
  message.from_name = settings.from_name;
  return sender_.Send(settings, message);
}

core::ServiceResult<std::optional<MailError>> SmtpSettingsService::TestSend(
    const core::OpContext& ctx, const std::string& realm, const std::string& to) {
  if (!IsPlainAddress(to)) {
    return core::InvalidArgument("invalid recipient", {{"to", "must be a mail address"}});
  }
  std::optional<SmtpSettings> settings;
  core::Realm r;
  {
    IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadOnly));
    IDM_ASSIGN_OR_RETURN(r, ResolveRealm(*tx, realm));
    IDM_ASSIGN_OR_RETURN(settings, LoadForSending(*tx, r.id));
  }
  if (!settings) return core::NotFoundError("smtp settings not found");
  MailMessage m;
  m.to = to;
  m.subject = "idm test message (" + (r.display_name.empty() ? r.name : r.display_name) + ")";
  m.body = "This message was sent by idm to check the SMTP settings of realm " + r.name + ".\n";
  auto sent = Send(*settings, std::move(m));  // outside any transaction: the network is slow
  core::Json details = {{"to", to}};
  if (!sent) {
    details["kind"] = MailErrorKindName(sent.error().kind);
    details["error"] = sent.error().message;
  }
  IDM_ASSIGN_OR_RETURN(auto tx, BeginTx(store_, store::TxMode::kReadWrite));
  IDM_TRY(WriteAuditEvent(*tx, ctx, random_, r.id, sent ? "SmtpTestSent" : "SmtpTestFailed",
                          "realm", r.id, details));
  IDM_TRY(CommitTx(*tx));
  if (!sent) return std::optional<MailError>(sent.error());
  return std::optional<MailError>();
}

}  // namespace idm::mail
